#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "example_resources.h"
#include "fhir/resource.h"

namespace medvault::fhir {
namespace {

// One line per value, in extraction order within each kind, so that a whole
// SearchValues compares (and prints) as a list.
std::vector<std::string> Describe(const SearchValues& values) {
  std::vector<std::string> lines;
  for (const StringValue& v : values.strings) {
    lines.push_back("string " + v.param + " " + v.normalized + " | " + v.exact);
  }
  for (const TokenParamValue& v : values.tokens) {
    lines.push_back("token " + v.param + " " + v.value.system + "|" + v.value.code);
  }
  for (const DateParamValue& v : values.dates) lines.push_back("date " + v.param + " " + v.text);
  for (const ReferenceParamValue& v : values.references) {
    lines.push_back("reference " + v.param + " " + v.reference);
  }
  for (const std::string& home : values.homes) lines.push_back("home " + home);
  return lines;
}

SearchValues ValuesOf(std::string_view json, ResourceType type) {
  auto resource = ValidateResource(json, type);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
  return resource ? resource->search_values : SearchValues{};
}

struct ExtractionCase {
  ResourceType type;
  std::string_view json;
  std::vector<std::string> expected;
};

TEST(SearchExtraction, ReadsEachParameterOfEachType) {
  const ExtractionCase cases[] = {
      {ResourceType::kPatient,
       testing::kPatientExample,
       {"string family lefevre | Lefèvre", "string given marie helene | Marie-Hélène",
        "string given francoise | Françoise", "string name lefevre | Lefèvre",
        "string name marie helene | Marie-Hélène", "string name francoise | Françoise",
        "string name mme | Mme", "token gender |female",
        "token identifier urn:oid:1.2.250.1.213.1.4.8|277076322082910", "date birthdate 1977-07-12",
        "reference organization Organization/cab-lilas", "home 12 rue des lilas|69003"}},
      {ResourceType::kPractitioner,
       testing::kPractitionerExample,
       {"string name martin | Martin", "string name jean | Jean", "string name dr | Dr",
        "string family martin | Martin", "string given jean | Jean",
        "token identifier urn:oid:1.2.250.1.71.4.2.1|10003456789"}},
      {ResourceType::kOrganization,
       testing::kOrganizationExample,
       {"string name cabinet medical des lilas | Cabinet médical des Lilas",
        "string name maison de sante lyon 3 | Maison de santé Lyon 3",
        "token identifier urn:oid:1.2.250.1.71.4.2.2|690012345"}},
      {ResourceType::kCareTeam,
       testing::kCareTeamExample,
       {"token status |active", "date date 2023-01-15/", "reference patient Patient/pat-lefevre",
        "reference subject Patient/pat-lefevre"}},
      {ResourceType::kEncounter,
       testing::kEncounterExample,
       {"token status |finished", "date date 2024-03-01T09:30:00+01:00/2024-03-01T09:50:00+01:00",
        "reference patient Patient/pat-lefevre", "reference subject Patient/pat-lefevre"}},
      {ResourceType::kObservation,
       testing::kObservationExample,
       {"token code http://loinc.org|29463-7", "token status |final",
        "date date 2024-03-01T09:35:00+01:00", "reference patient Patient/pat-lefevre",
        "reference subject Patient/pat-lefevre"}},
      {ResourceType::kCondition,
       testing::kConditionExample,
       {"token code http://hl7.org/fhir/sid/icd-10|I10",
        "token clinical-status http://terminology.hl7.org/CodeSystem/condition-clinical|active",
        "date onset-date 2019-06", "date recorded-date 2019-06-20",
        "reference patient Patient/pat-lefevre", "reference subject Patient/pat-lefevre"}},
      {ResourceType::kAllergyIntolerance,
       testing::kAllergyIntoleranceExample,
       {"token code http://snomed.info/sct|764146007",
        "token clinical-status "
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical|active",
        "date date 2015-11-03", "reference patient Patient/pat-lefevre"}},
      {ResourceType::kMedicationRequest,
       testing::kMedicationRequestExample,
       {"token code http://www.whocc.no/atc|C09AA05", "token status |active",
        "date authoredon 2024-03-01", "reference patient Patient/pat-lefevre",
        "reference subject Patient/pat-lefevre"}},
      {ResourceType::kDocumentReference,
       testing::kDocumentReferenceExample,
       {"token type http://loinc.org|11488-4", "token status |current",
        "date date 2024-03-01T10:05:00+01:00", "reference patient Patient/pat-lefevre",
        "reference subject Patient/pat-lefevre"}},
  };
  for (const ExtractionCase& c : cases) {
    EXPECT_EQ(Describe(ValuesOf(c.json, c.type)), c.expected) << NameOf(c.type);
  }
}

TEST(SearchExtraction, ExpandsDatesToTheirImplicitRanges) {
  SearchValues patient = ValuesOf(testing::kPatientExample, ResourceType::kPatient);
  ASSERT_EQ(patient.dates.size(), 1u);
  EXPECT_EQ(patient.dates[0].range, (DateRange{237'513'600'000, 237'600'000'000}));

  SearchValues encounter = ValuesOf(testing::kEncounterExample, ResourceType::kEncounter);
  ASSERT_EQ(encounter.dates.size(), 1u);
  // [start of 09:30:00+01:00, end of 09:50:00+01:00)
  EXPECT_EQ(encounter.dates[0].range, (DateRange{1'709'281'800'000, 1'709'283'001'000}));

  SearchValues team = ValuesOf(testing::kCareTeamExample, ResourceType::kCareTeam);
  ASSERT_EQ(team.dates.size(), 1u);
  EXPECT_EQ(team.dates[0].range,
            (DateRange{1'673'740'800'000, std::numeric_limits<int64_t>::max()}));

  SearchValues observation =
      ValuesOf(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
               R"("subject":{"reference":"Patient/p"},"effectivePeriod":{"end":"2024"}})",
               ResourceType::kObservation);
  ASSERT_EQ(observation.dates.size(), 1u);
  EXPECT_EQ(observation.dates[0].text, "/2024");
  EXPECT_EQ(observation.dates[0].range,
            (DateRange{std::numeric_limits<int64_t>::min(), 1'735'689'600'000}));

  SearchValues instant = ValuesOf(
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
      R"("subject":{"reference":"Patient/p"},"effectiveInstant":"1970-01-01T00:00:01.250Z"})",
      ResourceType::kObservation);
  ASSERT_EQ(instant.dates.size(), 1u);
  EXPECT_EQ(instant.dates[0].range, (DateRange{1250, 1251}));
}

TEST(SearchExtraction, IgnoresValuesThatNoParameterReads) {
  SearchValues values =
      ValuesOf(R"({"resourceType":"Observation","status":"final","code":{"text":"Poids"},)"
               R"("subject":{"reference":"Patient/p","display":"Mme L."},)"
               R"("effectiveTiming":{"event":["2024-03-01T10:00:00Z"]},)"
               R"("performer":[{"reference":"Practitioner/pr"}]})",
               ResourceType::kObservation);
  EXPECT_EQ(Describe(values),
            (std::vector<std::string>{"token status |final", "reference patient Patient/p",
                                      "reference subject Patient/p"}));
}

TEST(SearchExtraction, SkipsIdentifiersAndCodingsWithoutAValue) {
  SearchValues values =
      ValuesOf(R"({"resourceType":"Patient","identifier":[{"system":"urn:x"},{"value":"42"}],)"
               R"("name":[{"_family":{"id":"f"},"given":["Ana"]}]})",
               ResourceType::kPatient);
  EXPECT_EQ(Describe(values),
            (std::vector<std::string>{"string given ana | Ana", "string name ana | Ana",
                                      "token identifier |42"}));
}

TEST(SearchExtraction, FilesTheBuildingOfEachHomeAddress) {
  SearchValues values = ValuesOf(
      R"({"resourceType":"Patient","address":[)"
      R"({"use":"home","line":["12, Rue des Lilas","Bâtiment B"],"city":"Brest","postalCode":"29 200"},)"
      R"({"line":["Lieu-dit Kerléo"],"city":"Plouzané"},)"
      R"({"use":"temp","line":["3 quai Est"],"postalCode":"56100"},)"
      R"({"use":"work","line":["1 place de la Mairie"],"postalCode":"29200"},)"
      R"({"use":"old","line":["4 rue Haute"],"postalCode":"29200"},)"
      R"({"use":"billing","line":["BP 12"],"postalCode":"29200"},)"
      R"({"city":"Quimper","postalCode":"29000"},)"
      R"({"line":["9 rue Basse"]},)"
      R"({"line":["--"],"postalCode":"29000"}]})",
      ResourceType::kPatient);
  EXPECT_EQ(Describe(values),
            (std::vector<std::string>{"home 12 rue des lilas|29200",
                                      "home lieu dit kerleo|plouzane", "home 3 quai est|56100"}));
  // A practitioner's home address too (FHIR keeps work addresses on PractitionerRole);
  // other types have none.
  SearchValues practitioner = ValuesOf(
      R"({"resourceType":"Practitioner","address":[{"line":["12 rue des lilas"],"postalCode":"29200"}]})",
      ResourceType::kPractitioner);
  EXPECT_EQ(practitioner.homes, std::vector<std::string>{"12 rue des lilas|29200"});
  SearchValues organization = ValuesOf(
      R"({"resourceType":"Organization","name":"X","address":[{"line":["1 rue"],"postalCode":"29200"}]})",
      ResourceType::kOrganization);
  EXPECT_TRUE(organization.homes.empty());
}

TEST(ExtractSearchValues, AgreesWithValidateResourceOnStoredBodies) {
  for (const testing::Example& example : testing::kExamples) {
    auto resource = ValidateResource(example.json, example.type);
    ASSERT_TRUE(resource);
    const std::string stored =
        StampResource(resource->canonical_json, "id-1", 2, "2024-03-01T10:00:00.000Z");
    auto values = ExtractSearchValues(example.type, stored);
    ASSERT_TRUE(values) << values.error().message;
    EXPECT_EQ(Describe(*values), Describe(resource->search_values)) << NameOf(example.type);
  }
}

TEST(ExtractSearchValues, ToleratesUnexpectedShapes) {
  auto values = ExtractSearchValues(
      ResourceType::kPatient,
      R"({"resourceType":"Patient","name":5,"birthDate":{"start":[]},"gender":{"x":1},)"
      R"("identifier":"x","managingOrganization":{"reference":7}})");
  ASSERT_TRUE(values);
  EXPECT_TRUE(Describe(*values).empty());
}

TEST(ExtractSearchValues, ChecksTheResourceType) {
  auto values = ExtractSearchValues(ResourceType::kObservation, testing::kPatientExample);
  ASSERT_FALSE(values);
  EXPECT_EQ(values.error().code, ErrorCode::kInvalid);
}

}  // namespace
}  // namespace medvault::fhir
