#include "incident/data_categories.h"

namespace medvault::incident {
namespace {

constexpr std::array<CategoryInfo, kCategoryCount> kCategories = {{
    {Category::kIdentity, "identity", "Identity (name, birth date, sex, national identifier)",
     false},
    {Category::kMinimalIdentity, "minimal-identity",
     "Minimal identity from a directory search (name, birth date, sex, practice)", false},
    {Category::kContact, "contact", "Contact details (address, telephone, e-mail)", false},
    {Category::kAdministrativeComment, "administrative-comment",
     "Administrative comment of the practice", false},
    {Category::kCareTeam, "care-team", "Care team (who treats the patient)", true},
    {Category::kEncounters, "encounters", "Encounters (consultations and visits)", true},
    {Category::kResults, "results", "Results and vital signs (observations)", true},
    {Category::kConditions, "conditions", "Conditions and allergies", true},
    {Category::kPrescriptions, "prescriptions", "Prescriptions", true},
    {Category::kClinicalNotes, "clinical-notes", "Clinical notes (documents)", true},
}};

// Resource type → the categories its resources hold.
struct TypeCategories {
  std::string_view type;
  std::array<Category, 3> categories;
  size_t count;
};

constexpr std::array<TypeCategories, 8> kTypes = {{
    {"Patient", {Category::kIdentity, Category::kContact, Category::kAdministrativeComment}, 3},
    {"CareTeam", {Category::kCareTeam}, 1},
    {"Encounter", {Category::kEncounters}, 1},
    {"Observation", {Category::kResults}, 1},
    {"Condition", {Category::kConditions}, 1},
    {"AllergyIntolerance", {Category::kConditions}, 1},
    {"MedicationRequest", {Category::kPrescriptions}, 1},
    {"DocumentReference", {Category::kClinicalNotes}, 1},
}};

}  // namespace

const std::array<CategoryInfo, kCategoryCount>& AllCategories() { return kCategories; }

const CategoryInfo& InfoOf(Category category) { return kCategories[static_cast<size_t>(category)]; }

CategorySet CategoriesOf(std::string_view resource_type, bool minimal_identity) {
  CategorySet set;
  if (resource_type == "Patient" && minimal_identity) {
    set.Add(Category::kMinimalIdentity);
    return set;
  }
  for (const TypeCategories& t : kTypes) {
    if (t.type != resource_type) continue;
    for (size_t i = 0; i < t.count; ++i) set.Add(t.categories[i]);
  }
  return set;
}

}  // namespace medvault::incident
