// A scripted incident, end to end through the real server: among honest traffic, an
// insider (physician-2) takes on three patients of the practice and reads their records,
// breaks the glass on a patient of another practice and looks up one more in the
// directory. The security officer contains the account from the command line while the
// server runs, then asks for the breach report (command line and API): it lists exactly
// those five patients with the right categories and counts, and refuses to report from
// a log that was tampered with; the GDPR art. 33 draft has what the article asks for and
// the art. 34 list gives the patients' contact details to the security officer alone.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>

#include "practice_fixture.h"
#include "sample_resources.h"
#include "stored_database.h"

namespace medvault::testing {
namespace {

// A patient of organization A with the contact details a notification needs.
std::string PatientWithContact(const std::string& family, const std::string& organization) {
  return R"({"resourceType":"Patient","name":[{"family":")" + family +
         R"(","given":["Anne"]}],"gender":"female","birthDate":"1962-02-03",)"
         R"("telecom":[{"system":"phone","value":"06 12 34 56 78"},{"system":"email",)"
         R"("value":")" +
         family +
         R"(@example.org"}],"address":[{"line":["3 rue des Lilas"],)"
         R"("postalCode":"69003","city":"Lyon","country":"FR"}],)"
         R"("managingOrganization":{"reference":"Organization/)" +
         organization + R"("}})";
}

std::set<std::string> Categories(const rapidjson::Value& patient) {
  std::set<std::string> out;
  for (const auto& c : patient["categories"].GetArray()) out.insert(c.GetString());
  return out;
}

class BreachReportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    practice_ = StartPractice().release();
    Practice& p = *practice_;
    const std::string& a = p.organization_id;
    // The practice's patients, registered by their physician; two of practice B.
    for (const char* family : {"Aubry", "Bastide", "Carrel", "Delorme", "Esnault"})
      records_.push_back(RegisterPatient(p, "physician", PatientWithContact(family, a)));
    granted_ = p.PatientOfB("Verdier");
    looked_up_ = p.PatientOfB("Quintard");
    // Honest work: the physician reads all of them, the secretary the files.
    for (const PatientRecord& r : records_) {
      ASSERT_EQ(p.as("physician").Get("/fhir/Patient/" + r.patient).status, 200);
      ASSERT_EQ(p.as("physician").Get("/fhir/Observation?patient=" + r.patient).status, 200);
      ASSERT_EQ(p.as("secretary").Get("/fhir/Patient/" + r.patient).status, 200);
    }
    ASSERT_EQ(p.as("physician-b").Get("/fhir/Patient/" + granted_).status, 200);
    attacker_ = Json(p.as("physician-2").Get("/auth/me").body)["id"].GetString();

    // The incident: physician-2 takes on three patients it does not treat and reads them.
    HttpsClient& mallory = p.as("physician-2");
    for (int i = 0; i < 3; ++i) {
      auto started = mallory.Request(
          "POST", "/access/care-relationships",
          R"({"patient":")" + records_[i].patient + R"(","reason":"new patient at the practice"})",
          {"Content-Type: application/json"});
      ASSERT_EQ(started.status, 201) << started.body;
    }
    ASSERT_EQ(mallory.Get("/fhir/Patient/" + records_[0].patient).status, 200);
    ASSERT_EQ(mallory.Get("/fhir/Observation?patient=" + records_[0].patient).status, 200);
    ASSERT_EQ(mallory.Get("/fhir/DocumentReference/" + records_[1].ids["DocumentReference"]).status,
              200);
    ASSERT_EQ(mallory.Get("/fhir/Condition?patient=" + records_[1].patient).status, 200);
    ASSERT_EQ(mallory.Get("/fhir/MedicationRequest/" + records_[2].ids["MedicationRequest"]).status,
              200);
    ASSERT_EQ(p.BreakGlass("physician-2", granted_).status, 201);
    ASSERT_EQ(mallory.Get("/fhir/Patient/" + granted_).status, 200);
    auto directory = mallory.Get("/fhir/Patient?family=Quintard&birthdate=1955-05-05");
    ASSERT_EQ(directory.status, 200);
    ASSERT_NE(directory.body.find(looked_up_), std::string::npos) << directory.body;
    // Refused on patients it has not taken on: counted, not disclosed.
    ASSERT_EQ(mallory.Get("/fhir/Patient/" + records_[4].patient).status, 403);

    // Containment from the server's shell while the server runs.
    auto locked = RunMedvault(
        {"contain", "--data", p.data_dir, "--action", "lock", "--account", "physician-2"});
    ASSERT_EQ(locked.exit_code, 0) << locked.err;
    ASSERT_NE(locked.out.find(R"("action":"lock")"), std::string::npos) << locked.out;
  }
  static void TearDownTestSuite() { delete practice_; }

  static CommandResult Report(const std::vector<std::string>& extra,
                              const std::string& data_dir = "") {
    std::vector<std::string> args = {"report",    "breach",
                                     "--data",    data_dir.empty() ? practice_->data_dir : data_dir,
                                     "--account", "physician-2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunMedvault(args);
  }

  // A consistent copy of the live data directory and its database.
  std::string CopyOfData() {
    copies_.push_back(std::make_unique<TempDir>());
    std::string copy = copies_.back()->path() + "/data";
    CopyDataDirectory(practice_->data_dir, copy);
    return copy;
  }

  // The report's patients by id, checked against the script.
  void ExpectTheIncident(const rapidjson::Value& report) {
    std::map<std::string, const rapidjson::Value*> patients;
    for (const auto& p : report["patients"].GetArray()) patients[p["patient"].GetString()] = &p;
    const std::map<std::string, std::set<std::string>> expected = {
        {records_[0].patient, {"identity", "contact", "administrative-comment", "results"}},
        {records_[1].patient, {"clinical-notes", "conditions"}},
        {records_[2].patient, {"prescriptions"}},
        {granted_, {"identity", "contact", "administrative-comment"}},
        {looked_up_, {"minimal-identity"}},
    };
    ASSERT_EQ(patients.size(), expected.size()) << "exactly the patients the attacker received";
    for (const auto& [id, categories] : expected) {
      ASSERT_TRUE(patients.contains(id)) << id;
      EXPECT_EQ(Categories(*patients[id]), categories) << id;
    }
    auto accesses = [&](const std::string& id) { return (*patients[id])["accesses"].GetInt64(); };
    EXPECT_EQ(accesses(records_[0].patient), 2);
    EXPECT_EQ(accesses(records_[1].patient), 2);
    EXPECT_EQ(accesses(records_[2].patient), 1);
    EXPECT_EQ(accesses(granted_), 1);
    EXPECT_EQ(accesses(looked_up_), 1);
    EXPECT_STREQ((*patients[records_[0].patient])["care"].GetString(), "inside");
    EXPECT_STREQ((*patients[granted_])["care"].GetString(), "outside");
    EXPECT_STREQ((*patients[looked_up_])["care"].GetString(), "outside");
    EXPECT_EQ(report["summary"]["patients_reached_outside_care"].GetInt64(), 2);
    EXPECT_EQ(report["changed"].Size(), 3u) << "the three care relationships it started";
    ASSERT_EQ(report["accounts"].Size(), 1u);
    EXPECT_STREQ(report["accounts"][0]["username"].GetString(), "physician-2");
    EXPECT_STREQ(report["accounts"][0]["status"].GetString(), "locked");
    EXPECT_GE(report["accounts"][0]["refused"].GetInt64(), 1);
    bool lock_found = false;
    for (const auto& m : report["measures"].GetArray())
      lock_found = lock_found || (std::string(m["action"].GetString()) == "lock" &&
                                  std::string(m["by"].GetString()) == "(command line)");
    EXPECT_TRUE(lock_found) << "the containment, read from the audit log";
    bool break_glass = false;
    for (const auto& d : report["detections"].GetArray())
      break_glass = break_glass || std::string(d["kind"].GetString()) == "break-glass";
    EXPECT_TRUE(break_glass);
    EXPECT_TRUE(report["audit_log"]["verified"].GetBool());
  }

  static Practice* practice_;
  static std::vector<PatientRecord> records_;
  static std::string granted_, looked_up_, attacker_;
  std::vector<std::unique_ptr<TempDir>> copies_;
};
Practice* BreachReportTest::practice_ = nullptr;
std::vector<PatientRecord> BreachReportTest::records_;
std::string BreachReportTest::granted_, BreachReportTest::looked_up_, BreachReportTest::attacker_;

TEST_F(BreachReportTest, ContainmentFromTheCommandLineStopsTheAccountAtOnce) {
  // The lock came from another process; the server refuses the very next request.
  EXPECT_EQ(practice_->as("physician-2").Get("/fhir/Patient/" + records_[0].patient).status, 401);
  auto login = practice_->Login(*practice_->NewClient(), "physician-2",
                                practice_->passwords.at("physician-2"));
  EXPECT_NE(login.first.status, 200) << "a locked account cannot log in";
}

