// The detector's synchronous half through HTTPS: budgets that ask for a fresh code, extend
// once and then refuse; containment the security officer applies, refused from the very
// next request; alerts that can be explained and resolved.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

const std::vector<std::string> kJson = {"Content-Type: application/json"};

class DetectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // Tiny budgets, so that a test reaches them in a few requests.
    practice_ =
        StartPractice({{"physician_patients_per_hour = 40", "physician_patients_per_hour = 3"},
                       {"throttle_seconds = 10", "throttle_seconds = 30"}})
            .release();
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;

  static std::string AccountId(const std::string& username) {
    return practice_->AccountId(username);
  }
  static std::string Register(const std::string& who, const std::string& family) {
    auto r = practice_->as(who).Request(
        "POST", "/fhir/Patient",
        PatientJson(family, "Test", "1971-01-01", practice_->organization_id));
    EXPECT_EQ(r.status, 201) << r.body;
    return IdFromLocation(r);
  }
  // The kinds of the account's alerts, newest first.
  static std::vector<std::string> AlertKinds(const std::string& account) {
    auto r = practice_->as("security_officer").Get("/security/alerts?account=" + account);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> kinds;
    auto doc = Json(r.body);
    if (doc.IsObject() && doc.HasMember("alerts"))
      for (const auto& a : doc["alerts"].GetArray()) {
        kinds.emplace_back(a["kind"].GetString());
        EXPECT_FALSE(std::string(a["audit_event"].GetString()).empty()) << r.body;
      }
    return kinds;
  }
  static bool Has(const std::vector<std::string>& kinds, const std::string& kind) {
    return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
  }
  static HttpResponse Contain(const std::string& account, const std::string& action) {
    return practice_->Contain(account, action);
  }
};
Practice* DetectionTest::practice_ = nullptr;

TEST_F(DetectionTest, ABudgetAsksForAFreshCodeExtendsOnceThenRefusesAndThrottles) {
  practice_->AddAccount("dr.budget", "physician", practice_->organization_id);
  const std::string account = AccountId("dr.budget");
  std::vector<std::string> patients;
  for (int i = 0; i < 7; ++i)
    patients.push_back(Register("dr.budget", "Budget" + std::to_string(i)));
  HttpsClient& doctor = practice_->as("dr.budget");
  // Registering counted nothing; three reads fit the hour's budget of 3.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(doctor.Get("/fhir/Patient/" + patients[i]).status, 200);
  // Re-reading a patient already counted costs nothing.
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + patients[0]).status, 200);

  auto fourth = doctor.Get("/fhir/Patient/" + patients[3]);
  EXPECT_EQ(fourth.status, 401) << fourth.body;
  EXPECT_NE(fourth.body.find("step-up required"), std::string::npos) << fourth.body;
  EXPECT_EQ(fourth.body.find("Budget3"), std::string::npos) << "no data leaves";
  EXPECT_TRUE(Has(AlertKinds(account), "budget-exhausted"));

  // A fresh code: the budget doubles, once, and the security officer hears of it.
  ASSERT_EQ(practice_->StepUp("dr.budget").status, 200);
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + patients[3]).status, 200);
  EXPECT_TRUE(Has(AlertKinds(account), "budget-extended"));
  // A search page counts every patient on it.
  auto page = doctor.Get("/fhir/Patient?_id=" + patients[4] + "," + patients[5]);
  EXPECT_EQ(page.status, 200) << page.body;
  auto seventh = doctor.Get("/fhir/Patient/" + patients[6]);
  EXPECT_EQ(seventh.status, 429) << seventh.body;
  EXPECT_FALSE(seventh.Header("retry-after").empty());
  EXPECT_TRUE(Has(AlertKinds(account), "budget-refused"));

  // Escalation throttled the account: one request per 30 s.
  EXPECT_EQ(doctor.Get("/fhir/Organization?_count=1").status, 200);
  auto slowed = doctor.Get("/fhir/Organization?_count=1");
  EXPECT_EQ(slowed.status, 429) << slowed.body;
  EXPECT_NE(slowed.body.find("slowed down"), std::string::npos) << slowed.body;

  auto activity =
      practice_->as("security_officer").Get("/security/accounts/" + account + "/activity");
  ASSERT_EQ(activity.status, 200) << activity.body;
  auto doc = Json(activity.body);
  EXPECT_FALSE(std::string(doc["containment"]["throttled_until"].GetString()).empty());
  EXPECT_TRUE(doc["budgets"]["extended"].GetBool());
  EXPECT_EQ(doc["budgets"]["patients_last_hour"].GetInt(), 6);
  EXPECT_GT(doc["recent"].Size(), 5u);
  EXPECT_EQ(activity.body.find("Budget"), std::string::npos) << "no patient names";

  // The security officer releases the throttle.
  ASSERT_EQ(Contain(account, "release").status, 200);
  EXPECT_EQ(doctor.Get("/fhir/Organization?_count=1").status, 200);
  EXPECT_EQ(doctor.Get("/fhir/Organization?_count=1").status, 200);
}

