// Break-the-glass over HTTPS: a clinician outside a patient's care opens the record with
// a stated reason and a fresh code, gets a time-limited grant it can list, at most three
// a day; each grant, and any access to a restricted patient through one, alerts the
// security officer. Each test that counts grants uses an account of its own.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

const std::vector<std::string> kJson = {"Content-Type: application/json"};

std::string BreakGlassBody(const std::string& patient) {
  return R"({"patient":")" + patient + R"(","reason":{"code":"ETREAT","text":")" + kBreakGlassText +
         R"("}})";
}

// An integer member, or -1.
int Int(const rapidjson::Value& object, const char* key) {
  if (!object.IsObject() || !object.HasMember(key) || !object[key].IsInt()) return -1;
  return object[key].GetInt();
}

// A patient named as "<id>" or as "Patient/<id>".
bool SamePatient(const std::string& value, const std::string& id) {
  return value == id || value == "Patient/" + id;
}

struct Alert {
  std::string id, created_at, account, username, severity, kind, patient, state, detail;
};

class BreakGlassTest : public ::testing::Test {
 protected:
  // A step-up lasts 5 seconds here, so that a test can wait for it to run out.
  static void SetUpTestSuite() {
    // Risk scoring off: the suite breaks the glass again and again to test the grant
    // itself (its limit of 3 a day among others), which the detector would rightly call
    // a habit; DetectionTest shows that escalation.
    practice_ = StartPractice({{"step_up_seconds = 600", "step_up_seconds = 5"},
                               {"risk_scoring = true", "risk_scoring = false"}})
                    .release();
    const std::string& a = practice_->organization_id;
    practice_->AddAccount("glass-stale", "physician", a);
    practice_->AddAccount("glass-errors", "physician", a);
    practice_->AddAccount("glass-limit", "physician", a);
    practice_->AddAccount("glass-nurse", "nurse", a);
    practice_->AddAccount("glass-conf", "physician", a);
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;

  std::string AccountId(const std::string& username) {
    auto me = practice_->as(username).Get("/auth/me");
    EXPECT_EQ(me.status, 200) << me.body;
    return Str(Json(me.body), "id");
  }

  // GET /security/alerts<query> as the security officer; checks newest first. This
  // suite's step-up window is short: a test steps the officer up before asking.
  std::vector<Alert> Alerts(const std::string& query) {
    auto r = practice_->as("security_officer").Get("/security/alerts" + query);
    EXPECT_EQ(r.status, 200) << query << " → " << r.body;
    auto doc = Json(r.body);
    std::vector<Alert> alerts;
    if (!doc.IsObject() || !doc.HasMember("alerts") || !doc["alerts"].IsArray()) {
      ADD_FAILURE() << "no alerts array: " << r.body.substr(0, 300);
      return alerts;
    }
    for (const auto& a : doc["alerts"].GetArray())
      alerts.push_back({Str(a, "id"), Str(a, "created_at"), Str(a, "account"), Str(a, "username"),
                        Str(a, "severity"), Str(a, "kind"), Str(a, "patient"), Str(a, "state"),
                        Str(a, "detail")});
    for (size_t i = 1; i < alerts.size(); ++i)
      EXPECT_GE(alerts[i - 1].created_at, alerts[i].created_at) << "newest first";
    return alerts;
  }
};
Practice* BreakGlassTest::practice_ = nullptr;

TEST_F(BreakGlassTest, APhysicianOfAnotherPracticeBreaksTheGlassAndSeesTheGrant) {
  PatientRecord record = RegisterPatient(
      *practice_, "physician-b",
      PatientJson("Horsdupont", "Gaspard", "1944-04-04", practice_->other_organization_id));
  HttpsClient& doctor = practice_->as("physician");
  for (const auto& [type, id] : record.ids) {
    auto r = doctor.Get("/fhir/" + type + "/" + id);
    EXPECT_EQ(r.status, 403) << type << ": " << r.body;
    EXPECT_EQ(r.body.find("Horsdupont"), std::string::npos);
  }
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + record.patient).status, 403);

  auto granted = practice_->BreakGlass("physician", record.patient);
  ASSERT_EQ(granted.status, 201) << granted.body;
  for (const auto& [type, id] : record.ids)
    EXPECT_EQ(doctor.Get("/fhir/" + type + "/" + id).status, 200) << type;
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + record.patient).status, 200);

  auto grants = doctor.Get("/access/grants");
  ASSERT_EQ(grants.status, 200) << grants.body;
  auto doc = Json(grants.body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("grants") && doc["grants"].IsArray()) << grants.body;
  ASSERT_EQ(doc["grants"].Size(), 1u) << grants.body;
  const auto& grant = doc["grants"][0];
  EXPECT_FALSE(Str(grant, "id").empty()) << grants.body;
  EXPECT_TRUE(SamePatient(Str(grant, "patient"), record.patient)) << grants.body;
  EXPECT_EQ(Str(grant, "purpose"), "ETREAT");
  EXPECT_EQ(Str(grant, "reason"), kBreakGlassText);
  EXPECT_FALSE(Str(grant, "created_at").empty()) << grants.body;
  EXPECT_FALSE(Str(grant, "expires_at").empty()) << grants.body;
  EXPECT_GT(Str(grant, "expires_at"), Str(grant, "created_at"));
  EXPECT_EQ(Int(doc, "remaining_today"), 2) << grants.body;
}

