#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "example_resources.h"
#include "fhir/resource.h"

namespace medvault::fhir {
namespace {

ResourceFacts FactsOf(std::string_view json, ResourceType type,
                      ReferenceMode mode = ReferenceMode::kRelativeOnly) {
  auto resource = ValidateResource(json, type, {}, mode);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
  return resource ? resource->facts : ResourceFacts{};
}

TEST(ResourceFacts, PatientIsItsOwnCompartment) {
  ResourceFacts facts = FactsOf(testing::kPatientExample, ResourceType::kPatient);
  EXPECT_EQ(facts.patient_reference, "pat-lefevre");
  EXPECT_EQ(facts.managing_organization, "Organization/cab-lilas");
  EXPECT_EQ(facts.confidentiality, "R");
  EXPECT_EQ(facts.references,
            (std::vector<std::string>{"Practitioner/prac-martin", "Organization/cab-lilas"}));

  ResourceFacts created =
      FactsOf(R"({"resourceType":"Patient","gender":"male"})", ResourceType::kPatient);
  EXPECT_EQ(created.patient_reference, "");
  EXPECT_EQ(created.managing_organization, "");
  EXPECT_EQ(created.confidentiality, "");
}

TEST(ResourceFacts, ClinicalResourcesNameTheirPatient) {
  for (const testing::Example& example : testing::kExamples) {
    if (!IsPatientData(example.type) || example.type == ResourceType::kPatient) continue;
    EXPECT_EQ(FactsOf(example.json, example.type).patient_reference, "pat-lefevre")
        << NameOf(example.type);
  }
  EXPECT_EQ(FactsOf(testing::kPractitionerExample, ResourceType::kPractitioner).patient_reference,
            "");
}

TEST(ResourceFacts, ListsEveryReferenceInDocumentOrder) {
  ResourceFacts facts =
      FactsOf(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
              R"("performer":[{"reference":"Practitioner/pr1"},{"display":"sans référence"}],)"
              R"("subject":{"reference":"Patient/p1/_history/3"},)"
              R"("extension":[{"url":"http://x","valueReference":{"reference":"Device/d1"}}],)"
              R"("note":[{"authorReference":{"reference":"Organization/o1"},"text":"n"}],)"
              R"("encounter":{"reference":"Encounter/e1"}})",
              ResourceType::kObservation);
  EXPECT_EQ(facts.patient_reference, "p1");
  EXPECT_EQ(facts.references,
            (std::vector<std::string>{"Practitioner/pr1", "Patient/p1", "Device/d1",
                                      "Organization/o1", "Encounter/e1"}));
}

TEST(ResourceFacts, UrnUuidReferencesAreReportedAsWritten) {
  const std::string patient = "urn:uuid:0b7e3a4c-5f1d-4e2a-9c8b-7d6e5f4a3b2c";
  const std::string organization = "urn:uuid:1c8f4b5d-6a2e-4f3b-8d9c-8e7f6a5b4c3d";
  ResourceFacts observation =
      FactsOf(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
              R"("subject":{"reference":")" +
                  patient + R"("}})",
              ResourceType::kObservation, ReferenceMode::kAllowUrnUuid);
  EXPECT_EQ(observation.patient_reference, patient);
  EXPECT_EQ(observation.references, std::vector<std::string>{patient});

  ResourceFacts facts =
      FactsOf(R"({"resourceType":"Patient","managingOrganization":{"reference":")" + organization +
                  R"("}})",
              ResourceType::kPatient, ReferenceMode::kAllowUrnUuid);
  EXPECT_EQ(facts.managing_organization, organization);
}

TEST(ResourceFacts, UrnUuidCompartmentMustNotDeclareAnotherType) {
  auto resource =
      ValidateResource(R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
                       R"("subject":{"reference":"urn:uuid:0b7e3a4c-5f1d-4e2a-9c8b-7d6e5f4a3b2c",)"
                       R"("type":"Group"}})",
                       ResourceType::kObservation, {}, ReferenceMode::kAllowUrnUuid);
  ASSERT_FALSE(resource);
  EXPECT_EQ(resource.error().code, ErrorCode::kUnprocessable);
  EXPECT_EQ(resource.error().expression, "Observation.subject");
  EXPECT_NE(resource.error().message.find("compartment"), std::string::npos);
}

struct ConfidentialityCase {
  std::string security;  // the meta.security array
  std::string expected;
};

TEST(ResourceFacts, ConfidentialityIsTheHighestV3Label) {
  const std::string v3 = R"("system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality")";
  const ConfidentialityCase cases[] = {
      {"[{" + v3 + R"(,"code":"N"}])", "N"},
      {"[{" + v3 + R"(,"code":"N"},{)" + v3 + R"(,"code":"V"},{)" + v3 + R"(,"code":"R"}])", "V"},
      {"[{" + v3 + R"(,"code":"R"},{)" + v3 + R"(,"code":"N"}])", "R"},
      {"[{" + v3 + R"(,"code":"L"}])", "N"},
      {R"([{"system":"http://example.org/labels","code":"V"}])", ""},
      {R"([{"code":"V"}])", ""},
      {"[{" + v3 + R"(,"display":"sans code"}])", ""},
  };
  for (const ConfidentialityCase& c : cases) {
    EXPECT_EQ(FactsOf(R"({"resourceType":"Patient","meta":{"security":)" + c.security + "}}",
                      ResourceType::kPatient)
                  .confidentiality,
              c.expected)
        << c.security;
  }
}

}  // namespace
}  // namespace medvault::fhir
