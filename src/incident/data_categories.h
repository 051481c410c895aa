// The categories of personal data a breach report speaks of, and which categories an
// audited interaction sent, from the resource type it was about (a search on type T
// sent T's categories). The table is the one docs/OPERATIONS.md shows; a new resource
// type must be placed here or its reads are reported as sending nothing.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace medvault::incident {

enum class Category : uint8_t {
  kIdentity,               // Patient: name, birth date, sex, national identifier
  kMinimalIdentity,        // Patient, as a directory result: name, birth date, sex, practice
  kContact,                // Patient: address, telephone, e-mail
  kAdministrativeComment,  // Patient: the practice's administrative comment
  kCareTeam,               // CareTeam: who treats the patient
  kEncounters,             // Encounter
  kResults,                // Observation: results and vital signs
  kConditions,             // Condition, AllergyIntolerance
  kPrescriptions,          // MedicationRequest
  kClinicalNotes,          // DocumentReference
};
inline constexpr size_t kCategoryCount = 10;

struct CategoryInfo {
  Category category;
  std::string_view key;    // in JSON and CSV: "identity", "clinical-notes" …
  std::string_view label;  // for people: "Clinical notes (documents)"
  bool health_data;        // a special category of GDPR art. 9
};

// Every category, in the order of the enum (reports list them in this order).
const std::array<CategoryInfo, kCategoryCount>& AllCategories();
const CategoryInfo& InfoOf(Category category);

// A set of categories, one bit each.
class CategorySet {
 public:
  void Add(Category c) { bits_ |= Bit(c); }
  void Add(CategorySet other) { bits_ |= other.bits_; }
  bool Has(Category c) const { return (bits_ & Bit(c)) != 0; }
  bool empty() const { return bits_ == 0; }
  bool operator==(const CategorySet&) const = default;

 private:
  static uint16_t Bit(Category c) { return static_cast<uint16_t>(1u << static_cast<unsigned>(c)); }
  uint16_t bits_ = 0;
};

// What a successful read or search of `resource_type` sent about one patient; a
// Patient sent as minimal identity (a directory result) sent only that. Empty for types
// that hold no patient data.
CategorySet CategoriesOf(std::string_view resource_type, bool minimal_identity);

}  // namespace medvault::incident
