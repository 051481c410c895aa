#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "example_resources.h"
#include "fhir/resource.h"

namespace medvault::fhir {
namespace {

std::string Canonical(std::string_view json, ResourceType type = ResourceType::kPatient) {
  auto resource = ValidateResource(json, type);
  EXPECT_TRUE(resource) << resource.error().message << " at " << resource.error().expression;
  return resource ? resource->canonical_json : std::string();
}

struct CanonicalCase {
  const char* name;
  std::string input;
  std::string canonical;
};

TEST(CanonicalJson, WritesTheCanonicalForm) {
  const CanonicalCase cases[] = {
      {"whitespace goes, input order stays",
       R"({ "resourceType" : "Patient",
            "gender" : "female",
            "birthDate" : "1977-07-12" })",
       R"({"resourceType":"Patient","gender":"female","birthDate":"1977-07-12"})"},
      {"resourceType, id and meta lead",
       R"({"gender":"female","meta":{"tag":[{"code":"import"}]},"id":"p1",)"
       R"("resourceType":"Patient","active":true})",
       R"({"resourceType":"Patient","id":"p1","meta":{"tag":[{"code":"import"}]},)"
       R"("gender":"female","active":true})"},
      {"server meta dropped",
       R"({"resourceType":"Patient","meta":{"versionId":"7","lastUpdated":"2024-01-01T00:00:00Z",)"
       R"("source":"urn:x"},"active":true})",
       R"({"resourceType":"Patient","meta":{"source":"urn:x"},"active":true})"},
      {"meta dropped when nothing else is left",
       R"({"resourceType":"Patient","meta":{"versionId":"7","_versionId":{"id":"v"}},)"
       R"("active":true})",
       R"({"resourceType":"Patient","active":true})"},
      {"decimals verbatim",
       R"({"resourceType":"Observation","status":"final","code":{"text":"K+"},)"
       R"("subject":{"reference":"Patient/p1"},"valueQuantity":{"value":5.40},)"
       R"("referenceRange":[{"low":{"value":3.50},"high":{"value":1.0e1}},)"
       R"({"low":{"value":-0.000},"high":{"value":12345678901234567890.123456789}}]})",
       R"({"resourceType":"Observation","status":"final","code":{"text":"K+"},)"
       R"("subject":{"reference":"Patient/p1"},"valueQuantity":{"value":5.40},)"
       R"("referenceRange":[{"low":{"value":3.50},"high":{"value":1.0e1}},)"
       R"({"low":{"value":-0.000},"high":{"value":12345678901234567890.123456789}}]})"},
      {"strings re-escaped",
       R"({"resourceType":"Patient","name":[{"family":"\u004cef\u00e8vre",)"
       R"("text":"\"Mimi\" \/ d\u2019Arc\tline\nnext\\"}]})",
       "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"Lef\xc3\xa8vre\","
       "\"text\":\"\\\"Mimi\\\" / d\xe2\x80\x99"
       "Arc\\tline\\nnext\\\\\"}]}"},
      {"primitive extensions and nulls kept",
       R"({"resourceType":"Patient","name":[{"given":["Marie",null],)"
       R"("_given":[null,{"id":"g2"}]}]})",
       R"({"resourceType":"Patient","name":[{"given":["Marie",null],)"
       R"("_given":[null,{"id":"g2"}]}]})"},
  };
  for (const CanonicalCase& c : cases) {
    auto type = c.input.find("Observation") != std::string::npos ? ResourceType::kObservation
                                                                 : ResourceType::kPatient;
    EXPECT_EQ(Canonical(c.input, type), c.canonical) << c.name;
  }
}

TEST(CanonicalJson, IsAFixedPoint) {
  for (const testing::Example& example : testing::kExamples) {
    const std::string once = Canonical(example.json, example.type);
    EXPECT_EQ(Canonical(once, example.type), once) << NameOf(example.type);
  }
}

TEST(StampResource, SetsIdVersionAndLastUpdated) {
  const std::string canonical =
      Canonical(R"({"resourceType":"Patient","meta":{"security":[{"code":"R"}]},"active":true})");
  EXPECT_EQ(StampResource(canonical, "7c1f0e52", 12, "2024-03-01T10:00:00.000Z"),
            R"({"resourceType":"Patient","id":"7c1f0e52","meta":{"versionId":"12",)"
            R"("lastUpdated":"2024-03-01T10:00:00.000Z","security":[{"code":"R"}]},)"
            R"("active":true})");
}

TEST(StampResource, CreatesMetaAndReplacesAPreviousStamp) {
  const std::string canonical = Canonical(R"({"resourceType":"Patient","id":"old","active":true})");
  const std::string first = StampResource(canonical, "p1", 1, "2024-03-01T10:00:00.000Z");
  EXPECT_EQ(first, R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"1",)"
                   R"("lastUpdated":"2024-03-01T10:00:00.000Z"},"active":true})");
  EXPECT_EQ(StampResource(first, "p1", 2, "2024-03-02T08:00:00.000Z"),
            R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"2",)"
            R"("lastUpdated":"2024-03-02T08:00:00.000Z"},"active":true})");
}

