#include "throwaway_postgres.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>

namespace medvault::testing {
namespace {

bool Exists(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

// Runs `command` as the cluster's owner: `postgres` when we are root, ourselves else.
int RunAsOwner(const std::string& command) {
  std::string full = ::geteuid() == 0 ? "runuser -u postgres -- " + command : command;
  return std::system((full + " >/dev/null 2>&1").c_str());
}

std::string Bin(const char* name) { return std::string(ThrowawayPostgres::kBinDir) + "/" + name; }

}  // namespace

bool ThrowawayPostgres::Start(std::string& error) {
  if (!Exists(Bin("initdb")) || !Exists(Bin("pg_ctl"))) {
    error = std::string("PostgreSQL is not installed (no initdb in ") + kBinDir +
            "): run scripts/setup.sh, which installs the Debian package postgresql";
    return false;
  }
  char tmpl[] = "/tmp/medvault-pg-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) {
    error = "cannot create a temporary directory for PostgreSQL";
    return false;
  }
  dir_ = tmpl;
  if (::geteuid() == 0) {
    passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) {
      error = "no `postgres` user to run the test server as (install the postgresql package)";
      return false;
    }
    // /tmp is world-searchable; the directory becomes the server's own.
    if (::chown(dir_.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
      error = "cannot give " + dir_ + " to the postgres user";
      return false;
    }
  }
  ::chmod(dir_.c_str(), 0755);  // the socket must be reachable by the tests
  std::string data = dir_ + "/data";
  if (RunAsOwner(Bin("initdb") + " -D " + data + " -U " + kSuperuser +
                 " -A trust -E UTF8 --locale=C.UTF-8 --no-sync") != 0) {
    error = "initdb failed in " + dir_;
    return false;
  }
  std::string options = "-c listen_addresses='' -c unix_socket_directories=" + dir_ +
                        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  if (RunAsOwner(Bin("pg_ctl") + " -w -t 60 -D " + data + " -l " + dir_ + "/server.log -o \"" +
                 options + "\" start") != 0) {
    error = "pg_ctl could not start the test server (see " + dir_ + "/server.log)";
    return false;
  }
  return true;
}

void ThrowawayPostgres::Stop() {
  if (dir_.empty()) return;
  RunAsOwner(Bin("pg_ctl") + " -w -D " + dir_ + "/data -m immediate stop");
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
  dir_.clear();
}

std::string ThrowawayPostgres::Uri(const std::string& name) const {
  // A unix socket directory goes in the host parameter (percent-encoding of '/').
  std::string host;
  for (char c : dir_) host += c == '/' ? std::string("%2F") : std::string(1, c);
  return "postgresql://" + std::string(kSuperuser) + "@" + host + "/" + name;
}

std::string ThrowawayPostgres::CreateDatabase(const std::string& name, std::string& error) const {
  std::string command = Bin("createdb") + " -h " + dir_ + " -U " + kSuperuser + " -T template0 " +
                        name + " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0) {
    error = "createdb " + name + " failed on the test server in " + dir_;
    return "";
  }
  return Uri(name);
}

const ThrowawayPostgres* SharedPostgres(std::string& error) {
  static std::mutex mu;
  static std::unique_ptr<ThrowawayPostgres> shared;
  static std::string failure;
  std::lock_guard lock(mu);
  if (!shared && failure.empty()) {
    auto server = std::make_unique<ThrowawayPostgres>();
    std::string adopted;
    if (const char* file = std::getenv("MEDVAULT_TEST_POSTGRES_DIRFILE"); file != nullptr)
      std::ifstream(file) >> adopted;
    if (!adopted.empty()) {
      server->Adopt(adopted);
    } else if (server->Start(failure)) {
      // Stopped when the process exits (a crashed test leaves /tmp/medvault-pg-*).
      std::atexit([] {
        if (shared) shared->Stop();
      });
    }
    if (failure.empty()) shared = std::move(server);
  }
  error = failure;
  return shared.get();
}

}  // namespace medvault::testing
