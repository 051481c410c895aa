// Every supported resource type through every interaction over HTTPS, using the same
// realistic examples as the validation tests; and concurrent updates of one resource,
// which must each either apply on top of the last or fail with 409, never interleave.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fhir/example_resources.h"
#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

class FhirTypesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { practice_ = StartPractice().release(); }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;

  // An example with its references pointing at this practice's records.
  std::string Localize(std::string_view json, const std::string& patient) {
    std::string s(json);
    s = Replace(s, "Patient/pat-lefevre", "Patient/" + patient);
    s = Replace(s, "Organization/cab-lilas", "Organization/" + practice_->organization_id);
    return s;
  }
};
Practice* FhirTypesTest::practice_ = nullptr;

TEST_F(FhirTypesTest, EveryTypeSupportsEveryInteraction) {
  HttpsClient& doctor = practice_->as("physician");
  HttpsClient& admin = practice_->as("admin");
  auto patient =
      doctor.Request("POST", "/fhir/Patient",
                     PatientJson("Typeset", "Anne", "1970-01-01", practice_->organization_id));
  ASSERT_EQ(patient.status, 201) << patient.body;
  std::string patient_id = IdFromLocation(patient);

  for (const auto& example : fhir::testing::kExamples) {
    std::string type(fhir::NameOf(example.type));
    HttpsClient& c = fhir::IsPatientData(example.type) ? doctor : admin;
    SCOPED_TRACE(type);
    auto created = c.Request("POST", "/fhir/" + type, Localize(example.json, patient_id));
    ASSERT_EQ(created.status, 201) << created.body;
    std::string id = IdFromLocation(created);
    auto read = c.Get("/fhir/" + type + "/" + id);
    ASSERT_EQ(read.status, 200);
    auto doc = Json(read.body);
    EXPECT_EQ(std::string(doc["resourceType"].GetString()), type);
    EXPECT_EQ(std::string(doc["id"].GetString()), id);

    // Update with the stored body itself: it carries the id and a meta the server
    // replaces.
    auto put = c.Request("PUT", "/fhir/" + type + "/" + id, read.body, {"If-Match: W/\"1\""});
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.Header("etag"), "W/\"2\"");
    EXPECT_EQ(c.Get("/fhir/" + type + "/" + id + "/_history/1").status, 200);
    auto history = c.Get("/fhir/" + type + "/" + id + "/_history");
    ASSERT_EQ(history.status, 200);
    EXPECT_EQ(Json(history.body)["entry"].Size(), 2u);

    std::string search =
        fhir::IsPatientData(example.type) && example.type != fhir::ResourceType::kPatient
            ? "/fhir/" + type + "?patient=" + patient_id + "&_id=" + id
            : "/fhir/" + type + "?_id=" + id;
    auto found = c.Get(search);
    ASSERT_EQ(found.status, 200) << found.body;
    EXPECT_EQ(Json(found.body)["total"].GetInt(), 1) << search;

    EXPECT_EQ(c.Request("DELETE", "/fhir/" + type + "/" + id).status, 204);
    EXPECT_EQ(c.Get("/fhir/" + type + "/" + id).status, 410);
  }
}

TEST_F(FhirTypesTest, ConcurrentUpdatesApplyOneAtATimeOrConflict) {
  auto created =
      practice_->as("physician")
          .Request("POST", "/fhir/Patient",
                   PatientJson("Concurrent", "Anne", "1970-01-01", practice_->organization_id));
  ASSERT_EQ(created.status, 201);
  std::string id = IdFromLocation(created);
  std::string body = PatientJson("Concurrent", "Anne", "1970-01-01", practice_->organization_id);
  body.insert(1, "\"id\":\"" + id + "\",");

  constexpr int kThreads = 4, kEach = 10;
  std::atomic<int> applied{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto client = practice_->SameSessionAs("physician");
      for (int i = 0; i < kEach; ++i) {
        long status = client->Request("PUT", "/fhir/Patient/" + id, body).status;
        if (status == 200)
          applied++;
        else if (status == 409)
          conflicts++;
        else
          other++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(applied + conflicts, kThreads * kEach);
  // Every applied update made exactly one new version; no version was lost or doubled.
  auto current = practice_->as("physician").Get("/fhir/Patient/" + id);
  EXPECT_EQ(current.Header("etag"), "W/\"" + std::to_string(1 + applied.load()) + "\"");
  auto history = practice_->as("physician").Get("/fhir/Patient/" + id + "/_history");
  EXPECT_EQ(Json(history.body)["entry"].Size(), static_cast<size_t>(1 + applied.load()));
}

}  // namespace
}  // namespace medvault::testing