TEST_F(DetectionTest, AContainedAccountIsRefusedOnItsVeryNextRequest) {
  practice_->AddAccount("dr.contained", "physician", practice_->organization_id);
  const std::string account = AccountId("dr.contained");
  std::string patient = Register("dr.contained", "Contenu");
  HttpsClient& doctor = practice_->as("dr.contained");
  ASSERT_EQ(doctor.Get("/fhir/Patient/" + patient).status, 200);

  // Lock: the live session is refused at once, and so is a new login.
  ASSERT_EQ(Contain(account, "lock").status, 200);
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + patient).status, 401);
  auto relogin = practice_->NewClient();
  EXPECT_NE(practice_->Login(*relogin, "dr.contained", practice_->passwords.at("dr.contained"))
                .first.status,
            200);
  // An administrator cannot lift it; the security officer can.
  EXPECT_EQ(practice_->as("admin")
                .Request("POST", "/admin/accounts/" + account + "/reactivate", "", kJson)
                .status,
            403);
  EXPECT_EQ(Contain(account, "unlock").status, 200);
  practice_->clients["dr.contained"] = practice_->LoginAs("dr.contained");
  HttpsClient& back = practice_->as("dr.contained");
  EXPECT_EQ(back.Get("/fhir/Patient/" + patient).status, 200);

  // Step-up: the next request needs a fresh code, then work goes on.
  ASSERT_EQ(Contain(account, "step-up").status, 200);
  auto asked = back.Get("/fhir/Patient/" + patient);
  EXPECT_EQ(asked.status, 401);
  EXPECT_NE(asked.body.find("step-up required"), std::string::npos) << asked.body;
  ASSERT_EQ(practice_->StepUp("dr.contained").status, 200);
  EXPECT_EQ(back.Get("/fhir/Patient/" + patient).status, 200);

  // Suspend the sessions: this one ends, a new login works.
  ASSERT_EQ(Contain(account, "suspend-sessions").status, 200);
  EXPECT_EQ(back.Get("/fhir/Patient/" + patient).status, 401);
  practice_->clients["dr.contained"] = practice_->LoginAs("dr.contained");

  // Require a reset: the password and the second factor the thief holds stop working.
  ASSERT_EQ(Contain(account, "require-reset").status, 200);
  EXPECT_EQ(practice_->as("dr.contained").Get("/fhir/Patient/" + patient).status, 401);
  auto after_reset = practice_->NewClient();
  EXPECT_EQ(practice_->Login(*after_reset, "dr.contained", practice_->passwords.at("dr.contained"))
                .first.status,
            401);
}

