// Crypto-erasure while the server serves: after POST /admin/patients/{id}/erase (or
// `medvault erase`), nothing of the patient can be read back through the API, search or
// export, and neither its wrapped data key, its sealed bodies nor the free text about it
// is left in the database (on SQLite: in its file or WAL, free pages included; on
// PostgreSQL: in any row); the audit trail still names it and verifies.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "practice_fixture.h"
#include "sample_resources.h"
#include "stored_database.h"

namespace medvault::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Blobs of the patient's rows, read straight from the database (beside the running
// server): its wrapped data key and a piece of each sealed body.
std::vector<std::string> StoredBlobs(const std::string& data_dir, const std::string& patient) {
  // A server-made id: letters, digits and '-' (checked, since it goes into the SQL).
  EXPECT_EQ(
      patient.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-"),
      std::string::npos);
  const std::string is = " = '" + patient + "'";
  std::istringstream rows(Sql(
      data_dir,
      "SELECT hex(wrapped_dek) FROM compartments WHERE id" + is +
          "; SELECT hex(substr(body, 25, 48)) FROM resource_versions WHERE compartment" + is +
          "; SELECT hex(reason) FROM access_grants WHERE patient_id" + is + ";",
      "SELECT encode(wrapped_dek, 'hex') FROM compartments WHERE id" + is +
          "; SELECT encode(substr(body, 25, 48), 'hex') FROM resource_versions "
          "WHERE compartment" +
          is + "; SELECT encode(reason, 'hex') FROM access_grants WHERE patient_id" + is + ";"));
  std::vector<std::string> blobs;
  for (std::string line; std::getline(rows, line);)
    if (!line.empty()) blobs.push_back(Unhex(line));
  return blobs;
}

// The database stores none of `blobs` or `texts`: on SQLite not even in its files' free
// pages or WAL; on PostgreSQL, in no row (what its files keep is in docs/OPERATIONS.md).
void ExpectNowhereAtRest(const std::string& data_dir, const std::vector<std::string>& blobs,
                         const std::vector<std::string>& texts, const char* when) {
  for (size_t i = 0; i < blobs.size(); ++i)
    EXPECT_FALSE(StoredAnywhere(data_dir, blobs[i]))
        << when << ": stored blob " << i << " is still there";
  for (const std::string& text : texts)
    EXPECT_FALSE(StoredAnywhere(data_dir, text)) << when << ": \"" << text << "\" is still there";
}

class Erasure : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { practice_ = StartPractice().release(); }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
};
Practice* Erasure::practice_ = nullptr;

