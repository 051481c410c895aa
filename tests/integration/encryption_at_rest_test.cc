// Invariant 1 of the security model: known names, identifiers and note text written
// through the API appear nowhere in the database file, its WAL, or the server's log; on
// PostgreSQL (MEDVAULT_TEST_ENGINE=postgres), nowhere in a pg_dump of the database.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "practice_fixture.h"
#include "sample_resources.h"
#include "support/reference_totp.h"
#include "support/throwaway_postgres.h"

namespace medvault::testing {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// On PostgreSQL, what the database holds, as pg_dump writes it into data_dir (named so
// that the greps below read it): bytea in the escape format, which keeps printable bytes
// as they are, so that a plaintext body would show.
void DumpPostgres(const Practice& practice) {
  if (practice.database_uri.empty()) return;
  std::string command = "PGOPTIONS='-c bytea_output=escape' " +
                        std::string(ThrowawayPostgres::kBinDir) + "/pg_dump --dbname='" +
                        practice.database_uri + "' -f '" + practice.data_dir +
                        "/medvault.db.pgdump'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
}

TEST(EncryptionAtRest, NoPlaintextInDatabaseWalOrLog) {
  auto practice = StartPractice();
  HttpsClient& doctor = practice->as("physician");
  // Distinctive values, each of which must not be found anywhere at rest.
  const std::string family = "Quennevilliers";
  const std::string given = "Ombeline";
  const std::string nir = "2851275987654";
  const std::string note = "Patiente inquiete, suspicion de pneumopathie atypique";
  const std::string note_base64 =
      "UGF0aWVudGUgaW5xdWlldGUsIHN1c3BpY2lvbiBkZSBwbmV1bW9wYXRoaWUgYXR5cGlxdWU=";
  auto p = doctor.Request("POST", "/fhir/Patient",
                          PatientJson(family, given, "1985-12-01", practice->organization_id, nir));
  ASSERT_EQ(p.status, 201) << p.body;
  std::string id = IdFromLocation(p);
  auto n = doctor.Request("POST", "/fhir/DocumentReference", NoteJson(id, note_base64));
  ASSERT_EQ(n.status, 201) << n.body;
  // Reads and searches by those values go through the log path too.
  ASSERT_EQ(doctor.Get("/fhir/Patient?family=" + family).status, 200);
  ASSERT_EQ(doctor.Get("/fhir/Patient?identifier=" + nir).status, 200);
  ASSERT_EQ(doctor.Get("/fhir/DocumentReference?patient=" + id).status, 200);
  auto found = doctor.Get("/fhir/Patient?given=" + given);
  ASSERT_NE(found.body.find(given), std::string::npos);  // the API does return it

  // Grep while the server runs (the WAL holds recent writes), then after shutdown.
  auto grep_all = [&](const char* when, size_t expected_files) {
    DumpPostgres(*practice);
    // PostgreSQL: the log and the dump (the database's files are the server's).
    if (!practice->database_uri.empty()) expected_files = 2;
    std::vector<std::string> files = {practice->log_file};
    for (const auto& entry : std::filesystem::directory_iterator(practice->data_dir))
      if (entry.path().filename().string().starts_with("medvault.db"))
        files.push_back(entry.path().string());
    std::string listing;
    for (const auto& f : files) listing += f + " ";
    ASSERT_GE(files.size(), expected_files) << when << ": " << listing;
    for (const std::string& file : files) {
      std::string bytes = Slurp(file);
      for (const std::string& secret : {family, given, nir, note, note_base64,
                                        std::string("Quennevil"), std::string("pneumopathie")})
        EXPECT_EQ(bytes.find(secret), std::string::npos)
            << when << ": found \"" << secret << "\" in " << file;
    }
  };
  // Authentication secrets: the raw TOTP secret of an account, and its base32 form, must
  // not be at rest either (they are sealed per account); nor a password or token.
  std::vector<uint8_t> raw_totp = ReferenceBase32Decode(practice->totp_secrets.at("physician"));
  const std::string totp_secret(raw_totp.begin(), raw_totp.end());
  const std::string totp_base32 = practice->totp_secrets.at("physician");
  const std::string password = practice->passwords.at("physician");
  const std::string token = doctor.bearer();
  auto grep_secrets = [&](const char* when) {
    for (const auto& entry : std::filesystem::directory_iterator(practice->data_dir)) {
      if (!entry.path().filename().string().starts_with("medvault.db")) continue;
      std::string bytes = Slurp(entry.path().string());
      for (const std::string& secret : {totp_secret, totp_base32, password, token})
        EXPECT_EQ(bytes.find(secret), std::string::npos)
            << when << ": an authentication secret in " << entry.path();
    }
  };
  grep_secrets("while serving");
  grep_all("while serving", 3);  // log, database, WAL (and shared memory)
  EXPECT_EQ(practice->server->Stop(), 0);
  grep_all("after shutdown", 2);  // log, database (the WAL is checkpointed away)
  grep_secrets("after shutdown");
}

}  // namespace
}  // namespace medvault::testing