// The asynchronous half: the risk scorer weighs each request a moment after it commits.
// A habit of breaking the glass (three grants in an hour, each with a plausible reason
// and a fresh code) climbs the ladder to a step-up demand; the security officer sees the
// alert with the features behind it and the entries that triggered it, and the account
// must give a fresh code on its next request.
TEST_F(DetectionTest, RiskScoringEscalatesAHabitOfBreakingTheGlass) {
  practice_->AddAccount("dr.glass", "physician", practice_->organization_id);
  const std::string account = AccountId("dr.glass");
  std::vector<std::string> patients;
  for (const char* family : {"Verre", "Vitre", "Miroir"})
    patients.push_back(practice_->PatientOfB(family));
  HttpsClient& doctor = practice_->as("dr.glass");
  // Two grants and their reads; the third grant completes the habit (the n-th grant in
  // a week is worth n times the first), and the escalation may come before any further
  // read.
  for (const std::string& patient : patients) {
    ASSERT_EQ(practice_->BreakGlass("dr.glass", patient).status, 201);
    if (patient != patients.back()) {
      ASSERT_EQ(doctor.Get("/fhir/Patient/" + patient).status, 200);
    }
  }
  // Escalations are committed by the feed's thread: wait for it (a fraction of a second).
  std::vector<std::string> kinds;
  for (int i = 0; i < 100 && !Has(kinds, "risk-step-up"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    kinds = AlertKinds(account);
  }
  ASSERT_TRUE(Has(kinds, "risk-step-up"));

  // Contained from the next request on: a fresh code first.
  auto asked = doctor.Get("/fhir/Patient/" + patients.front());
  EXPECT_EQ(asked.status, 401);
  EXPECT_NE(asked.body.find("step-up required"), std::string::npos) << asked.body;

  // The officer's view explains it: the feature, its figures, the entries behind it.
  auto activity = Json(
      practice_->as("security_officer").Get("/security/accounts/" + account + "/activity").body);
  ASSERT_TRUE(activity.IsObject() && activity.HasMember("risk"));
  const auto& risk = activity["risk"];
  EXPECT_GE(risk["score"].GetDouble(), 30.0);
  bool break_glass = false;
  for (const auto& line : risk["explanation"].GetArray())
    break_glass |= std::string(line["feature"].GetString()) == "break-glass";
  EXPECT_TRUE(break_glass);
  EXPECT_GT(risk["audit_events"].Size(), 0u);
  auto alerts =
      Json(practice_->as("security_officer").Get("/security/alerts?account=" + account).body);
  bool explained = false;
  for (const auto& a : alerts["alerts"].GetArray()) {
    if (std::string(a["kind"].GetString()) != "risk-step-up") continue;
    std::string detail = a["detail"].GetString();
    explained = detail.find("break-the-glass") != std::string::npos &&
                detail.find("Triggered by audit entries") != std::string::npos;
    EXPECT_EQ(detail.find(patients.front()), std::string::npos) << "names no patient";
  }
  EXPECT_TRUE(explained) << alerts["alerts"].GetArray().Size();

  // And plots it: the last hour in minutes, the grants and reads counted, the risk
  // score reached in the minute it rose, the alert's time inside the window.
  auto hour =
      practice_->as("security_officer").Get("/security/accounts/" + account + "/activity?hours=1");
  ASSERT_EQ(hour.status, 200) << hour.body;
  auto series = Json(hour.body);
  ASSERT_TRUE(series.IsObject() && series.HasMember("series")) << hour.body;
  const auto& plotted = series["series"];
  EXPECT_EQ(plotted["bucket_seconds"].GetInt(), 60);
  EXPECT_TRUE(plotted["complete"].GetBool());
  ASSERT_EQ(plotted["buckets"].Size(), 60u);
  int64_t requests = 0, refused = 0, patients_reached = 0;
  double highest_risk = 0;
  for (const auto& b : plotted["buckets"].GetArray()) {
    requests += b["requests"].GetInt64();
    refused += b["refused"].GetInt64();
    patients_reached += b["patients"].GetInt64();
    if (!b["risk"].IsNull()) highest_risk = std::max(highest_risk, b["risk"].GetDouble());
  }
  // Three grants, two reads, the refused read, and the login and step-ups before them.
  EXPECT_GE(requests, 6);
  EXPECT_GE(refused, 1);
  EXPECT_GE(patients_reached, 2);
  EXPECT_GE(highest_risk, 30.0);
  const std::string from = plotted["from"].GetString(), until = plotted["until"].GetString();
  for (const auto& a : series["alerts"].GetArray()) {
    EXPECT_LE(from, std::string(a["created_at"].GetString()));
    EXPECT_LT(std::string(a["created_at"].GetString()), until);
  }
  EXPECT_EQ(hour.body.find("Verre"), std::string::npos) << "no patient names";

  // After the fresh code, work goes on.
  ASSERT_EQ(practice_->StepUp("dr.glass").status, 200);
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + patients.front()).status, 200);
}

