// A bad environment stops `medvault serve` before it listens, with a message that says
// what to fix: missing or loose key files, the wrong master key, an empty, foreign or
// damaged database, a bad configuration. (Cli.ServeRefuses… covers a missing data
// directory, a loose master.key and an unknown setting.)
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "medvault_process.h"
#include "practice_fixture.h"
#include "stored_database.h"

namespace medvault::testing {
namespace {

namespace fs = std::filesystem;

class StartupFaults : public ::testing::Test {
 protected:
  // One pristine data directory, copied for each case (init costs a few seconds).
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    pristine_ = tmp_->path() + "/pristine";
    auto init = RunMedvault(InitArgs(pristine_));
    ASSERT_EQ(init.exit_code, 0) << init.err;
  }
  static void TearDownTestSuite() { delete tmp_; }

  // A fresh copy of the pristine directory, broken by `damage`; `serve` on it must
  // exit 1 without serving, and its message must contain `expected`.
  static void ExpectRefusal(const std::string& name,
                            const std::function<void(const std::string&)>& damage,
                            const std::string& expected) {
    std::string dir = tmp_->path() + "/" + name;
    fs::copy(pristine_, dir, fs::copy_options::recursive);
    damage(dir);
    auto r = RunMedvault({"serve", "--data", dir, "--listen", "127.0.0.1:0"}, "", 60);
    EXPECT_EQ(r.exit_code, 1) << name << ": " << r.out << r.err;
    EXPECT_EQ(r.out.find("serving"), std::string::npos) << name << ": " << r.out;
    EXPECT_NE(r.err.find(expected), std::string::npos) << name << ": " << r.err;
  }

  static TempDir* tmp_;
  static std::string pristine_;
};
TempDir* StartupFaults::tmp_ = nullptr;
std::string StartupFaults::pristine_;

void Overwrite(const std::string& path, std::streamoff offset, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(offset);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST_F(StartupFaults, MissingKeyFilesStopIt) {
  for (const char* file : {"master.key", "signing.key", "tls/server.key"})
    ExpectRefusal(
        std::string("missing-") + fs::path(file).stem().string(),
        [&](const std::string& dir) { fs::remove(dir + "/" + file); },
        std::string(file) + " is missing");
}

// Regression: the TLS private key was loaded whatever its mode.
TEST_F(StartupFaults, KeyFilesOthersCanReadStopIt) {
  for (const char* file : {"master.key", "signing.key", "tls/server.key"})
    ExpectRefusal(
        std::string("loose-") + fs::path(file).stem().string(),
        [&](const std::string& dir) { ::chmod((dir + "/" + file).c_str(), 0644); },
        "(chmod 600 it)");
  ExpectRefusal(
      "group-tls-key",
      [](const std::string& dir) { ::chmod((dir + "/tls/server.key").c_str(), 0640); },
      "tls/server.key has mode 0640");
}

// Regression: with another directory's master key the server started, then failed every
// login and read.
TEST_F(StartupFaults, TheWrongMasterKeyStopsIt) {
  std::string other = tmp_->path() + "/other";
  ASSERT_EQ(RunMedvault(InitArgs(other)).exit_code, 0);
  ExpectRefusal(
      "wrong-key",
      [&](const std::string& dir) {
        fs::copy_file(other + "/master.key", dir + "/master.key",
                      fs::copy_options::overwrite_existing);
      },
      "the master key does not open this data directory's audit log");
}

// Regression: an empty medvault.db (a truncated copy, a restore onto a full disk) was
// taken for a new database: the server started over with no accounts and no records.
TEST_F(StartupFaults, AnEmptyDatabaseStopsItInsteadOfStartingOver) {
  if (OnPostgres()) GTEST_SKIP() << "SQLite's file (PostgreSQL: AnEmptyPostgresDatabase…)";
  ExpectRefusal(
      "empty-db", [](const std::string& dir) { fs::resize_file(dir + "/medvault.db", 0); },
      "is empty (0 bytes): restore it from a backup");
}

TEST_F(StartupFaults, AForeignOrDamagedDatabaseStopsIt) {
  if (OnPostgres()) GTEST_SKIP() << "damage to SQLite's file; PostgreSQL's files are its own";
  ExpectRefusal(
      "foreign-db",
      [](const std::string& dir) {
        std::ofstream(dir + "/medvault.db", std::ios::trunc) << std::string(8192, 'x');
      },
      "not a medvault database");
  ExpectRefusal(
      "truncated-db",
      [](const std::string& dir) {
        fs::resize_file(dir + "/medvault.db", fs::file_size(dir + "/medvault.db") / 2);
      },
      "is damaged");
  ExpectRefusal(
      "damaged-header", [](const std::string& dir) { Overwrite(dir + "/medvault.db", 100, "x"); },
      "is damaged");
  // Regression: pages that start-up does not read were found damaged only by the
  // requests that needed them (500s); quick_check at start reads every page.
  ExpectRefusal(
      "zeroed-pages",
      [](const std::string& dir) {
        Overwrite(dir + "/medvault.db", 10 * 4096, std::string(3 * 4096, '\0'));
      },
      "is damaged");
}

// The same on PostgreSQL: a data directory pointed at a database with nothing in it (a
// restore that did not happen, a typo in the URI's database name) must not start over.
TEST_F(StartupFaults, AnEmptyPostgresDatabaseStopsItInsteadOfStartingOver) {
  if (!OnPostgres()) GTEST_SKIP() << "PostgreSQL only (MEDVAULT_TEST_ENGINE=postgres)";
  std::string empty_uri;
  InitArgs(tmp_->path() + "/unused", &empty_uri);  // a new, empty database
  ASSERT_FALSE(empty_uri.empty());
  ExpectRefusal(
      "empty-pg",
      [&](const std::string& dir) {
        std::ifstream in(dir + "/medvault.toml");
        std::string toml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const std::string uri = PostgresUriOf(dir);
        toml.replace(toml.find(uri), uri.size(), empty_uri);
        std::ofstream(dir + "/medvault.toml", std::ios::trunc) << toml;
      },
      "the database has no medvault tables");
}

TEST_F(StartupFaults, ABadConfigurationStopsIt) {
  auto edit = [](const std::string& from, const std::string& to) {
    return [from, to](const std::string& dir) {
      std::string path = dir + "/medvault.toml";
      std::ifstream in(path);
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      size_t at = text.find(from);
      ASSERT_NE(at, std::string::npos) << from;
      std::ofstream(path, std::ios::trunc) << text.replace(at, from.size(), to);
    };
  };
  ExpectRefusal("threads-0", edit("threads = 2", "threads = 0"),
                "[server] threads must be an integer from 1 to 64");
  ExpectRefusal("threads-text", edit("threads = 2", "threads = \"two\""),
                "[server] threads must be an integer");
  ExpectRefusal("check-text", edit("check_at_start = true", "check_at_start = \"yes\""),
                "[storage] check_at_start must be true or false");
  ExpectRefusal("toml-syntax", edit("[server]", "[server"), "medvault.toml");
  ExpectRefusal("unknown-section", edit("[server]", "[serveur]\n[server]"), "serveur");
  ExpectRefusal(
      "missing-config", [](const std::string& dir) { fs::remove(dir + "/medvault.toml"); },
      "has no medvault.toml");
}

}  // namespace
}  // namespace medvault::testing