TEST_F(Erasure, AnAdministratorErasesAPatientAndNothingOfItCanBeReadBack) {
  Practice& p = *practice_;
  const std::string family = "Vauquelin-Ardisson";
  PatientRecord record = RegisterPatient(
      p, "physician",
      PatientJson(family, "Sidonie", "1948-07-14", p.organization_id, "2480714123456"));
  const std::string& id = record.patient;
  // Free text about the patient outside its compartment: a break-the-glass reason.
  ASSERT_EQ(p.BreakGlass("physician-b", id).status, 201);
  ASSERT_NE(p.as("physician").Get("/fhir/Patient?family=" + family).body.find(id),
            std::string::npos);
  std::vector<std::string> blobs = StoredBlobs(p.data_dir, id);
  ASSERT_GE(blobs.size(), 9u);  // the data key, 7 bodies and more, the grant's reason
  for (const std::string& blob : blobs) ASSERT_GE(blob.size(), 16u);
  // The check after the erasure would prove nothing if the bytes were never there.
  ASSERT_TRUE(StoredAnywhere(p.data_dir, blobs.front()));  // the wrapped key, before
  const std::string body = "{\"confirm\":\"" + id + "\"}";
  const std::vector<std::string> json = {"Content-Type: application/json"};

  // Only an administrator, only after a fresh code, only with the id repeated.
  EXPECT_EQ(
      p.as("physician").Request("POST", "/admin/patients/" + id + "/erase", body, json).status,
      403);
  ASSERT_EQ(p.StepUp("admin").status, 200);
  auto unconfirmed = p.as("admin").Request("POST", "/admin/patients/" + id + "/erase",
                                           R"({"confirm":"someone-else"})", json);
  EXPECT_EQ(unconfirmed.status, 400) << unconfirmed.body;
  EXPECT_EQ(p.as("admin")
                .Request("POST", "/admin/patients/no-such-patient/erase",
                         R"({"confirm":"no-such-patient"})", json)
                .status,
            404);
  EXPECT_EQ(p.as("physician").Get("/fhir/Patient/" + id).status, 200);  // nothing changed
  auto erased = p.as("admin").Request("POST", "/admin/patients/" + id + "/erase", body, json);
  ASSERT_EQ(erased.status, 200) << erased.body;
  EXPECT_EQ(p.as("admin").Request("POST", "/admin/patients/" + id + "/erase", body, json).status,
            410);

  // The API: gone, with a clear message; its other resources are not found; search and
  // history find nothing; the grant's reason is replaced.
  HttpsClient& doctor = p.as("physician");
  auto read = doctor.Get("/fhir/Patient/" + id);
  EXPECT_EQ(read.status, 410);
  EXPECT_NE(read.body.find("erased"), std::string::npos) << read.body;
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + id + "/_history").status, 410);
  for (const auto& [type, resource] : record.ids)
    EXPECT_EQ(doctor.Get("/fhir/" + type + "/" + resource).status, 404) << type;
  auto search = doctor.Get("/fhir/Patient?family=" + family);
  EXPECT_EQ(search.status, 200);
  EXPECT_EQ(search.body.find(id), std::string::npos);
  EXPECT_EQ(doctor.Get("/fhir/Observation?patient=" + id).body.find("Observation/"),
            std::string::npos);
  auto grants = p.as("physician-b").Get("/access/grants");
  EXPECT_EQ(grants.body.find(kBreakGlassText), std::string::npos) << grants.body;
  auto alerts = p.as("security_officer").Get("/security/alerts?severity=medium");
  EXPECT_EQ(alerts.status, 200);
  EXPECT_NE(alerts.body.find("break-glass"), std::string::npos);    // the alert stays
  EXPECT_EQ(alerts.body.find(kBreakGlassText), std::string::npos);  // its detail does not

  // Export skips it.
  const std::string out = p.dir->path() + "/export-after-erasure";
  CommandResult exported = RunMedvault({"export", "--data", p.data_dir, "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  for (const auto& entry : std::filesystem::directory_iterator(out))
    EXPECT_EQ(Slurp(entry.path().string()).find(id), std::string::npos) << entry.path();

  // The database, while serving: no wrapped key, no sealed body, no reason, no name.
  ExpectNowhereAtRest(p.data_dir, blobs, {family, kBreakGlassText}, "while serving");

  // The trail still names the patient (by id) and verifies.
  auto trail = p.as("security_officer").Get("/fhir/AuditEvent?patient=Patient/" + id);
  EXPECT_EQ(trail.status, 200);
  EXPECT_NE(trail.body.find("\"entry\""), std::string::npos);
  EXPECT_GT(AuditEntriesVerified(p.data_dir), 0);
}

TEST_F(Erasure, TheCommandLineErasesBesideTheRunningServerAfterConfirmation) {
  Practice& p = *practice_;
  PatientRecord record = RegisterPatient(
      p, "physician", PatientJson("Lemarchal", "Octave", "1939-01-02", p.organization_id));
  const std::string& id = record.patient;
  std::vector<std::string> blobs = StoredBlobs(p.data_dir, id);
  ASSERT_GE(blobs.size(), 8u);
  ASSERT_TRUE(StoredAnywhere(p.data_dir, blobs.front()));

  // A wrong confirmation, an unknown patient, a malformed id: refused, nothing changed.
  CommandResult wrong = RunMedvault({"erase", "--data", p.data_dir, "--patient", id}, "oops\n");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("not confirmed"), std::string::npos) << wrong.err;
  EXPECT_EQ(RunMedvault({"erase", "--data", p.data_dir, "--patient", "nobody", "--yes"}).exit_code,
            1);
  EXPECT_EQ(RunMedvault({"erase", "--data", p.data_dir, "--patient", "../x", "--yes"}).exit_code,
            2);
  EXPECT_EQ(p.as("physician").Get("/fhir/Patient/" + id).status, 200);

  CommandResult erased = RunMedvault({"erase", "--data", p.data_dir, "--patient", id}, id + "\n");
  ASSERT_EQ(erased.exit_code, 0) << erased.err;
  EXPECT_NE(erased.out.find("data key destroyed"), std::string::npos) << erased.out;
  EXPECT_EQ(p.as("physician").Get("/fhir/Patient/" + id).status, 410);
  ExpectNowhereAtRest(p.data_dir, blobs, {"Lemarchal"}, "while serving");
  EXPECT_GT(AuditEntriesVerified(p.data_dir), 0);
}

}  // namespace
}  // namespace medvault::testing
