// A running medvault with a small practice: one data directory made by `medvault
// init`, the server on an ephemeral port, two Organizations and a Practitioner per
// clinician created by the admin over the API, and one logged-in client per account
// (accounts made by `medvault user add`).
// Shared by the tests of a suite: start-up costs a few seconds under ASan.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "https_client.h"
#include "medvault_process.h"

namespace medvault::testing {

// Parses JSON or fails the test.
rapidjson::Document Json(const std::string& text);
// A string member, an integer member as its decimal text, or "".
std::string Str(const rapidjson::Value& object, const char* key);

struct Practice {
  std::unique_ptr<TempDir> dir;
  std::string data_dir;
  std::string log_file;
  // The PostgreSQL database the server uses (MEDVAULT_TEST_ENGINE=postgres), or "" for
  // SQLite in data_dir.
  std::string database_uri;
  std::unique_ptr<ServerProcess> server;
  std::string organization_id;
  std::string other_organization_id;
  std::map<std::string, std::string> passwords;                 // username → password
  std::map<std::string, std::string> totp_secrets;              // username → base32 secret
  std::map<std::string, std::unique_ptr<HttpsClient>> clients;  // username → logged in
  std::map<std::string, std::string> practitioners;  // clinician's username → Practitioner id

  std::unique_ptr<HttpsClient> NewClient() const;
  // Adds an account with `medvault user add` and logs it in as clients[username]. A
  // physician or nurse first gets a Practitioner resource, created by the admin and
  // recorded in `practitioners`. `organization` is "" for roles without one.
  void AddAccount(const std::string& username, const std::string& role,
                  const std::string& organization);
  // Logs `username` in; returns a client carrying its bearer token (or fails the test).
  std::unique_ptr<HttpsClient> LoginAs(const std::string& username) const;
  // A TOTP code for `username` that the server has not seen yet, computed without
  // liboath (tests/support/reference_totp.h). Codes of one account must be of
  // increasing steps, and only steps now-1..now+1 are accepted: after three codes in one
  // 30-second step this waits for the next step.
  std::string NextCode(const std::string& username) const;
  // The TOTP code of `username`'s secret for an exact step (for replay tests).
  std::string CodeAt(const std::string& username, int64_t step) const;
  // Logs in with password and code; returns the raw responses of both steps.
  std::pair<HttpResponse, HttpResponse> Login(HttpsClient& client, const std::string& username,
                                              const std::string& password) const;

  // A new patient of organization B (Hugo `family`), registered by physician-b; its id.
  std::string PatientOfB(const std::string& family);

  // POST /auth/step-up for `username`'s session with a fresh code.
  HttpResponse StepUp(const std::string& username);
  // Steps `username` up, then asks for a break-the-glass grant on `patient` (purpose
  // ETREAT, with kBreakGlassText as the reason).
  HttpResponse BreakGlass(const std::string& username, const std::string& patient);

  // The account id of `username` (GET /auth/me on its session).
  std::string AccountId(const std::string& username);
  // POST /security/accounts/{account}/contain as the security officer, stepping up
  // first when the officer's last code is stale.
  HttpResponse Contain(const std::string& account, const std::string& action);

  mutable std::map<std::string, int64_t> last_step;  // username → last step used
  HttpsClient& as(const std::string& role) { return *clients.at(role); }
  // A new client (its own connection) on the session of `as(role)`: for threads.
  std::unique_ptr<HttpsClient> SameSessionAs(const std::string& role) const {
    auto client = NewClient();
    client->set_bearer(clients.at(role)->bearer());
    return client;
  }
};

// Seconds since the epoch, now.
int64_t UnixNow();

// `medvault init --data data_dir`, and with MEDVAULT_TEST_ENGINE=postgres `--database`
// and a new database of the throwaway PostgreSQL (whose URI goes to `database_uri`).
std::vector<std::string> InitArgs(const std::string& data_dir, std::string* database_uri = nullptr);
// Whether the tests run on PostgreSQL (MEDVAULT_TEST_ENGINE=postgres).
bool OnPostgres();

// Builds the practice; call from SetUpTestSuite. Accounts (the first of each role is
// named after it): physician, physician-2, nurse, secretary (organization A);
// physician-b, nurse-b, secretary-b (organization B); security_officer, admin.
// `config_edits` replace lines of the generated medvault.toml before the server starts,
// e.g. {"lockout_after_failures = 10", "lockout_after_failures = 4"}.
// The web application is off (`[web] enabled = false`: paths outside the API get 404
// whether or not web/dist has been built) unless an edit sets `[web] root`.
// `prepare`, when given, runs with the data directory's path before `medvault init`
// (which accepts an existing empty directory): e.g. to mount a small filesystem there.
std::unique_ptr<Practice> StartPractice(
    const std::vector<std::pair<std::string, std::string>>& config_edits = {},
    const std::function<void(const std::string& data_dir)>& prepare = nullptr);

// The path (after `base_url`) of a searchset Bundle's next link, or "" on the last page.
std::string NextPage(const rapidjson::Value& bundle, const std::string& base_url);

// The id from a 201's Location header ".../Type/id/_history/1".
std::string IdFromLocation(const HttpResponse& response);

// The reason the tests give for breaking the glass.
inline constexpr const char* kBreakGlassText = "unconscious patient at the practice, no record";

// A patient registered by `owner` (a physician) with `patient_json`, and one resource of
// each clinical type written by the same physician.
struct PatientRecord {
  std::string patient;                     // the Patient's id
  std::map<std::string, std::string> ids;  // clinical type → the id of its resource
};
PatientRecord RegisterPatient(Practice& p, const std::string& owner,
                              const std::string& patient_json);

}  // namespace medvault::testing
