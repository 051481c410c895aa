// read, vread, create, update (If-Match), delete, history over HTTPS, with the
// headers FHIR asks for.
#include <gtest/gtest.h>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

class FhirCrudTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { practice_ = StartPractice().release(); }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
  HttpsClient& doctor() { return practice_->as("physician"); }

  std::string CreatePatient(const std::string& family) {
    auto r =
        doctor().Request("POST", "/fhir/Patient",
                         PatientJson(family, "Anne", "1980-02-29", practice_->organization_id));
    EXPECT_EQ(r.status, 201) << r.body;
    return IdFromLocation(r);
  }
};
Practice* FhirCrudTest::practice_ = nullptr;

TEST_F(FhirCrudTest, CreateAnswers201WithLocationEtagAndTheStoredResource) {
  auto r =
      doctor().Request("POST", "/fhir/Patient",
                       PatientJson("Lefèvre", "Zoé", "1975-06-01", practice_->organization_id));
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id = IdFromLocation(r);
  ASSERT_EQ(id.size(), 36u) << r.Header("location");  // a random UUID
  EXPECT_EQ(r.Header("etag"), "W/\"1\"");
  EXPECT_FALSE(r.Header("last-modified").empty());
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_NE(r.Header("content-type").find("application/fhir+json"), std::string::npos);
  auto doc = Json(r.body);
  EXPECT_EQ(std::string(doc["id"].GetString()), id);
  EXPECT_EQ(std::string(doc["meta"]["versionId"].GetString()), "1");
  EXPECT_EQ(std::string(doc["name"][0]["family"].GetString()), "Lefèvre");
}

TEST_F(FhirCrudTest, ClientSuppliedIdsAreIgnoredOnCreate) {
  std::string body = PatientJson("Durand", "Paul", "1990-01-01", practice_->organization_id);
  body.insert(1, R"("id":"chosen-by-client",)");
  auto r = doctor().Request("POST", "/fhir/Patient", body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(IdFromLocation(r), "chosen-by-client");
}

TEST_F(FhirCrudTest, ReadAndVReadReturnTheVersionAsked) {
  std::string id = CreatePatient("Garnier");
  auto read = doctor().Get("/fhir/Patient/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Header("etag"), "W/\"1\"");
  auto v1 = doctor().Get("/fhir/Patient/" + id + "/_history/1");
  ASSERT_EQ(v1.status, 200);
  EXPECT_EQ(v1.body, read.body);
  EXPECT_EQ(doctor().Get("/fhir/Patient/" + id + "/_history/2").status, 404);
  EXPECT_EQ(doctor().Get("/fhir/Patient/" + id + "/_history/zero").status, 404);
  EXPECT_EQ(doctor().Get("/fhir/Patient/00000000-0000-4000-8000-000000000000").status, 404);
}

TEST_F(FhirCrudTest, UpdateHonoursIfMatch) {
  std::string id = CreatePatient("Fournier");
  std::string body =
      PatientJson("Fournier-Blanc", "Anne", "1980-02-29", practice_->organization_id);
  body.insert(1, "\"id\":\"" + id + "\",");
  auto ok = doctor().Request("PUT", "/fhir/Patient/" + id, body, {"If-Match: W/\"1\""});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Header("etag"), "W/\"2\"");
  EXPECT_EQ(std::string(Json(ok.body)["name"][0]["family"].GetString()), "Fournier-Blanc");

  auto stale = doctor().Request("PUT", "/fhir/Patient/" + id, body, {"If-Match: W/\"1\""});
  EXPECT_EQ(stale.status, 412) << stale.body;
  EXPECT_EQ(std::string(Json(stale.body)["resourceType"].GetString()), "OperationOutcome");
  auto bad = doctor().Request("PUT", "/fhir/Patient/" + id, body, {"If-Match: soon"});
  EXPECT_EQ(bad.status, 400);
  // Nothing changed by the refused updates.
  EXPECT_EQ(doctor().Get("/fhir/Patient/" + id).Header("etag"), "W/\"2\"");
  // Without If-Match the update applies to the current version.
  auto blind = doctor().Request("PUT", "/fhir/Patient/" + id, body);
  EXPECT_EQ(blind.status, 200);
  EXPECT_EQ(blind.Header("etag"), "W/\"3\"");
}

TEST_F(FhirCrudTest, UpdateRefusesIdMismatchMissingIdAndUnknownResources) {
  std::string id = CreatePatient("Roux");
  std::string body = PatientJson("Roux", "Anne", "1980-02-29", practice_->organization_id);
  EXPECT_EQ(doctor().Request("PUT", "/fhir/Patient/" + id, body).status, 400);  // no id
  std::string other = body;
  other.insert(1, R"("id":"another-id",)");
  EXPECT_EQ(doctor().Request("PUT", "/fhir/Patient/" + id, other).status, 400);
  std::string ghost_id = "00000000-0000-4000-8000-000000000001";
  std::string ghost = body;
  ghost.insert(1, "\"id\":\"" + ghost_id + "\",");
  EXPECT_EQ(doctor().Request("PUT", "/fhir/Patient/" + ghost_id, ghost).status, 404);
  EXPECT_EQ(doctor().Get("/fhir/Patient/" + id).Header("etag"), "W/\"1\"");
}

