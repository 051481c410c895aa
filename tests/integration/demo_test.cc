// `medvault demo` through the real binary: a synthetic practice is built, served, and
// browsable: the printed accounts log in (password and TOTP), and patients are found by
// name, birth date and identifier over the API.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "practice_fixture.h"

namespace medvault::testing {
namespace {

TEST(DemoTest, BuildsABrowsablePracticeAndPrintsOneAccountPerRole) {
  auto practice = std::make_unique<Practice>();
  practice->dir = std::make_unique<TempDir>();
  practice->data_dir = practice->dir->path() + "/demo";
  practice->log_file = practice->dir->path() + "/demo.log";
  practice->server = std::make_unique<ServerProcess>(
      std::vector<std::string>{"demo", "--data", practice->data_dir, "--patients", "300", "--seed",
                               "7", "--listen", "127.0.0.1:0"},
      practice->log_file, 600, "stop with Ctrl-C");
  const std::string& printed = practice->server->output();
  for (const char* role : {"physician", "nurse", "secretary", "security_officer", "admin"})
    EXPECT_NE(printed.find(role), std::string::npos) << role << " missing from:\n" << printed;

  std::ifstream in(practice->data_dir + "/demo-accounts.json");
  std::stringstream text;
  text << in.rdbuf();
  auto accounts = Json(text.str());
  ASSERT_TRUE(accounts.IsArray());
  std::string physician;
  for (const auto& a : accounts.GetArray()) {
    std::string username = a["username"].GetString();
    practice->passwords[username] = a["password"].GetString();
    practice->totp_secrets[username] = a["totp_secret"].GetString();
    if (physician.empty() && std::string(a["role"].GetString()) == "physician")
      physician = username;
  }
  ASSERT_FALSE(physician.empty());
  EXPECT_NE(printed.find(practice->passwords[physician]), std::string::npos);
  auto doctor = practice->LoginAs(physician);

  // A patient of the practice, then found again by each kind of criterion.
  auto page = doctor->Get("/fhir/Patient?_count=5");
  ASSERT_EQ(page.status, 200) << page.body;
  auto bundle = Json(page.body);
  ASSERT_TRUE(bundle.HasMember("entry")) << page.body;
  const auto& patient = bundle["entry"][0]["resource"];
  const std::string id = patient["id"].GetString();
  const std::string family = patient["name"][0]["family"].GetString();
  const std::string birth = patient["birthDate"].GetString();
  const std::string nir = patient["identifier"][0]["value"].GetString();
  for (const std::string& query :
       {"family:exact=" + family + "&birthdate=" + birth, "birthdate=" + birth,
        "identifier=urn:oid:1.2.250.1.213.1.4.8|" + nir}) {
    std::string encoded;
    for (unsigned char c : query)
      encoded += c < 0x80 && c != ' ' ? std::string(1, static_cast<char>(c)) : ([&] {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", c);
        return std::string(buf);
      })();
    auto found = doctor->Get("/fhir/Patient?" + encoded);
    ASSERT_EQ(found.status, 200) << query << ": " << found.body;
    EXPECT_NE(found.body.find("\"id\":\"" + id + "\""), std::string::npos) << query;
  }
  // The history is there too.
  auto observations = doctor->Get("/fhir/Observation?patient=Patient/" + id);
  EXPECT_EQ(observations.status, 200) << observations.body;
}

}  // namespace
}  // namespace medvault::testing
