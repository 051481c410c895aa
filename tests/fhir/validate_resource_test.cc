#include <gtest/gtest.h>

#include <string>

#include "example_resources.h"
#include "fhir/resource.h"

namespace medvault::fhir {
namespace {

using testing::kExamples;

TEST(ValidateResource, AcceptsAnExampleOfEveryType) {
  for (const testing::Example& example : kExamples) {
    auto resource = ValidateResource(example.json, example.type);
    ASSERT_TRUE(resource) << NameOf(example.type) << ": " << resource.error().message << " at "
                          << resource.error().expression;
    EXPECT_EQ(resource->type, example.type);
    EXPECT_FALSE(resource->id.empty());
    EXPECT_TRUE(resource->canonical_json.starts_with(R"({"resourceType":")" +
                                                     std::string(NameOf(example.type)) + "\""));
  }
}

TEST(ValidateResource, AcceptsAMinimalBodyWithoutId) {
  auto resource = ValidateResource(R"({"resourceType":"Organization","name":"Cabinet"})",
                                   ResourceType::kOrganization);
  ASSERT_TRUE(resource) << resource.error().message;
  EXPECT_EQ(resource->id, "");
}

struct ErrorCase {
  const char* name;
  ResourceType type;
  std::string json;
  ErrorCode code;
  std::string expression;  // "" when the error has no location
};

constexpr ErrorCode kInvalid = ErrorCode::kInvalid;
constexpr ErrorCode k422 = ErrorCode::kUnprocessable;
constexpr ResourceType kPatient = ResourceType::kPatient;
constexpr ResourceType kObservation = ResourceType::kObservation;

// An Observation that is valid once `extra` members are added (they must not repeat
// these).
std::string Observation(const std::string& extra) {
  return R"({"resourceType":"Observation","status":"final","code":{"text":"Poids"},)"
         R"("subject":{"reference":"Patient/p1"})" +
         (extra.empty() ? "" : "," + extra) + "}";
}

std::string Patient(const std::string& members) {
  return R"({"resourceType":"Patient",)" + members + "}";
}

class ValidateResourceErrors : public ::testing::TestWithParam<ErrorCase> {};

// "12_duplicate_key": gtest names allow letters, digits and underscores only.
std::string CaseName(const ::testing::TestParamInfo<ErrorCase>& case_info) {
  std::string name = std::to_string(case_info.index) + "_";
  for (const char* c = case_info.param.name; *c != '\0'; ++c) {
    bool keep = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9');
    name += keep ? *c : '_';
  }
  return name;
}

TEST_P(ValidateResourceErrors, ReportsCodeAndLocation) {
  const ErrorCase& c = GetParam();
  auto resource = ValidateResource(c.json, c.type);
  ASSERT_FALSE(resource) << c.name << " was accepted";
  EXPECT_EQ(resource.error().code, c.code)
      << c.name << ": " << NameOf(resource.error().code) << " " << resource.error().message;
  EXPECT_EQ(resource.error().expression, c.expression)
      << c.name << ": " << resource.error().message;
  EXPECT_FALSE(resource.error().message.empty());
}

const ErrorCase kJsonErrors[] = {
    {"not JSON", kPatient, R"({"resourceType":"Patient",)", kInvalid, ""},
    {"root array", kPatient, R"([{"resourceType":"Patient"}])", kInvalid, ""},
    {"trailing content", kPatient, R"({"resourceType":"Patient"} {})", kInvalid, ""},
    {"duplicate key", kPatient, Patient(R"("gender":"male","gender":"female")"), kInvalid, ""},
    {"duplicate nested key", kPatient, Patient(R"("name":[{"family":"A","family":"B"}])"), kInvalid,
     ""},
    {"duplicate beats unknown element", kPatient, Patient(R"("x":1,"y":2,"x":3)"), kInvalid, ""},
    {"bad UTF-8", kPatient, Patient("\"name\":[{\"family\":\"Lef\xe8vre\"}]"), kInvalid, ""},
    {"bad number", kObservation, Observation(R"("valueQuantity":{"value":072}})"), kInvalid, ""},
    {"resourceType missing", kPatient, R"({"id":"p1"})", kInvalid, ""},
    {"resourceType of another type", kPatient, R"({"resourceType":"Practitioner"})", kInvalid, ""},
    {"resourceType not a string", kPatient, R"({"resourceType":["Patient"]})", kInvalid, ""},
};
INSTANTIATE_TEST_SUITE_P(Json, ValidateResourceErrors, ::testing::ValuesIn(kJsonErrors), CaseName);

const ErrorCase kShapeErrors[] = {
    {"unknown element", kPatient, Patient(R"("nickname":"Mimi")"), k422, "Patient.nickname"},
    {"unknown nested element", kPatient, Patient(R"("name":[{"middle":"Marie"}])"), k422,
     "Patient.name[0].middle"},
    {"unknown element, odd name", kPatient, Patient(R"("nick name":"Mimi")"), k422, "Patient.?"},
    {"resourceType nested", kPatient, Patient(R"("name":[{"resourceType":"HumanName"}])"), k422,
     "Patient.name[0].resourceType"},
    {"contained", kPatient, Patient(R"("contained":[{"resourceType":"Organization","id":"o1"}])"),
     k422, "Patient.contained"},
    {"string for boolean", kPatient, Patient(R"("active":"true")"), k422, "Patient.active"},
    {"number for date", kPatient, Patient(R"("birthDate":19770712)"), k422, "Patient.birthDate"},
    {"scalar for object", kPatient, Patient(R"("maritalStatus":"M")"), k422,
     "Patient.maritalStatus"},
    {"null value", kPatient, Patient(R"("gender":null)"), k422, "Patient.gender"},
    {"array for 0..1", kPatient, Patient(R"("name":[{"family":["Lefèvre"]}])"), k422,
     "Patient.name[0].family"},
    {"object for 0..*", kPatient, Patient(R"("name":{"family":"Lefèvre"})"), k422, "Patient.name"},
    {"string for 0..*", kPatient, Patient(R"("name":[{"given":"Marie"}])"), k422,
     "Patient.name[0].given"},
    {"empty array", kPatient, Patient(R"("name":[])"), k422, "Patient.name"},
    {"empty object", kPatient, Patient(R"("maritalStatus":{})"), k422, "Patient.maritalStatus"},
    {"empty object in array", kPatient, Patient(R"("name":[{"family":"A"},{}])"), k422,
     "Patient.name[1]"},
    {"empty string", kPatient, Patient(R"("name":[{"family":""}])"), k422,
     "Patient.name[0].family"},
    {"control character", kPatient, Patient(R"("name":[{"family":"Lef\u0007vre"}])"), k422,
     "Patient.name[0].family"},
    {"null in array", kPatient, Patient(R"("name":[{"given":["Marie",null]}])"), k422,
     "Patient.name[0].given[1]"},
    {"null in a complex array", kPatient, Patient(R"("name":[{"family":"A"},null])"), k422,
     "Patient.name[1]"},
    // Required elements.
    {"Observation.status", kObservation,
     R"({"resourceType":"Observation","code":{"text":"x"},"subject":{"reference":"Patient/p"}})",
     k422, "Observation.status"},
    {"Observation.code", kObservation,
     R"({"resourceType":"Observation","status":"final","subject":{"reference":"Patient/p"}})", k422,
     "Observation.code"},
    {"Encounter.class", ResourceType::kEncounter,
     R"({"resourceType":"Encounter","status":"finished","subject":{"reference":"Patient/p"}})",
     k422, "Encounter.class"},
    {"Encounter.status", ResourceType::kEncounter,
     R"({"resourceType":"Encounter","class":{"code":"AMB"},"subject":{"reference":"Patient/p"}})",
     k422, "Encounter.status"},
    {"MedicationRequest.intent", ResourceType::kMedicationRequest,
     R"({"resourceType":"MedicationRequest","status":"active","subject":{"reference":"Patient/p"},)"
     R"("medicationCodeableConcept":{"text":"Ramipril"}})",
     k422, "MedicationRequest.intent"},
    {"MedicationRequest.medication[x]", ResourceType::kMedicationRequest,
     R"({"resourceType":"MedicationRequest","status":"active","intent":"order",)"
     R"("subject":{"reference":"Patient/p"}})",
     k422, "MedicationRequest.medication[x]"},
    {"DocumentReference.content", ResourceType::kDocumentReference,
     R"({"resourceType":"DocumentReference","status":"current","subject":{"reference":"Patient/p"}})",
     k422, "DocumentReference.content"},
    {"DocumentReference.content.attachment", ResourceType::kDocumentReference,
     R"({"resourceType":"DocumentReference","status":"current","subject":{"reference":"Patient/p"},)"
     R"("content":[{"format":{"code":"urn:ihe:iti:xds:2017:mimeTypeSufficient"}}]})",
     k422, "DocumentReference.content[0].attachment"},
    {"Condition.subject", ResourceType::kCondition,
     R"({"resourceType":"Condition","code":{"text":"HTA"}})", k422, "Condition.subject"},
    {"AllergyIntolerance.patient", ResourceType::kAllergyIntolerance,
     R"({"resourceType":"AllergyIntolerance","code":{"text":"Pénicilline"}})", k422,
     "AllergyIntolerance.patient"},
    {"AllergyIntolerance.reaction.manifestation", ResourceType::kAllergyIntolerance,
     R"({"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/p"},)"
     R"("reaction":[{"severity":"mild"}]})",
     k422, "AllergyIntolerance.reaction[0].manifestation"},
    {"Patient.link.type", kPatient, Patient(R"("link":[{"other":{"reference":"Patient/p2"}}])"),
     k422, "Patient.link[0].type"},
    {"Patient.communication.language", kPatient, Patient(R"("communication":[{"preferred":true}])"),
     k422, "Patient.communication[0].language"},
    {"Extension.url", kPatient, Patient(R"("extension":[{"valueString":"x"}])"), k422,
     "Patient.extension[0].url"},
    {"Narrative.div", kPatient, Patient(R"("text":{"status":"generated"})"), k422,
     "Patient.text.div"},
    // Choice elements.
    {"two value[x]", kObservation,
     Observation(R"("valueQuantity":{"value":72.5},"valueString":"72,5 kg")"), k422,
     "Observation.value[x]"},
    {"two deceased[x]", kPatient, Patient(R"("deceasedBoolean":true,"deceasedDateTime":"2020")"),
     k422, "Patient.deceased[x]"},
    {"unknown value[x] type", kObservation, Observation(R"("valueMoney":{"value":1})"), k422,
     "Observation.valueMoney"},
    {"bare choice stem", kObservation, Observation(R"("value":72)"), k422, "Observation.value"},
    {"value and _value of other types", kObservation,
     Observation(R"("valueString":"x","_valueBoolean":{"id":"b"})"), k422, "Observation.value[x]"},
    // Primitive formats.
    {"id", kPatient, Patient(R"("id":"pat 1")"), k422, "Patient.id"},
    {"id too long", kPatient, Patient("\"id\":\"" + std::string(65, 'a') + "\""), k422,
     "Patient.id"},
    {"code whitespace", kPatient, Patient(R"("gender":"female ")"), k422, "Patient.gender"},
    {"date calendar", kPatient, Patient(R"("birthDate":"1977-02-30")"), k422, "Patient.birthDate"},
    {"date with time", kPatient, Patient(R"("birthDate":"1977-07-12T08:30:00Z")"), k422,
     "Patient.birthDate"},
    {"dateTime without zone", kObservation,
     Observation(R"("effectiveDateTime":"2024-03-01T09:35:00")"), k422,
     "Observation.effectiveDateTime"},
    {"instant without time", ResourceType::kDocumentReference,
     R"({"resourceType":"DocumentReference","status":"current","subject":{"reference":"Patient/p"},)"
     R"("date":"2024-03-01","content":[{"attachment":{"title":"CR"}}]})",
     k422, "DocumentReference.date"},
    {"time", kObservation, Observation(R"("valueTime":"25:00:00")"), k422, "Observation.valueTime"},
    {"integer with fraction", kPatient, Patient(R"("multipleBirthInteger":2.5)"), k422,
     "Patient.multipleBirthInteger"},
    {"integer out of range", kPatient, Patient(R"("multipleBirthInteger":3000000000)"), k422,
     "Patient.multipleBirthInteger"},
    {"positiveInt zero", kPatient,
     Patient(R"("telecom":[{"system":"phone","value":"0478","rank":0}])"), k422,
     "Patient.telecom[0].rank"},
    {"unsignedInt negative", ResourceType::kMedicationRequest,
     R"({"resourceType":"MedicationRequest","status":"active","intent":"order",)"
     R"("subject":{"reference":"Patient/p"},"medicationCodeableConcept":{"text":"x"},)"
     R"("dispenseRequest":{"numberOfRepeatsAllowed":-1}})",
     k422, "MedicationRequest.dispenseRequest.numberOfRepeatsAllowed"},
    {"decimal as string", kObservation, Observation(R"("valueQuantity":{"value":"72.5"})"), k422,
     "Observation.valueQuantity.value"},
    {"uri with space", kObservation,
     Observation(R"("category":[{"coding":[{"system":"http://loinc org","code":"x"}]}])"), k422,
     "Observation.category[0].coding[0].system"},
    {"base64", ResourceType::kDocumentReference,
     R"({"resourceType":"DocumentReference","status":"current","subject":{"reference":"Patient/p"},)"
     R"("content":[{"attachment":{"data":"not base64!"}}]})",
     k422, "DocumentReference.content[0].attachment.data"},
    {"oid", kPatient, Patient(R"("extension":[{"url":"http://x","valueOid":"1.2.250"}])"), k422,
     "Patient.extension[0].valueOid"},
    {"xhtml", kPatient, Patient(R"("text":{"status":"generated","div":"Patiente suivie"})"), k422,
     "Patient.text.div"},
    // Required bindings.
    {"gender", kPatient, Patient(R"("gender":"F")"), k422, "Patient.gender"},
    {"contact gender", kPatient, Patient(R"("contact":[{"gender":"femme"}])"), k422,
     "Patient.contact[0].gender"},
    {"HumanName.use", kPatient, Patient(R"("name":[{"use":"legal","family":"A"}])"), k422,
     "Patient.name[0].use"},
    {"ContactPoint.system", kPatient, Patient(R"("telecom":[{"system":"telephone"}])"), k422,
     "Patient.telecom[0].system"},
    {"Address.use", kPatient, Patient(R"("address":[{"use":"main","city":"Lyon"}])"), k422,
     "Patient.address[0].use"},
    {"Identifier.use", kPatient, Patient(R"("identifier":[{"use":"primary","value":"1"}])"), k422,
     "Patient.identifier[0].use"},
    {"Narrative.status", kPatient,
     Patient(
         R"("text":{"status":"auto","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"})"),
     k422, "Patient.text.status"},
    {"Observation.status", kObservation,
     R"({"resourceType":"Observation","status":"done","code":{"text":"x"},)"
     R"("subject":{"reference":"Patient/p"}})",
     k422, "Observation.status"},
    {"Quantity.comparator", kObservation,
     Observation(R"("valueQuantity":{"value":1,"comparator":"~"})"), k422,
     "Observation.valueQuantity.comparator"},
    {"AllergyIntolerance.category", ResourceType::kAllergyIntolerance,
     R"({"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/p"},)"
     R"("category":["food","drug"]})",
     k422, "AllergyIntolerance.category[1]"},
    {"AllergyIntolerance.criticality", ResourceType::kAllergyIntolerance,
     R"({"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/p"},)"
     R"("criticality":"severe"})",
     k422, "AllergyIntolerance.criticality"},
    {"CareTeam.status", ResourceType::kCareTeam,
     R"({"resourceType":"CareTeam","status":"open","subject":{"reference":"Patient/p"}})", k422,
     "CareTeam.status"},
    {"DocumentReference.status", ResourceType::kDocumentReference,
     R"({"resourceType":"DocumentReference","status":"final","subject":{"reference":"Patient/p"},)"
     R"("content":[{"attachment":{"title":"CR"}}]})",
     k422, "DocumentReference.status"},
    {"MedicationRequest.intent", ResourceType::kMedicationRequest,
     R"({"resourceType":"MedicationRequest","status":"active","intent":"prescription",)"
     R"("subject":{"reference":"Patient/p"},"medicationCodeableConcept":{"text":"x"}})",
     k422, "MedicationRequest.intent"},
    {"Timing.repeat.periodUnit", ResourceType::kMedicationRequest,
     R"({"resourceType":"MedicationRequest","status":"active","intent":"order",)"
     R"("subject":{"reference":"Patient/p"},"medicationCodeableConcept":{"text":"x"},)"
     R"("dosageInstruction":[{"timing":{"repeat":{"period":1,"periodUnit":"day"}}}]})",
     k422, "MedicationRequest.dosageInstruction[0].timing.repeat.periodUnit"},
    {"Condition.clinicalStatus code", ResourceType::kCondition,
     R"({"resourceType":"Condition","subject":{"reference":"Patient/p"},"clinicalStatus":)"
     R"({"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",)"
     R"("code":"chronic"}]}})",
     k422, "Condition.clinicalStatus.coding[0].code"},
    {"Condition.clinicalStatus text only", ResourceType::kCondition,
     R"({"resourceType":"Condition","subject":{"reference":"Patient/p"},)"
     R"("clinicalStatus":{"text":"active"}})",
     k422, "Condition.clinicalStatus"},
    // Primitive extensions.
    {"_birthDate not an object", kPatient, Patient(R"("_birthDate":"ext")"), k422,
     "Patient.birthDate"},
    {"_birthDate empty", kPatient, Patient(R"("_birthDate":{})"), k422, "Patient.birthDate"},
    {"_birthDate unknown member", kPatient, Patient(R"("_birthDate":{"value":"1977"})"), k422,
     "Patient.birthDate.value"},
    {"_ on a complex element", kPatient, Patient(R"("_name":{"id":"n"})"), k422, "Patient._name"},
    {"_given length", kPatient, Patient(R"("name":[{"given":["A","B"],"_given":[{"id":"g"}]}])"),
     k422, "Patient.name[0].given"},
    {"_given both null", kPatient,
     Patient(R"("name":[{"given":["A",null],"_given":[{"id":"g"},null]}])"), k422,
     "Patient.name[0].given[1]"},
    {"_given null alone", kPatient, Patient(R"("name":[{"_given":[null]}])"), k422,
     "Patient.name[0].given[0]"},
    // References.
    {"absolute URL", kObservation,
     Observation(R"("performer":[{"reference":"https://example.org/fhir/Practitioner/1"}])"), k422,
     "Observation.performer[0].reference"},
    {"contained reference", kObservation, Observation(R"("performer":[{"reference":"#p1"}])"), k422,
     "Observation.performer[0].reference"},
    {"reference without id", kObservation,
     Observation(R"("performer":[{"reference":"Practitioner"}])"), k422,
     "Observation.performer[0].reference"},
    {"reference to a disallowed type", kObservation,
     Observation(R"("performer":[{"reference":"Medication/m1"}])"), k422,
     "Observation.performer[0].reference"},
    {"urn:uuid outside a Bundle", kObservation,
     Observation(R"("performer":[{"reference":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520"}])"),
     k422, "Observation.performer[0].reference"},
    {"Reference.type disallowed", kObservation,
     Observation(R"("performer":[{"type":"Medication","display":"x"}])"), k422,
     "Observation.performer[0].type"},
    {"Reference.type mismatch", kObservation,
     Observation(R"("performer":[{"reference":"Practitioner/1","type":"Organization"}])"), k422,
     "Observation.performer[0].type"},
    {"reference in an Identifier", kPatient,
     Patient(R"("identifier":[{"value":"1","assigner":{"reference":"Patient/p2"}}])"), k422,
     "Patient.identifier[0].assigner.reference"},
    // The patient compartment.
    {"Observation without subject", kObservation,
     R"({"resourceType":"Observation","status":"final","code":{"text":"x"}})", k422,
     "Observation.subject"},
    {"Observation about a Group", kObservation,
     R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
     R"("subject":{"reference":"Group/g1"}})",
     k422, "Observation.subject"},
    {"subject without a literal reference", ResourceType::kEncounter,
     R"({"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},)"
     R"("subject":{"display":"Mme Lefèvre"}})",
     k422, "Encounter.subject"},
    {"CareTeam without subject", ResourceType::kCareTeam,
     R"({"resourceType":"CareTeam","status":"active"})", k422, "CareTeam.subject"},
    {"DocumentReference about a Practitioner", ResourceType::kDocumentReference,
     R"({"resourceType":"DocumentReference","status":"current",)"
     R"("subject":{"reference":"Practitioner/pr"},"content":[{"attachment":{"title":"CR"}}]})",
     k422, "DocumentReference.subject"},
    // Invariants.
    {"ext-1 value and extensions", kPatient,
     Patient(R"("extension":[{"url":"http://x","valueString":"a",)"
             R"("extension":[{"url":"http://y","valueString":"b"}]}])"),
     k422, "Patient.extension[0]"},
    {"ext-1 neither", kPatient, Patient(R"("extension":[{"url":"http://x"}])"), k422,
     "Patient.extension[0]"},
    {"per-1", ResourceType::kEncounter,
     R"({"resourceType":"Encounter","status":"finished","class":{"code":"AMB"},)"
     R"("subject":{"reference":"Patient/p"},)"
     R"("period":{"start":"2024-03-01T10:00:00Z","end":"2024-03-01T09:00:00Z"}})",
     k422, "Encounter.period"},
    {"confidentiality code", kPatient,
     Patient(R"("meta":{"security":[{"system":)"
             R"("http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"X"}]})"),
     k422, "Patient.meta.security[0].code"},
};
INSTANTIATE_TEST_SUITE_P(Shape, ValidateResourceErrors, ::testing::ValuesIn(kShapeErrors),
                         CaseName);

