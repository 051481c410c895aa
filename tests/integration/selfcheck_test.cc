// The security self-check finds what was planted (an account without a second factor, a
// world-readable key file, a loose master key that keeps the directory from opening) and
// exits non-zero at the chosen severity; the security officer gets the same report over
// HTTPS.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "practice_fixture.h"

namespace medvault::testing {
namespace {

// The findings of a JSON report as "severity check subject" lines.
std::vector<std::string> Findings(const std::string& json) {
  std::vector<std::string> out;
  auto doc = Json(json);
  if (!doc.IsObject() || !doc.HasMember("findings")) return out;
  for (const auto& f : doc["findings"].GetArray())
    out.push_back(std::string(f["severity"].GetString()) + " " + f["check"].GetString() + " " +
                  f["subject"].GetString());
  return out;
}

bool Has(const std::vector<std::string>& findings, const std::string& prefix) {
  for (const std::string& f : findings)
    if (f.starts_with(prefix)) return true;
  return false;
}

TEST(SelfCheck, ReportsPlantedFindingsAndFailsAtTheChosenSeverity) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(dir)).exit_code, 0);
  CommandResult clean = RunMedvault({"selfcheck", "--data", dir, "--json"});
  EXPECT_EQ(clean.exit_code, 0) << clean.out << clean.err;
  auto findings = Findings(clean.out);
  EXPECT_FALSE(Has(findings, "high")) << clean.out;
  EXPECT_TRUE(Has(findings, "info audit-log")) << clean.out;
  EXPECT_TRUE(Has(findings, "info tls-certificate")) << clean.out;
  EXPECT_TRUE(Has(findings, "info keys kek v1")) << clean.out;
  // Low findings exist on a fresh directory (self-signed certificate, no SIEM feed).
  EXPECT_EQ(RunMedvault({"selfcheck", "--data", dir, "--fail-on", "low"}).exit_code, 1);

  // Planted: a secretary without a second factor, a world-readable TLS key.
  const std::string org = tmp.path() + "/org.ndjson";
  std::ofstream(org) << R"({"resourceType":"Organization","id":"org-1","name":"Cabinet"})"
                     << "\n";
  ASSERT_EQ(RunMedvault({"import", "--data", dir, org}).exit_code, 0);
  CommandResult added = RunMedvault({"user", "add", "--data", dir, "--username", "sans.otp",
                                     "--role", "secretary", "--organization", "org-1"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  ASSERT_EQ(::chmod((dir + "/tls/server.key").c_str(), 0644), 0);
  CommandResult planted = RunMedvault({"selfcheck", "--data", dir, "--json", "--fail-on", "high"});
  EXPECT_EQ(planted.exit_code, 1);
  findings = Findings(planted.out);
  EXPECT_TRUE(Has(findings, "high mfa sans.otp")) << planted.out;
  EXPECT_TRUE(Has(findings, "high file-permissions " + dir + "/tls/server.key")) << planted.out;
  EXPECT_EQ(findings.front().substr(0, 4), "high");  // most severe first

  // The table says the same.
  CommandResult table = RunMedvault({"selfcheck", "--data", dir});
  EXPECT_EQ(table.exit_code, 1);
  EXPECT_NE(table.out.find("sans.otp"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("2 high"), std::string::npos) << table.out;

  // A loose master key keeps the directory from opening: still a report, and a failure.
  ASSERT_EQ(::chmod((dir + "/tls/server.key").c_str(), 0600), 0);
  ASSERT_EQ(::chmod((dir + "/master.key").c_str(), 0644), 0);
  CommandResult closed = RunMedvault({"selfcheck", "--data", dir, "--json"});
  EXPECT_EQ(closed.exit_code, 1);
  findings = Findings(closed.out);
  EXPECT_TRUE(Has(findings, "high data-directory")) << closed.out;
  EXPECT_TRUE(Has(findings, "high file-permissions " + dir + "/master.key")) << closed.out;

  EXPECT_EQ(RunMedvault({"selfcheck", "--data", dir, "--fail-on", "severe"}).exit_code, 2);
}

TEST(SelfCheck, TheSecurityOfficerGetsTheReportOverHttps) {
  auto p = StartPractice();
  auto report = p->as("security_officer").Get("/security/selfcheck");
  ASSERT_EQ(report.status, 200) << report.body;
  auto findings = Findings(report.body);
  EXPECT_TRUE(Has(findings, "info audit-log")) << report.body;
  EXPECT_FALSE(Has(findings, "high")) << report.body;
  EXPECT_EQ(p->as("admin").Get("/security/selfcheck").status, 403);
  EXPECT_EQ(p->as("physician").Get("/security/selfcheck").status, 403);
  EXPECT_EQ(p->as("security_officer").Request("POST", "/security/selfcheck").status, 405);
  // A contained account shows up: the security officer locks one, the report says so.
  auto account = Json(p->as("physician").Get("/auth/me").body);
  ASSERT_EQ(p->StepUp("security_officer").status, 200);
  ASSERT_EQ(p->as("security_officer")
                .Request("POST", "/security/accounts/" + Str(account, "id") + "/contain",
                         R"({"action":"lock"})", {"Content-Type: application/json"})
                .status,
            200);
  findings = Findings(p->as("security_officer").Get("/security/selfcheck").body);
  EXPECT_TRUE(Has(findings, "medium locked-account physician")) << report.body;
}

}  // namespace
}  // namespace medvault::testing