TEST_F(BreakGlassTest, BreakingTheGlassNeedsAFreshStepUp) {
  std::string patient = practice_->PatientOfB("Perime");
  std::this_thread::sleep_for(std::chrono::seconds(6));  // the login's code runs out
  auto refused = practice_->as("glass-stale")
                     .Request("POST", "/access/break-glass", BreakGlassBody(patient), kJson);
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(Str(Json(refused.body), "error"), "step_up_required") << refused.body;
  auto granted = practice_->BreakGlass("glass-stale", patient);
  EXPECT_EQ(granted.status, 201) << granted.body;
}

TEST_F(BreakGlassTest, RefusesUnknownPatientsPatientsInCareAndMalformedRequests) {
  HttpsClient& doctor = practice_->as("glass-errors");
  // Registering a patient puts it in the registering physician's care.
  auto own =
      doctor.Request("POST", "/fhir/Patient",
                     PatientJson("Dejasoigne", "Ines", "1990-09-09", practice_->organization_id));
  ASSERT_EQ(own.status, 201) << own.body;
  std::string stranger = practice_->PatientOfB("Inconnu");
  ASSERT_EQ(practice_->StepUp("glass-errors").status, 200);
  auto post = [&](const std::string& body) {
    return doctor.Request("POST", "/access/break-glass", body, kJson);
  };

  auto unknown = post(BreakGlassBody("00000000-0000-4000-8000-000000000000"));
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  auto in_care = post(BreakGlassBody(IdFromLocation(own)));
  EXPECT_EQ(in_care.status, 409) << in_care.body;
  for (const std::string& body : {
           R"({"patient":")" + stranger + R"(","reason":{"code":"ETREAT"}})",
           R"({"patient":")" + stranger + R"(","reason":{"code":"SHOPPING","text":"curious"}})",
           std::string(R"({})"),
           std::string(""),
       }) {
    auto r = post(body);
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
  }

  // None of these made a grant.
  auto grants = doctor.Get("/access/grants");
  ASSERT_EQ(grants.status, 200) << grants.body;
  auto doc = Json(grants.body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("grants") && doc["grants"].IsArray());
  EXPECT_EQ(doc["grants"].Size(), 0u) << grants.body;
  EXPECT_EQ(Int(doc, "remaining_today"), 3) << grants.body;
}