TEST_F(FhirCrudTest, DeleteThenReadIsGoneAndHistoryKeepsEveryVersion) {
  std::string id = CreatePatient("Morel");
  std::string body = PatientJson("Morel", "Anne", "1980-03-01", practice_->organization_id);
  body.insert(1, "\"id\":\"" + id + "\",");
  ASSERT_EQ(doctor().Request("PUT", "/fhir/Patient/" + id, body).status, 200);
  auto del = doctor().Request("DELETE", "/fhir/Patient/" + id);
  EXPECT_EQ(del.status, 204);
  auto gone = doctor().Get("/fhir/Patient/" + id);
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(std::string(Json(gone.body)["issue"][0]["code"].GetString()), "deleted");
  EXPECT_EQ(doctor().Request("DELETE", "/fhir/Patient/" + id).status, 204);  // idempotent
  EXPECT_EQ(doctor().Request("PUT", "/fhir/Patient/" + id, body).status, 410);

  auto history = doctor().Get("/fhir/Patient/" + id + "/_history");
  ASSERT_EQ(history.status, 200) << history.body;
  auto doc = Json(history.body);
  EXPECT_EQ(std::string(doc["type"].GetString()), "history");
  ASSERT_EQ(doc["entry"].Size(), 3u);
  EXPECT_EQ(std::string(doc["entry"][0]["request"]["method"].GetString()), "DELETE");
  EXPECT_EQ(std::string(doc["entry"][1]["request"]["method"].GetString()), "PUT");
  EXPECT_EQ(std::string(doc["entry"][2]["request"]["method"].GetString()), "POST");
  EXPECT_EQ(doctor().Get("/fhir/Patient/" + id + "/_history/1").status, 200);
  EXPECT_EQ(doctor().Get("/fhir/Patient/" + id + "/_history/3").status, 410);
}

TEST_F(FhirCrudTest, ClinicalResourcesLiveInTheirPatientsCompartment) {
  std::string patient = CreatePatient("Bonnet");
  auto obs = doctor().Request("POST", "/fhir/Observation",
                              ObservationJson(patient, "2026-11-02T09:30:00+01:00", "72.50"));
  ASSERT_EQ(obs.status, 201) << obs.body;
  auto read = doctor().Get("/fhir/Observation/" + IdFromLocation(obs));
  ASSERT_EQ(read.status, 200);
  // Decimals keep their written precision.
  EXPECT_NE(read.body.find("72.50"), std::string::npos) << read.body;

  auto orphan =
      doctor().Request("POST", "/fhir/Observation",
                       ObservationJson("00000000-0000-4000-8000-00000000abcd", "2026-11-02", "70"));
  EXPECT_EQ(orphan.status, 422) << orphan.body;
}

TEST_F(FhirCrudTest, AResourceCannotMoveToAnotherPatient) {
  std::string first = CreatePatient("Premier");
  std::string second = CreatePatient("Second");
  auto obs = doctor().Request("POST", "/fhir/Observation",
                              ObservationJson(first, "2026-11-02T09:30:00Z", "70"));
  ASSERT_EQ(obs.status, 201);
  std::string id = IdFromLocation(obs);
  std::string moved = ObservationJson(second, "2026-11-02T09:30:00Z", "70");
  moved.insert(1, "\"id\":\"" + id + "\",");
  auto r = doctor().Request("PUT", "/fhir/Observation/" + id, moved);
  EXPECT_EQ(r.status, 422) << r.body;
  std::string same = ObservationJson(first, "2026-11-02T09:30:00Z", "71");
  same.insert(1, "\"id\":\"" + id + "\",");
  EXPECT_EQ(doctor().Request("PUT", "/fhir/Observation/" + id, same).status, 200);
}

TEST_F(FhirCrudTest, DirectoryResourcesAreReadableByCliniciansAndWrittenByAdmins) {
  auto org = doctor().Get("/fhir/Organization/" + practice_->organization_id);
  EXPECT_EQ(org.status, 200) << org.body;
  auto denied = doctor().Request("POST", "/fhir/Organization",
                                 R"({"resourceType":"Organization","name":"X"})");
  EXPECT_EQ(denied.status, 403);
}

TEST_F(FhirCrudTest, KeepAliveReusesOneConnection) {
  auto c = practice_->LoginAs("physician");
  long before = c->connects();
  for (int i = 0; i < 5; ++i) ASSERT_EQ(c->Get("/auth/me").status, 200);
  EXPECT_EQ(c->connects(), before);
}

}  // namespace
}  // namespace medvault::testing