TEST(StampResource, StampedResourcesValidateAndKeepTheirCanonicalBody) {
  for (const testing::Example& example : testing::kExamples) {
    const std::string canonical = Canonical(example.json, example.type);
    const std::string stamped = StampResource(canonical, "abc-123", 4, "2024-03-01T10:00:00.000Z");
    auto again = ValidateResource(stamped, example.type);
    ASSERT_TRUE(again) << NameOf(example.type) << ": " << again.error().message;
    EXPECT_EQ(again->id, "abc-123");
    EXPECT_EQ(StampResource(again->canonical_json, "abc-123", 4, "2024-03-01T10:00:00.000Z"),
              stamped);
  }
}

TEST(StampResource, RefusesWhatValidateResourceCannotHaveWritten) {
  EXPECT_THROW(StampResource("not json", "p1", 1, "2024-03-01T10:00:00.000Z"),
               std::invalid_argument);
  EXPECT_THROW(StampResource(R"({"id":"p1"})", "p1", 1, "2024-03-01T10:00:00.000Z"),
               std::invalid_argument);
}

TEST(MinimalPatientIdentity, KeepsOnlyTheDirectoryElements) {
  const std::string stored = StampResource(Canonical(testing::kPatientExample), "pat-lefevre", 3,
                                           "2024-03-01T10:00:00.000Z");
  auto minimal = MinimalPatientIdentity(stored);
  ASSERT_TRUE(minimal) << minimal.error().message;
  EXPECT_EQ(*minimal,
            R"({"resourceType":"Patient","id":"pat-lefevre","meta":{"versionId":"3",)"
            R"("lastUpdated":"2024-03-01T10:00:00.000Z","security":[)"
            R"({"system":"http://terminology.hl7.org/CodeSystem/v3-Confidentiality","code":"R"},)"
            R"({"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationValue",)"
            R"("code":"REDACTED"}]},)"
            R"("name":[{"use":"official","family":"Lefèvre","given":["Marie-Hélène","Françoise"],)"
            R"("prefix":["Mme"]}],"gender":"female","birthDate":"1977-07-12",)"
            R"("managingOrganization":{"reference":"Organization/cab-lilas"}})");
  // What the directory shows is itself a valid Patient.
  EXPECT_TRUE(ValidateResource(*minimal, ResourceType::kPatient));
}

TEST(MinimalPatientIdentity, DropsExtensionsPeriodsAndEmptiedNames) {
  const std::string stored = StampResource(
      Canonical(
          R"({"resourceType":"Patient","extension":[{"url":"http://x","valueString":"y"}],)"
          R"("text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">)"
          R"(Marie Lefèvre, NIR 277076322082910</div>"},)"
          R"("name":[{"period":{"start":"2000"}},)"
          R"({"family":"Lefèvre","given":["Marie",null],"_given":[null,{"id":"g"}],)"
          R"("period":{"start":"2001"},"_family":{"id":"f"}}],)"
          R"("_birthDate":{"extension":[{"url":"http://x","valueString":"z"}]},)"
          R"("managingOrganization":{"identifier":{"value":"690012345"}}})"),
      "p1", 1, "2024-03-01T10:00:00.000Z");
  auto minimal = MinimalPatientIdentity(stored);
  ASSERT_TRUE(minimal) << minimal.error().message;
  EXPECT_EQ(*minimal, R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"1",)"
                      R"("lastUpdated":"2024-03-01T10:00:00.000Z","security":[)"
                      R"({"system":"http://terminology.hl7.org/CodeSystem/v3-ObservationValue",)"
                      R"("code":"REDACTED"}]},"name":[{"family":"Lefèvre","given":["Marie"]}]})");
  EXPECT_TRUE(ValidateResource(*minimal, ResourceType::kPatient));
}

TEST(PatientContactDetails, KeepsOnlyWhatANotificationNeeds) {
  const std::string stored = StampResource(Canonical(testing::kPatientExample), "pat-lefevre", 3,
                                           "2024-03-01T10:00:00.000Z");
  auto contact = PatientContactDetails(stored);
  ASSERT_TRUE(contact) << contact.error().message;
  // No identifier, meta, extension, marital status, contact person, language, comment.
  EXPECT_EQ(*contact,
            R"({"resourceType":"Patient","id":"pat-lefevre",)"
            R"("name":[{"use":"official","family":"Lefèvre","given":["Marie-Hélène","Françoise"],)"
            R"("prefix":["Mme"]}],)"
            R"("telecom":[{"system":"phone","value":"+33 6 12 34 56 78","use":"mobile"},)"
            R"({"system":"email","value":"mh.lefevre@example.fr"}],"birthDate":"1977-07-12",)"
            R"("address":[{"use":"home","line":["12 rue des Lilas"],"city":"Lyon",)"
            R"("postalCode":"69003","country":"FR"}]})");
  EXPECT_FALSE(PatientContactDetails(R"({"resourceType":"Practitioner","id":"pr"})"));
}

TEST(MinimalPatientIdentity, RefusesOtherResources) {
  auto minimal = MinimalPatientIdentity(R"({"resourceType":"Practitioner","id":"pr"})");
  ASSERT_FALSE(minimal);
  EXPECT_EQ(minimal.error().code, ErrorCode::kInvalid);
  EXPECT_FALSE(MinimalPatientIdentity("{"));
}

}  // namespace
}  // namespace medvault::fhir