TEST(ValidateResource, ErrorMessagesNeverQuoteTheOffendingValue) {
  // Every body carries a bad value built around a recognisable name.
  const std::pair<ResourceType, std::string> cases[] = {
      {kPatient, Patient(R"("birthDate":"Kerjean")")},
      {kPatient, Patient(R"("gender":"Kerjean")")},
      {kPatient, Patient(R"("id":"Kerjean Yann")")},
      {kPatient, Patient(R"("active":"Kerjean")")},
      {kPatient, Patient(R"("name":[{"family":["Kerjean"]}])")},
      {kPatient, Patient(R"("name":[{"family":"Kerjean\u0001"}])")},
      {kPatient, Patient(R"("name":"Kerjean")")},
      {kPatient, Patient(R"("maritalStatus":"Kerjean")")},
      {kPatient, Patient(R"("managingOrganization":{"reference":"Kerjean"})")},
      {kPatient, Patient(R"("managingOrganization":{"reference":"Patient/Kerjean"})")},
      {kPatient, Patient(R"("managingOrganization":{"reference":"https://Kerjean.fr/O/1"})")},
      {kPatient, Patient(R"("managingOrganization":{"type":"Kerjean","display":"x"})")},
      {kPatient, Patient(R"("telecom":[{"system":"phone","value":"Kerjean","rank":"Kerjean"}])")},
      {kObservation, Observation(R"("valueQuantity":{"value":"Kerjean"})")},
      {kObservation, Observation(R"("valueTime":"Kerjean")")},
      {kObservation, Observation(R"("effectiveDateTime":"Kerjean")")},
      {ResourceType::kCondition,
       R"({"resourceType":"Condition","subject":{"reference":"Patient/p"},"clinicalStatus":)"
       R"({"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical",)"
       R"("code":"Kerjean"}]}})"},
      {kObservation, R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
                     R"("subject":{"reference":"Group/Kerjean"}})"},
      {kPatient, R"({"resourceType":"Kerjean"})"},
  };
  for (const auto& [type, json] : cases) {
    auto resource = ValidateResource(json, type);
    ASSERT_FALSE(resource) << json;
    EXPECT_EQ(resource.error().message.find("Kerjean"), std::string::npos)
        << resource.error().message;
    EXPECT_EQ(resource.error().expression.find("Kerjean"), std::string::npos)
        << resource.error().expression;
  }
}

TEST(ValidateResource, AcceptsPrimitiveExtensionsBesideOrInsteadOfValues) {
  const std::string bodies[] = {
      Patient(R"("_gender":{"extension":[{"url":"http://x","valueCode":"mixed"}]})"),
      Patient(R"("gender":"other","_gender":{"id":"g1"})"),
      Patient(R"("name":[{"given":["Marie",null],)"
              R"("_given":[null,{"extension":[{"url":"http://x","valueString":"Hélène"}]}]}])"),
      Patient(R"("name":[{"_given":[{"id":"only-extension"}]}])"),
  };
  for (const std::string& body : bodies) {
    auto resource = ValidateResource(body, kPatient);
    EXPECT_TRUE(resource) << body << ": " << resource.error().message << " at "
                          << resource.error().expression;
  }
}

TEST(ValidateResource, AcceptsReferencesWithoutALiteral) {
  auto resource = ValidateResource(
      Observation(R"("performer":[{"display":"Dr Jean Martin"},)"
                  R"({"identifier":{"system":"urn:oid:1.2.250.1.71.4.2.1","value":"1000"}},)"
                  R"({"type":"Practitioner","display":"Dr Martin"}])"),
      kObservation);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
}

TEST(ValidateResource, AcceptsVersionedReferencesAndAnyTarget) {
  auto resource = ValidateResource(
      Observation(R"("focus":[{"reference":"Specimen/s1/_history/2"}],)"
                  R"("hasMember":[{"reference":"Observation/o2","type":"Observation"}])"),
      kObservation);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
}

TEST(ValidateResource, AcceptsUrnUuidReferencesOnlyWhenAllowed) {
  const std::string body =
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"},)"
      R"("subject":{"reference":"urn:uuid:c757873d-ec9a-4326-a141-556f43239520"}})";
  EXPECT_FALSE(ValidateResource(body, kObservation));
  auto resource = ValidateResource(body, kObservation, {}, ReferenceMode::kAllowUrnUuid);
  ASSERT_TRUE(resource) << resource.error().message;
  EXPECT_EQ(resource->facts.patient_reference, "urn:uuid:c757873d-ec9a-4326-a141-556f43239520");
}

TEST(ValidateResource, AcceptsNestedExtensionsAndModifierExtensions) {
  auto resource = ValidateResource(
      Patient(
          R"("modifierExtension":[{"url":"http://x","valueBoolean":true}],)"
          R"("extension":[{"url":"http://hl7.org/fhir/StructureDefinition/patient-nationality",)"
          R"("extension":[{"url":"code","valueCodeableConcept":{"text":"Française"}},)"
          R"({"url":"period","valuePeriod":{"start":"1977"}}]}])"),
      kPatient);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
}

TEST(ValidateResource, AcceptsObservationComponentsAndRanges) {
  auto resource = ValidateResource(
      Observation(R"("component":[)"
                  R"({"code":{"text":"Systolique"},"valueQuantity":{"value":132,"unit":"mmHg"},)"
                  R"("referenceRange":[{"high":{"value":140}}]},)"
                  R"({"code":{"text":"Diastolique"},"valueQuantity":{"value":84,"unit":"mmHg"}}],)"
                  R"("referenceRange":[{"low":{"value":3.5},"high":{"value":5.0},"text":"N"}],)"
                  R"("interpretation":[{"text":"Normal"}],"note":[{"text":"À jeun"}])"),
      kObservation);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
}

ValidationLimits Limits(size_t max_bytes, size_t max_depth, size_t max_array_items) {
  ValidationLimits limits;
  limits.max_bytes = max_bytes;
  limits.max_depth = max_depth;
  limits.max_array_items = max_array_items;
  return limits;
}

std::string NestedExtensions(int levels) {
  std::string json;
  for (int i = 0; i < levels; ++i) json += R"({"url":"http://x","extension":[)";
  json += R"({"url":"http://x","valueString":"fond"})";
  for (int i = 0; i < levels; ++i) json += "]}";
  return Patient(R"("extension":[)" + json + "]");
}

TEST(ValidateResource, LimitsNestingDepth) {
  // The root is level 1, "extension":[ level 2, and each nested extension adds two.
  EXPECT_TRUE(ValidateResource(NestedExtensions(30), kPatient));
  auto too_deep = ValidateResource(NestedExtensions(31), kPatient);
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().code, kInvalid);
  EXPECT_FALSE(ValidateResource(NestedExtensions(5), kPatient, Limits(1 << 20, 8, 10'000)));
  EXPECT_FALSE(
      ValidateResource(NestedExtensions(5000), kPatient, Limits(1 << 20, 100'000, 10'000)));
}

TEST(ValidateResource, LimitsArrayLength) {
  auto given = [](int n) {
    std::string names;
    for (int i = 0; i < n; ++i) names += i == 0 ? "\"Marie\"" : ",\"Marie\"";
    return Patient(R"("name":[{"given":[)" + names + "]}]");
  };
  EXPECT_TRUE(ValidateResource(given(10'000), kPatient));
  auto too_long = ValidateResource(given(10'001), kPatient);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, kInvalid);
  EXPECT_FALSE(ValidateResource(given(11), kPatient, Limits(1 << 20, 64, 10)));
}

TEST(ValidateResource, PairsNullsWithExtensionsInLinearTime) {
  // 10,000 nulls, each with its extension: quadratic pairing would take seconds here.
  std::string values = "null";
  std::string extensions = R"({"id":"e"})";
  for (int i = 1; i < 10'000; ++i) {
    values += ",null";
    extensions += R"(,{"id":"e"})";
  }
  auto resource = ValidateResource(
      Patient(R"("name":[{"given":[)" + values + R"(],"_given":[)" + extensions + "]}]"), kPatient);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
}

TEST(ValidateResource, LimitsSize) {
  const std::string body = Patient(R"("gender":"female")");
  EXPECT_TRUE(ValidateResource(body, kPatient, Limits(body.size(), 64, 10'000)));
  auto too_large = ValidateResource(body, kPatient, Limits(body.size() - 1, 64, 10'000));
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error().code, ErrorCode::kPayloadTooLarge);
}

}  // namespace
}  // namespace medvault::fhir