TEST_F(BreachReportTest, TheCommandLineReportListsExactlyTheAttackersPatients) {
  auto r = Report({"--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = Json(r.out);
  ExpectTheIncident(doc);
  // By username or by id, the same scope.
  auto by_id = RunMedvault({"report", "breach", "--data", practice_->data_dir, "--account",
                            attacker_, "--format", "csv"});
  ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
  EXPECT_EQ(std::count(by_id.out.begin(), by_id.out.end(), '\n'), 6) << by_id.out;
  EXPECT_NE(by_id.out.find(records_[2].patient + ",prescriptions,"), std::string::npos);
  auto html = Report({"--format", "html"});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  EXPECT_TRUE(html.out.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.out.find(looked_up_), std::string::npos);
}

TEST_F(BreachReportTest, AWindowThatEndsBeforeTheIncidentListsNobody) {
  auto r = Report({"--until", "2020-01-01"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Json(r.out)["patients"].Size(), 0u);
}

TEST_F(BreachReportTest, BadScopesAreRefusedClearly) {
  auto unknown =
      RunMedvault({"report", "breach", "--data", practice_->data_dir, "--account", "nobody-here"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("no account"), std::string::npos) << unknown.err;
  auto none = RunMedvault({"report", "breach", "--data", practice_->data_dir});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("at least one account or a client address"), std::string::npos);
  auto bad_time = Report({"--since", "last tuesday"});
  EXPECT_EQ(bad_time.exit_code, 1);
  EXPECT_NE(bad_time.err.find("--since"), std::string::npos);
  EXPECT_EQ(Report({"--format", "pdf"}).exit_code, 2);
}

TEST_F(BreachReportTest, ATamperedLogMakesTheReportRefuse) {
  std::string copy = CopyOfData();
  // The attacker's first patient read, replaced by another entry's sealed body.
  ASSERT_TRUE(TrySql(copy,
                     "UPDATE audit_log SET body = (SELECT body FROM audit_log WHERE seq = 3) "
                     "WHERE seq = (SELECT max(seq) FROM audit_log) - 5;"));
  auto r = Report({}, copy);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "") << "no report at all";
  EXPECT_NE(r.err.find("does not verify"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no report is made"), std::string::npos) << r.err;
}

TEST_F(BreachReportTest, TheReportDoesNotDependOnTheUnsignedIndex) {
  // The blind index is not part of the signed tree: a report must not trust it.
  std::string copy = CopyOfData();
  ASSERT_TRUE(TrySql(copy, "DELETE FROM audit_index;"));
  auto r = Report({}, copy);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ExpectTheIncident(Json(r.out));
}

TEST_F(BreachReportTest, TheApiGivesTheSameReportToTheSecurityOfficerOnly) {
  const std::string query = "/security/breach-report?account=" + attacker_;
  auto r = practice_->as("security_officer").Get(query);
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectTheIncident(Json(r.body));
  auto csv = practice_->as("security_officer").Get(query + "&format=csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_TRUE(csv.Header("content-type").starts_with("text/csv")) << csv.Header("content-type");
  auto html = practice_->as("security_officer").Get(query + "&format=html");
  ASSERT_EQ(html.status, 200);
  EXPECT_TRUE(html.Header("content-type").starts_with("text/html"));
  for (const char* other : {"physician", "admin", "secretary"})
    EXPECT_EQ(practice_->as(other).Get(query).status, 403) << other;
  EXPECT_EQ(practice_->as("security_officer").Get(query + "&format=pdf").status, 400);
  EXPECT_EQ(practice_->as("security_officer").Get("/security/breach-report").status, 400);
  // The request itself is in the trail, naming the patients the report disclosed.
  auto trail = practice_->as("security_officer")
                   .Get("/fhir/AuditEvent?patient=Patient/" + granted_ + "&_count=100");
  ASSERT_EQ(trail.status, 200);
  EXPECT_NE(trail.body.find("breach-report"), std::string::npos);
}

TEST_F(BreachReportTest, TheArticle33DraftHasTheRequiredElements) {
  auto r =
      RunMedvault({"report", "notify", "--data", practice_->data_dir, "--account", "physician-2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto api = practice_->as("security_officer")
                 .Get("/security/breach-notification?account=" + attacker_ + "&format=html");
  ASSERT_EQ(api.status, 200) << api.body;
  for (const std::string& text : {r.out, api.body}) {
    for (const char* element :
         {"GDPR art. 33", "Nature of the breach", "physician-2",
          "Categories and approximate number of data subjects and records",
          "Data subjects: patients, 5", "Likely consequences", "health data",
          "Measures taken or proposed", "lock", "(command line)", "Contact point"})
      EXPECT_NE(text.find(element), std::string::npos) << element;
    EXPECT_EQ(text.find(records_[0].patient), std::string::npos) << "names no patient";
    EXPECT_EQ(text.find("Aubry"), std::string::npos);
  }
}

TEST_F(BreachReportTest, TheContactListIsTheSecurityOfficersAndIsAudited) {
  const std::string path = "/security/breach-notification/patients?account=" + attacker_;
  EXPECT_EQ(practice_->as("physician").Get(path).status, 403);
  ASSERT_EQ(practice_->StepUp("security_officer").status, 200);
  auto r = practice_->as("security_officer").Get(path + "&format=json");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = Json(r.body);
  ASSERT_EQ(doc["patients"].Size(), 5u);
  std::map<std::string, const rapidjson::Value*> by_id;
  for (const auto& c : doc["patients"].GetArray()) by_id[c["patient"].GetString()] = &c;
  const rapidjson::Value& aubry = *by_id.at(records_[0].patient);
  EXPECT_STREQ(aubry["name"].GetString(), "Anne Aubry");
  EXPECT_STREQ(aubry["emails"][0].GetString(), "Aubry@example.org");
  EXPECT_STREQ(aubry["addresses"][0].GetString(), "3 rue des Lilas, 69003 Lyon, FR");
  EXPECT_EQ(r.body.find("1700512345678"), std::string::npos) << "no national identifier";
  // The command line's list, as the operator's export, is audited too.
  auto cli = RunMedvault({"report", "notify", "--data", practice_->data_dir, "--account",
                          "physician-2", "--contacts"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  EXPECT_NE(cli.out.find("Bastide@example.org"), std::string::npos);
  auto trail = practice_->as("security_officer")
                   .Get("/fhir/AuditEvent?patient=Patient/" + records_[1].patient + "&_count=100");
  EXPECT_NE(trail.body.find("breach-notification-contacts"), std::string::npos);
}

TEST_F(BreachReportTest, ContainmentFindsTheAccountsThatTouchedPatientsAndRefusesBadInput) {
  const std::string list = practice_->dir->path() + "/touched.txt";
  std::ofstream(list) << "# the patient of practice B\nPatient/" << granted_ << "\n";
  auto dry = RunMedvault({"contain", "--data", practice_->data_dir, "--action", "suspend-sessions",
                          "--touched-patients-file", list, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find(R"("username":"physician-2")"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find(R"("username":"physician-b")"), std::string::npos) << dry.out;
  EXPECT_EQ(dry.out.find(R"("username":"physician")"), std::string::npos) << dry.out;
  EXPECT_EQ(practice_->as("physician-b").Get("/auth/me").status, 200)
      << "a dry run changes nothing";

  // One bad name among good ones: nothing changes.
  auto bad = RunMedvault({"contain", "--data", practice_->data_dir, "--action", "lock", "--account",
                          "physician", "--account", "nobody-here"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("nobody-here"), std::string::npos) << bad.err;
  EXPECT_EQ(practice_->as("physician").Get("/auth/me").status, 200);
  auto unlock = RunMedvault(
      {"contain", "--data", practice_->data_dir, "--action", "unlock", "--account", "physician"});
  EXPECT_EQ(unlock.exit_code, 1);
  EXPECT_NE(unlock.err.find("not locked"), std::string::npos) << unlock.err;
  EXPECT_EQ(RunMedvault({"contain", "--data", practice_->data_dir, "--action", "explode",
                         "--account", "physician"})
                .exit_code,
            2);
  EXPECT_EQ(RunMedvault({"contain", "--data", practice_->data_dir, "--action", "lock"}).exit_code,
            2);
}

// Last: it tampers with the live log.
TEST_F(BreachReportTest, TheApiRefusesToReportFromATamperedLog) {
  ASSERT_TRUE(TrySql(practice_->data_dir,
                     "UPDATE audit_log SET body = randomblob(length(body)) WHERE seq = 10;",
                     "UPDATE audit_log SET body = overlay(body placing "
                     "sha256(random()::text::bytea) from 25) WHERE seq = 10;"));
  auto r = practice_->as("security_officer").Get("/security/breach-report?account=" + attacker_);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.body.find("does not verify"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find(records_[0].patient), std::string::npos);
}

}  // namespace
}  // namespace medvault::testing
