// The command line: --help everywhere, exit codes, init's refusal to overwrite, and
// clear errors on bad input.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "medvault_process.h"
#include "practice_fixture.h"

namespace medvault::testing {
namespace {

TEST(Cli, HelpOnEveryCommand) {
  for (std::vector<std::string> args : {std::vector<std::string>{"--help"},
                                        {"init", "--help"},
                                        {"serve", "--help"},
                                        {"demo", "--help"},
                                        {"user", "--help"},
                                        {"user", "add", "--help"},
                                        {"user", "list", "--help"},
                                        {"user", "suspend", "--help"},
                                        {"user", "reactivate", "--help"},
                                        {"user", "unlock", "--help"},
                                        {"user", "reset-mfa", "--help"},
                                        {"user", "reset-password", "--help"}}) {
    auto r = RunMedvault(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[0] << ": " << r.out;
  }
}

TEST(Cli, UsageErrorsExitWith2) {
  EXPECT_EQ(RunMedvault({}).exit_code, 2);
  EXPECT_EQ(RunMedvault({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(RunMedvault({"init"}).exit_code, 2);  // --data is required
  EXPECT_EQ(RunMedvault({"serve", "--data", "/tmp", "--threads", "0"}).exit_code, 2);
  // An unknown risk-scorer feature is refused before the drill builds anything, with
  // the names it knows.
  auto drill = RunMedvault({"drill", "--features-off", "volume-day,telepathy"});
  EXPECT_EQ(drill.exit_code, 2);
  EXPECT_NE(drill.err.find("unknown feature telepathy (known: "), std::string::npos) << drill.err;
  EXPECT_NE(drill.err.find("break-glass"), std::string::npos) << drill.err;
}

TEST(Cli, InitCreatesAPrivateDataDirectoryAndRefusesToOverwriteIt) {
  TempDir tmp;
  std::string dir = tmp.path() + "/data";
  auto r = RunMedvault(InitArgs(dir));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  for (const char* secret : {"/master.key", "/signing.key", "/tls/server.key"}) {
    ASSERT_EQ(::stat((dir + secret).c_str(), &st), 0) << secret;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << secret;
  }
  for (const char* file : {"/medvault.toml", "/signing.pub", "/tls/server.crt"})
    EXPECT_TRUE(std::filesystem::exists(dir + file)) << file;
  // The records are in SQLite's file in the directory, or in PostgreSQL and not there.
  EXPECT_EQ(std::filesystem::exists(dir + "/medvault.db"), !OnPostgres());
  EXPECT_NE(r.out.find("security-officer"), std::string::npos);

  auto again = RunMedvault({"init", "--data", dir});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("refusing to overwrite"), std::string::npos) << again.err;
}

TEST(Cli, UserAddPrintsJsonAndChecksItsInput) {
  TempDir tmp;
  std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(dir)).exit_code, 0);
  auto ok = RunMedvault(
      {"user", "add", "--data", dir, "--username", "dpo.two", "--role", "security_officer"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_NE(ok.out.find("\"username\":\"dpo.two\""), std::string::npos) << ok.out;
  EXPECT_NE(ok.out.find("\"password\":\""), std::string::npos) << ok.out;

  auto dup = RunMedvault(
      {"user", "add", "--data", dir, "--username", "dpo.two", "--role", "security_officer"});
  EXPECT_EQ(dup.exit_code, 1);
  EXPECT_NE(dup.err.find("already exists"), std::string::npos) << dup.err;
  auto role = RunMedvault({"user", "add", "--data", dir, "--username", "x.y", "--role", "king"});
  EXPECT_EQ(role.exit_code, 2);
  auto no_org =
      RunMedvault({"user", "add", "--data", dir, "--username", "dr.who", "--role", "physician"});
  EXPECT_EQ(no_org.exit_code, 1);
  EXPECT_NE(no_org.err.find("organization"), std::string::npos) << no_org.err;
  auto ghost_org = RunMedvault({"user", "add", "--data", dir, "--username", "dr.who", "--role",
                                "physician", "--organization", "nope"});
  EXPECT_EQ(ghost_org.exit_code, 1);
  auto weak = RunMedvault({"user", "add", "--data", dir, "--username", "dpo.three", "--role",
                           "security_officer", "--password-stdin"},
                          "short\n");
  EXPECT_EQ(weak.exit_code, 1);
  EXPECT_NE(weak.err.find("at least 12"), std::string::npos) << weak.err;
  EXPECT_EQ(weak.err.find("short"), std::string::npos);
  auto list = RunMedvault({"user", "list", "--data", dir});
  EXPECT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("dpo.two"), std::string::npos);
}

// The line of `user list` for one account, split into its columns.
std::vector<std::string> ListedAccount(const std::string& dir, const std::string& username) {
  auto list = RunMedvault({"user", "list", "--data", dir});
  std::istringstream lines(list.out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::vector<std::string> columns;
    for (std::string w; words >> w;) columns.push_back(w);
    if (!columns.empty() && columns[0] == username) return columns;
  }
  return {};
}

TEST(Cli, InitEnrolsTheFirstAccountsAndUserAddCanEnrolToo) {
  TempDir tmp;
  std::string dir = tmp.path() + "/data";
  auto init = RunMedvault(InitArgs(dir));
  ASSERT_EQ(init.exit_code, 0);
  EXPECT_NE(init.out.find("TOTP secret"), std::string::npos) << init.out;
  EXPECT_NE(init.out.find("otpauth://totp/medvault:admin?secret="), std::string::npos);
  auto added = RunMedvault({"user", "add", "--data", dir, "--username", "dpo.two", "--role",
                            "security_officer", "--enroll-totp"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("\"totp_secret\":\""), std::string::npos) << added.out;
  EXPECT_NE(added.out.find("\"recovery_codes\":["), std::string::npos) << added.out;
  // LOCKED and MFA columns.
  auto admin = ListedAccount(dir, "admin");
  ASSERT_EQ(admin.size(), 6u);
  EXPECT_EQ(admin[3], "no");
  EXPECT_EQ(admin[4], "yes");
}

TEST(Cli, UserAdministrationCommands) {
  TempDir tmp;
  std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(dir)).exit_code, 0);
  ASSERT_EQ(RunMedvault({"user", "add", "--data", dir, "--username", "dpo.two", "--role",
                         "security_officer", "--enroll-totp"})
                .exit_code,
            0);
  auto user = [&](const std::string& action, const std::string& name = "dpo.two") {
    return RunMedvault({"user", action, "--data", dir, "--username", name});
  };
  EXPECT_EQ(user("suspend").exit_code, 0);
  EXPECT_EQ(ListedAccount(dir, "dpo.two")[2], "suspended");
  EXPECT_EQ(user("reactivate").exit_code, 0);
  EXPECT_EQ(ListedAccount(dir, "dpo.two")[2], "active");
  EXPECT_EQ(user("reset-mfa").exit_code, 0);
  EXPECT_EQ(ListedAccount(dir, "dpo.two")[4], "no");
  auto reset = user("reset-password");
  EXPECT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(reset.out.find("\"password_change_required\":true"), std::string::npos) << reset.out;
  EXPECT_EQ(user("unlock").exit_code, 0);
  auto ghost = user("suspend", "nobody");
  EXPECT_EQ(ghost.exit_code, 1);
  EXPECT_NE(ghost.err.find("no account"), std::string::npos) << ghost.err;
  EXPECT_EQ(RunMedvault({"user", "suspend", "--data", dir}).exit_code, 2);  // --username
}

TEST(Cli, ServeRefusesMissingDirectoriesBadConfigAndLooseKeys) {
  TempDir tmp;
  auto missing = RunMedvault({"serve", "--data", tmp.path() + "/absent"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("medvault init"), std::string::npos) << missing.err;

  std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(dir)).exit_code, 0);
  ::chmod((dir + "/master.key").c_str(), 0644);
  auto loose = RunMedvault({"serve", "--data", dir});
  EXPECT_EQ(loose.exit_code, 1);
  EXPECT_NE(loose.err.find("chmod 600"), std::string::npos) << loose.err;
  ::chmod((dir + "/master.key").c_str(), 0600);

  std::ofstream(dir + "/medvault.toml", std::ios::app) << "\n[server]\nthreeds = 4\n";
  auto typo = RunMedvault({"serve", "--data", dir});
  EXPECT_EQ(typo.exit_code, 1);
  EXPECT_NE(typo.err.find("medvault.toml"), std::string::npos) << typo.err;
}

TEST(Cli, ServeStopsCleanlyOnSigterm) {
  TempDir tmp;
  std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(dir)).exit_code, 0);
  ServerProcess server(dir, tmp.path() + "/log");
  EXPECT_NE(server.url().find("https://127.0.0.1:"), std::string::npos);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace medvault::testing