TEST_F(BreakGlassTest, TheFourthGrantOfTheDayIsRefused) {
  std::vector<std::string> patients;
  for (const char* family : {"Limite-un", "Limite-deux", "Limite-trois", "Limite-quatre"})
    patients.push_back(practice_->PatientOfB(family));
  HttpsClient& doctor = practice_->as("glass-limit");
  ASSERT_EQ(practice_->StepUp("glass-limit").status, 200);
  for (int i = 0; i < 3; ++i) {
    auto r = doctor.Request("POST", "/access/break-glass", BreakGlassBody(patients[i]), kJson);
    EXPECT_EQ(r.status, 201) << i << ": " << r.body;
  }
  auto fourth = doctor.Request("POST", "/access/break-glass", BreakGlassBody(patients[3]), kJson);
  EXPECT_EQ(fourth.status, 429) << fourth.body;
  EXPECT_FALSE(fourth.Header("retry-after").empty());
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + patients[3]).status, 403);
  auto me = Json(doctor.Get("/auth/me").body);
  EXPECT_EQ(Int(me, "break_glass_left"), 0);

  auto listed = doctor.Get("/access/grants");
  auto grants = Json(listed.body);
  ASSERT_TRUE(grants.IsObject() && grants.HasMember("grants") && grants["grants"].IsArray())
      << listed.body;
  EXPECT_EQ(grants["grants"].Size(), 3u);
  EXPECT_EQ(Int(grants, "remaining_today"), 0) << listed.body;
}

TEST_F(BreakGlassTest, EveryBreakTheGlassAlertsTheSecurityOfficer) {
  std::string patient = practice_->PatientOfB("Alerte");
  auto granted = practice_->BreakGlass("glass-nurse", patient);
  ASSERT_EQ(granted.status, 201) << granted.body;
  std::string account = AccountId("glass-nurse");
  ASSERT_FALSE(account.empty());

  for (const char* role : {"physician", "nurse", "secretary", "admin", "glass-nurse"}) {
    auto r = practice_->as(role).Get("/security/alerts");
    EXPECT_EQ(r.status, 403) << role << ": " << r.body.substr(0, 200);
  }

  auto is_ours = [&](const Alert& a) {
    return a.kind == "break-glass" && a.account == account && SamePatient(a.patient, patient);
  };
  ASSERT_EQ(practice_->StepUp("security_officer").status, 200);
  std::string alert_id;
  for (const Alert& a : Alerts(""))
    if (is_ours(a)) {
      alert_id = a.id;
      EXPECT_EQ(a.username, "glass-nurse");
      EXPECT_EQ(a.state, "open");
      EXPECT_FALSE(a.severity.empty());
      EXPECT_FALSE(a.created_at.empty());
    }
  ASSERT_FALSE(alert_id.empty()) << "no break-glass alert for the grant";

  bool found = false;
  for (const Alert& a : Alerts("?account=" + account)) {
    EXPECT_EQ(a.account, account);
    found = found || a.id == alert_id;
  }
  EXPECT_TRUE(found) << "?account=";
  for (const Alert& a : Alerts("?severity=high")) EXPECT_EQ(a.severity, "high") << a.kind;
  found = false;
  for (const Alert& a : Alerts("?state=open")) {
    EXPECT_EQ(a.state, "open") << a.kind;
    found = found || a.id == alert_id;
  }
  EXPECT_TRUE(found) << "?state=open";
}

TEST_F(BreakGlassTest, AConfidentialPatientReachedThroughAGrantRaisesAHighAlert) {
  auto created = practice_->as("physician-2")
                     .Request("POST", "/fhir/Patient",
                              Restricted(PatientJson("Reservier", "Irene", "1972-02-02",
                                                     practice_->organization_id)));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string patient = IdFromLocation(created);
  EXPECT_EQ(practice_->as("glass-conf").Get("/fhir/Patient/" + patient).status, 403);
  auto granted = practice_->BreakGlass("glass-conf", patient);
  ASSERT_EQ(granted.status, 201) << granted.body;
  ASSERT_EQ(practice_->as("glass-conf").Get("/fhir/Patient/" + patient).status, 200);

  std::string account = AccountId("glass-conf");
  ASSERT_EQ(practice_->StepUp("security_officer").status, 200);
  bool glass = false, confidential = false;
  for (const Alert& a : Alerts("?account=" + account)) {
    if (!SamePatient(a.patient, patient)) continue;
    glass = glass || a.kind == "break-glass";
    if (a.kind == "confidential-access") {
      confidential = true;
      EXPECT_EQ(a.severity, "high");
      EXPECT_EQ(a.username, "glass-conf");
    }
  }
  EXPECT_TRUE(glass) << "every grant alerts";
  EXPECT_TRUE(confidential) << "no confidential-access alert";
}

}  // namespace
}  // namespace medvault::testing