TEST_F(DetectionTest, TheActivityWindowIsOneHourToAWeek) {
  const std::string account = AccountId("physician");
  HttpsClient& officer = practice_->as("security_officer");
  auto day = officer.Get("/security/accounts/" + account + "/activity");
  ASSERT_EQ(day.status, 200) << day.body;
  EXPECT_EQ(Json(day.body)["series"]["bucket_seconds"].GetInt(), 24 * 60);
  EXPECT_EQ(officer.Get("/security/accounts/" + account + "/activity?hours=168").status, 200);
  for (const char* bad : {"hours=0", "hours=169", "hours=2h", "hours=", "days=1"}) {
    auto r = officer.Get("/security/accounts/" + account + "/activity?" + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
  }
  EXPECT_EQ(practice_->as("admin").Get("/security/accounts/" + account + "/activity").status, 403);
}

TEST_F(DetectionTest, AReplayedTokenEndsTheSession) {
  practice_->AddAccount("dr.replayed", "physician", practice_->organization_id);
  const std::string account = AccountId("dr.replayed");
  // The same token from another client (here another user agent; the tests all run on
  // one address).
  auto thief = practice_->SameSessionAs("dr.replayed");
  auto stolen = thief->Request("GET", "/fhir/Organization?_count=1", "",
                               {"User-Agent: Mozilla/5.0 (somewhere else)"});
  EXPECT_EQ(stolen.status, 401) << stolen.body;
  EXPECT_NE(stolen.body.find("another device"), std::string::npos) << stolen.body;
  // The session is over for its owner too, who logs in again with their phone.
  EXPECT_EQ(practice_->as("dr.replayed").Get("/fhir/Organization?_count=1").status, 401);
  EXPECT_TRUE(Has(AlertKinds(account), "session-moved"));
  practice_->clients["dr.replayed"] = practice_->LoginAs("dr.replayed");
  EXPECT_EQ(practice_->as("dr.replayed").Get("/fhir/Organization?_count=1").status, 200);
}

TEST_F(DetectionTest, OnlyTheSecurityOfficerContainsAndNeverThemselves) {
  const std::string physician = AccountId("physician");
  for (const char* role : {"physician", "secretary", "admin"})
    EXPECT_EQ(practice_->as(role)
                  .Request("POST", "/security/accounts/" + physician + "/contain",
                           R"({"action":"lock"})", kJson)
                  .status,
              403)
        << role;
  EXPECT_EQ(Contain(AccountId("security_officer"), "lock").status, 403);
  EXPECT_EQ(Contain(physician, "obliterate").status, 400);
  EXPECT_EQ(Contain("no-such-account", "lock").status, 404);
  EXPECT_EQ(practice_->as("physician").Get("/fhir/Organization?_count=1").status, 200);
}

TEST_F(DetectionTest, AlertsAreResolvedWithANote) {
  // Any alert will do: a clinician account created by the administrator raises one.
  practice_->AddAccount("nurse.resolve", "nurse", practice_->organization_id);
  auto listed = Json(practice_->as("security_officer").Get("/security/alerts?state=open").body);
  ASSERT_TRUE(listed.IsObject() && listed["alerts"].Size() > 0);
  std::string id = std::to_string(listed["alerts"][0]["id"].GetInt64());
  HttpsClient& officer = practice_->as("security_officer");
  EXPECT_EQ(officer.Request("POST", "/security/alerts/" + id + "/resolve", R"({"note":""})", kJson)
                .status,
            400);
  auto resolved = officer.Request("POST", "/security/alerts/" + id + "/resolve",
                                  R"({"note":"checked with the practice: expected"})", kJson);
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  auto doc = Json(resolved.body);
  EXPECT_EQ(std::string(doc["state"].GetString()), "resolved");
  EXPECT_FALSE(std::string(doc["resolved_at"].GetString()).empty());
  EXPECT_EQ(officer
                .Request("POST", "/security/alerts/" + id + "/resolve", R"({"note":"second time"})",
                         kJson)
                .status,
            409);
  EXPECT_EQ(officer.Request("POST", "/security/alerts/999999/resolve", R"({"note":"none"})", kJson)
                .status,
            404);
  auto closed = officer.Get("/security/alerts?state=resolved");
  EXPECT_NE(closed.body.find("\"id\":" + id + ","), std::string::npos) << closed.body;
  EXPECT_EQ(practice_->as("physician")
                .Request("POST", "/security/alerts/" + id + "/resolve", R"({"note":"mine"})", kJson)
                .status,
            403);
}

// The snooping feature's input, end to end: the risk feed compares the blind-index hashes
// of the clinician's family name and home with those of the patients the account reached
// outside its care.
class SnoopingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    practice_ = StartPractice().release();
    // One word, so that it is the whole name that must match.
    practice_->AddAccount("kervella", "physician", practice_->organization_id);
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;

  // The account's current risk: each explaining feature with its figure (the officer's
  // view).
  static std::map<std::string, double> RiskOf(const std::string& account) {
    auto doc = Json(
        practice_->as("security_officer").Get("/security/accounts/" + account + "/activity").body);
    std::map<std::string, double> features;
    if (!doc.IsObject() || !doc.HasMember("risk")) return features;
    for (const auto& line : doc["risk"]["explanation"].GetArray())
      features[line["feature"].GetString()] = line["value"].GetDouble();
    return features;
  }

  // Has `username` read `stranger` then `suspect`, each through break-the-glass (so
  // outside care), and returns its risk once both reads have been weighed: the feed
  // weighs events in order on its own thread, so once a third grant shows in the
  // explanation, both reads are in.
  static std::map<std::string, double> RiskAfterReading(const std::string& username,
                                                        const std::string& stranger,
                                                        const std::string& suspect) {
    HttpsClient& doctor = practice_->as(username);
    for (const std::string& patient : {stranger, suspect}) {
      EXPECT_EQ(practice_->BreakGlass(username, patient).status, 201);
      EXPECT_EQ(doctor.Get("/fhir/Patient/" + patient).status, 200);
    }
    EXPECT_EQ(practice_->BreakGlass(username, practice_->PatientOfB("Other")).status, 201);
    const std::string account = practice_->AccountId(username);
    std::map<std::string, double> risk;
    for (int i = 0; i < 100 && risk["break-glass"] < 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      risk = RiskOf(account);
    }
    EXPECT_EQ(risk["break-glass"], 3);
    return risk;
  }
};
Practice* SnoopingTest::practice_ = nullptr;

