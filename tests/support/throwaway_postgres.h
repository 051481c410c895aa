// A throwaway PostgreSQL server for tests: a cluster made with initdb in a temporary
// directory, listening on a unix socket in that directory only (no TCP), with fsync off
// (tests only: a crash of the machine loses nothing a test needs). Run as root, the
// server runs as the `postgres` user (PostgreSQL refuses to run as root), which owns the
// directory. No system service is used. The binaries are Debian's postgresql-15.
#pragma once

#include <string>

namespace medvault::testing {

class ThrowawayPostgres {
 public:
  // With a TLS listener the cluster also listens on 127.0.0.1:port and takes TCP
  // connections only over TLS (pg_hba `hostssl`), with this certificate and key.
  struct TlsListener {
    int port = 0;
    std::string certificate_file;  // PEM
    std::string key_file;          // PEM
  };

  // Starts a new cluster. Returns false with `error` saying why (PostgreSQL missing: a
  // message naming the package to install).
  bool Start(std::string& error, const TlsListener* tls = nullptr);
  // Stops the server and removes the directory.
  void Stop();
  // Adopts a cluster started by another process (the CTest fixture) from its directory.
  void Adopt(const std::string& dir) { dir_ = dir; }
  const std::string& dir() const { return dir_; }

  // A new, empty database; returns its libpq connection string (or "" with `error`).
  std::string CreateDatabase(const std::string& name, std::string& error) const;
  // The connection string of database `name` (postgresql:// URI over the socket).
  std::string Uri(const std::string& name) const;
  // Its port (the socket's name ends with it).
  int port() const { return port_; }

  static constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";
  static constexpr const char* kSuperuser = "medvault";

 private:
  bool ListenWithTls(const TlsListener& tls, const std::string& data, std::string& options,
                     std::string& error);

  std::string dir_;  // holds data/ and the socket
  int port_ = 5432;
};

// The cluster the tests of this process share: the CTest fixture's when the file named
// by MEDVAULT_TEST_POSTGRES_DIRFILE holds its directory, else one started on first use and stopped
// at exit. Null with `error` when none can be had.
const ThrowawayPostgres* SharedPostgres(std::string& error);

}  // namespace medvault::testing
