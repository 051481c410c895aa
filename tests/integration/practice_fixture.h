// A running medvault with a small practice: one data directory made by `medvault
// init`, the server on an ephemeral port, an Organization created by the admin over
// the API, and one logged-in client per role (accounts made by `medvault user add`).
// Shared by the tests of a suite: start-up costs a few seconds under ASan.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <string>

#include "https_client.h"
#include "medvault_process.h"

namespace medvault::testing {

// Parses JSON or fails the test.
rapidjson::Document Json(const std::string& text);

struct Practice {
  std::unique_ptr<TempDir> dir;
  std::string data_dir;
  std::string log_file;
  std::unique_ptr<ServerProcess> server;
  std::string organization_id;
  std::string other_organization_id;
  std::map<std::string, std::string> passwords;                 // username → password
  std::map<std::string, std::unique_ptr<HttpsClient>> clients;  // role name → logged in

  std::unique_ptr<HttpsClient> NewClient() const;
  // Logs `username` in; returns a client carrying its bearer token (or fails the test).
  std::unique_ptr<HttpsClient> LoginAs(const std::string& username) const;
  HttpsClient& as(const std::string& role) { return *clients.at(role); }
};

// Builds the practice; call from SetUpTestSuite. Accounts (username = role name):
// physician, nurse, secretary (organization A), secretary-b (organization B),
// security_officer, admin.
std::unique_ptr<Practice> StartPractice();

// The id from a 201's Location header ".../Type/id/_history/1".
std::string IdFromLocation(const HttpResponse& response);

}  // namespace medvault::testing