TEST_F(SnoopingTest, APatientOutsideCareWhoSharesTheClinicianFamilyNameIsScored) {
  const std::string stranger = practice_->PatientOfB("Stranger");
  const std::string kin = practice_->PatientOfB("Kervella");
  std::map<std::string, double> risk = RiskAfterReading("kervella", stranger, kin);
  // One namesake: the kin, not the stranger.
  ASSERT_TRUE(risk.contains("snooping"));
  EXPECT_EQ(risk["snooping"], 1);
}

// The same for a patient who lives in the clinician's building: the admin records the
// clinician's home on its Practitioner, and the blind index files each patient's home
// as it is registered.
TEST_F(SnoopingTest, APatientOutsideCareWhoLivesInTheClinicianBuildingIsScored) {
  practice_->AddAccount("morvan", "physician", practice_->organization_id);
  const std::string practitioner = practice_->practitioners.at("morvan");
  auto moved = practice_->as("admin").Request(
      "PUT", "/fhir/Practitioner/" + practitioner,
      R"({"resourceType":"Practitioner","id":")" + practitioner +
          R"(","name":[{"family":"Morvan","given":["Test"]}],)"
          R"("address":[{"use":"home","line":["7 impasse des Mouettes"],"postalCode":"29760"}]})");
  ASSERT_EQ(moved.status, 200) << moved.body;
  auto patient_living_at = [&](const std::string& family, const std::string& line,
                               const std::string& postal_code) {
    std::string json = PatientJson(family, "Hugo", "1955-05-05", practice_->other_organization_id);
    json.pop_back();  // the closing brace
    json += R"(,"address":[{"use":"home","line":[")" + line + R"("],"postalCode":")" + postal_code +
            R"("}]})";
    auto r = practice_->as("physician-b").Request("POST", "/fhir/Patient", json);
    EXPECT_EQ(r.status, 201) << r.body;
    return IdFromLocation(r);
  };
  const std::string next_door = patient_living_at("Stranger", "9 impasse des Mouettes", "29760");
  const std::string neighbour = patient_living_at("Stranger", "7, Impasse des mouettes", "29 760");
  std::map<std::string, double> risk = RiskAfterReading("morvan", next_door, neighbour);
  // One neighbour: the same building however written, not the house next door.
  ASSERT_TRUE(risk.contains("snooping"));
  EXPECT_EQ(risk["snooping"], 1);
}

}  // namespace
}  // namespace medvault::testing
