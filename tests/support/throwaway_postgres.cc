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

bool ThrowawayPostgres::Start(std::string& error, const TlsListener* tls) {
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
  std::string options = "-c unix_socket_directories=" + dir_ +
                        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
  if (tls == nullptr) {
    options += " -c listen_addresses=''";
  } else if (!ListenWithTls(*tls, data, options, error)) {
    return false;
  }
  if (RunAsOwner(Bin("pg_ctl") + " -w -t 60 -D " + data + " -l " + dir_ + "/server.log -o \"" +
                 options + "\" start") != 0) {
    error = "pg_ctl could not start the test server (see " + dir_ + "/server.log)";
    return false;
  }
  return true;
}

// Copies the certificate and key into the cluster (the key must be the server's own,
// 0600), allows TCP connections over TLS only, and adds the settings to `options`.
bool ThrowawayPostgres::ListenWithTls(const TlsListener& tls, const std::string& data,
                                      std::string& options, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::copy_file(tls.certificate_file, data + "/tls.crt", fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::copy_file(tls.key_file, data + "/tls.key", fs::copy_options::overwrite_existing, ec);
  if (ec) {
    error = "cannot copy the test server's certificate and key: " + ec.message();
    return false;
  }
  std::ofstream(data + "/pg_hba.conf", std::ios::trunc)
      << "local all all trust\nhostssl all all 127.0.0.1/32 trust\n";
  if (::geteuid() == 0) {
    passwd* pw = ::getpwnam("postgres");
    for (const char* f : {"/tls.crt", "/tls.key", "/pg_hba.conf"})
      if (pw == nullptr || ::chown((data + f).c_str(), pw->pw_uid, pw->pw_gid) != 0) {
        error = "cannot give the TLS files to the postgres user";
        return false;
      }
  }
  ::chmod((data + "/tls.key").c_str(), 0600);
  port_ = tls.port;
  options += " -c listen_addresses=127.0.0.1 -c port=" + std::to_string(port_) +
             " -c ssl=on -c ssl_cert_file=tls.crt -c ssl_key_file=tls.key";
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
  return "postgresql://" + std::string(kSuperuser) + "@" + host + ":" + std::to_string(port_) +
         "/" + name;
}

std::string ThrowawayPostgres::CreateDatabase(const std::string& name, std::string& error) const {
  std::string command = Bin("createdb") + " -h " + dir_ + " -p " + std::to_string(port_) + " -U " +
                        kSuperuser + " -T template0 " + name + " >/dev/null 2>&1";
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
