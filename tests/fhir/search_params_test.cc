// The search parameter table as a specification: exactly the parameters medvault
// supports per type, with the kinds, targets and R4 metadata the CapabilityStatement
// publishes, and every one of them accepted by the parser.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fhir/search.h"

namespace medvault::fhir {
namespace {

using R = ResourceType;

TEST(SearchParamTable, ListsExactlyTheSupportedParameters) {
  const std::map<R, std::set<std::string>> expected = {
      {R::kPatient,
       {"_id", "_lastUpdated", "family", "given", "name", "birthdate", "gender", "identifier",
        "organization"}},
      {R::kPractitioner, {"_id", "_lastUpdated", "name", "family", "given", "identifier"}},
      {R::kOrganization, {"_id", "_lastUpdated", "name", "identifier"}},
      {R::kCareTeam, {"_id", "_lastUpdated", "patient", "subject", "status", "date"}},
      {R::kEncounter, {"_id", "_lastUpdated", "patient", "subject", "date", "status"}},
      {R::kObservation, {"_id", "_lastUpdated", "patient", "subject", "date", "code", "status"}},
      {R::kCondition,
       {"_id", "_lastUpdated", "patient", "subject", "code", "clinical-status", "onset-date",
        "recorded-date"}},
      {R::kAllergyIntolerance,
       {"_id", "_lastUpdated", "patient", "code", "clinical-status", "date"}},
      {R::kMedicationRequest,
       {"_id", "_lastUpdated", "patient", "subject", "code", "status", "authoredon"}},
      {R::kDocumentReference,
       {"_id", "_lastUpdated", "patient", "subject", "date", "type", "status"}},
  };
  ASSERT_EQ(expected.size(), kAllResourceTypes.size());
  for (R type : kAllResourceTypes) {
    std::vector<std::string> names;
    for (const SearchParamDef& def : SearchParamsOf(type)) names.emplace_back(def.name);
    EXPECT_EQ(names.size(), expected.at(type).size()) << NameOf(type) << ": a name is repeated";
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected.at(type)) << NameOf(type);
  }
}

TEST(SearchParamTable, KindsFollowTheSpecification) {
  const std::map<std::string, ParamKind> kinds = {
      {"_id", ParamKind::kId},
      {"_lastUpdated", ParamKind::kLastUpdated},
      {"family", ParamKind::kString},
      {"given", ParamKind::kString},
      {"name", ParamKind::kString},
      {"birthdate", ParamKind::kDate},
      {"gender", ParamKind::kToken},
      {"identifier", ParamKind::kToken},
      {"organization", ParamKind::kReference},
      {"patient", ParamKind::kReference},
      {"subject", ParamKind::kReference},
      {"status", ParamKind::kToken},
      {"date", ParamKind::kDate},
      {"code", ParamKind::kToken},
      {"clinical-status", ParamKind::kToken},
      {"onset-date", ParamKind::kDate},
      {"recorded-date", ParamKind::kDate},
      {"authoredon", ParamKind::kDate},
      {"type", ParamKind::kToken},
  };
  for (R type : kAllResourceTypes) {
    for (const SearchParamDef& def : SearchParamsOf(type)) {
      SCOPED_TRACE(std::string(NameOf(type)) + "." + std::string(def.name));
      EXPECT_EQ(def.kind, kinds.at(std::string(def.name)));
      EXPECT_FALSE(def.description.empty());
      EXPECT_TRUE(def.definition.starts_with("http://hl7.org/fhir/SearchParameter/"));
      // The FHIRPath expression is rooted in the type (or Resource for _id, _lastUpdated).
      EXPECT_TRUE(def.expression.find(NameOf(type)) != std::string_view::npos ||
                  def.expression.starts_with("Resource."));
      if (def.kind == ParamKind::kReference) {
        ASSERT_EQ(def.targets.size(), 1u);
        EXPECT_EQ(def.targets[0], def.name == "organization" ? "Organization" : "Patient");
      } else {
        EXPECT_TRUE(def.targets.empty());
      }
    }
  }
}

// Every parameter of the table parses with a well-formed value of its kind: the table
// and the parser cannot disagree.
TEST(SearchParamTable, EveryParameterParses) {
  for (R type : kAllResourceTypes) {
    for (const SearchParamDef& def : SearchParamsOf(type)) {
      std::string value = def.kind == ParamKind::kString      ? "dupont"
                          : def.kind == ParamKind::kToken     ? "http://example.org|x"
                          : def.kind == ParamKind::kReference ? "abc"
                          : def.kind == ParamKind::kId        ? "abc"
                                                              : "ge2020-01-01";
      std::string query = std::string(def.name) + "=" + value;
      auto parsed = ParseSearch(type, query);
      ASSERT_TRUE(parsed) << NameOf(type) << "?" << query << ": " << parsed.error().message;
      ASSERT_EQ(parsed->criteria.size(), 1u);
      EXPECT_EQ(parsed->criteria[0].param->name, def.name);
    }
  }
}

}  // namespace
}  // namespace medvault::fhir
