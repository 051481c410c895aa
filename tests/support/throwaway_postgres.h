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
  // Starts a new cluster. Returns false with `error` saying why (PostgreSQL missing: a
  // message naming the package to install).
  bool Start(std::string& error);
  // Stops the server and removes the directory.
  void Stop();
  // Adopts a cluster started by another process (the CTest fixture) from its directory.
  void Adopt(const std::string& dir) { dir_ = dir; }
  const std::string& dir() const { return dir_; }

  // A new, empty database; returns its libpq connection string (or "" with `error`).
  std::string CreateDatabase(const std::string& name, std::string& error) const;
  // The connection string of database `name` (postgresql:// URI over the socket).
  std::string Uri(const std::string& name) const;

  static constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";
  static constexpr const char* kSuperuser = "medvault";

 private:
  std::string dir_;  // holds data/ and the socket
};

// The cluster the tests of this process share: the CTest fixture's when the file named
// by MEDVAULT_TEST_POSTGRES_DIRFILE holds its directory, else one started on first use and stopped
// at exit. Null with `error` when none can be had.
const ThrowawayPostgres* SharedPostgres(std::string& error);

}  // namespace medvault::testing
