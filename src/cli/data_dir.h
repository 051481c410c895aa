// The data directory: everything one medvault server owns.
//
//   DIR/                 0700
//     medvault.toml      settings
//     master.key         0600  master key (or MEDVAULT_MASTER_KEY in the environment)
//     signing.key        0600  Ed25519 seed; signing.pub beside it
//     tls/server.crt     self-signed until the operator replaces it
//     tls/server.key     0600
//     medvault.db        SQLite database (+ -wal, -shm): ciphertext only
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "store/store.h"

namespace medvault::cli {

struct DataDir {
  std::string root;

  std::string config() const { return root + "/medvault.toml"; }
  std::string master_key() const { return root + "/master.key"; }
  std::string signing_key() const { return root + "/signing.key"; }
  std::string signing_public_key() const { return root + "/signing.pub"; }
  std::string tls_dir() const { return root + "/tls"; }
  std::string certificate() const { return root + "/tls/server.crt"; }
  std::string private_key() const { return root + "/tls/server.key"; }
  std::string database(const std::string& configured) const { return File(configured); }
  // A file named in the config: as it is when absolute, in DIR otherwise.
  std::string File(const std::string& configured) const;
};

// Creates DIR with its keys, certificate, config and migrated database, and the
// directory compartment. Refuses (kConflict) when DIR exists and is not empty; on any
// failure removes what it created. `database` is what [storage] database will say:
// empty for the SQLite file in DIR, or a postgresql:// URI (the database is the
// server's, created by its operator; medvault creates its tables in it).
Status InitializeDataDir(const DataDir& dir, const std::string& database = "");

// Opens the store [storage] database names: a SQLite file (relative to DIR) or a
// PostgreSQL server (postgresql:// URI). `create`: init, which makes the tables.
Result<std::unique_ptr<store::Store>> OpenConfiguredStore(const DataDir& dir,
                                                          const std::string& database, bool create,
                                                          const store::StoreOptions& options = {});

// Checks that DIR looks like a data directory (exists, has a config and a database).
Status CheckDataDir(const DataDir& dir);

}  // namespace medvault::cli
