// Rotated keys on disk, and how a keyring learns of them.
//
//   DIR/keys/                       0700
//     kek-<N>.key                   0600  key-encryption key version N (`keys rotate`)
//     blind-index-<N>.key           0600  blind-index key version N (`keys rotate-index`)
//
// Version 1 of each key is derived from the master key and has no file. Every version is
// a row of the database's key_versions table (where its key comes from, its fingerprint,
// its state); the files hold the keys. As MEDVAULT_MASTER_KEY replaces master.key, the
// environment variables MEDVAULT_KEK_<N> and MEDVAULT_BLIND_INDEX_<N> (64 hex digits)
// replace a key file.
#pragma once

#include <string>
#include <string_view>

#include "cli/data_dir.h"
#include "crypto/keyring.h"
#include "store/store.h"

namespace medvault::cli {

std::string KeysDir(const DataDir& dir);
std::string KeyFilePath(const DataDir& dir, std::string_view purpose, int version);

// Reads the key of a version from its file (or environment variable) and checks it
// against the fingerprint the database keeps.
Result<crypto::SecretKey> ReadVersionKey(const DataDir& dir, const store::KeyVersionRow& row);
// Writes a new version's key file (creating DIR/keys 0700), fsync'ed with its directory
// before it returns: the version is recorded in the database only once its key is on
// disk. A file left by a rotation that crashed before recording its version (no row
// names it) is removed first; a file of a recorded version is never overwritten.
Status WriteVersionKey(const DataDir& dir, store::Reader& reader, std::string_view purpose,
                       int version, const crypto::SecretKey& key);
// fsync of a directory, so that a file created, renamed or removed in it survives a crash.
Status SyncDirectory(const std::string& path);

// Overwrites a retired version's key file with zeros, then removes it. Missing: done.
Status DestroyVersionKey(const DataDir& dir, std::string_view purpose, int version);

// The keyring's view of versions added while it runs: a server follows a rotation made by
// `medvault keys rotate` in another process through this.
class KeyFiles final : public crypto::KekSource {
 public:
  // `configured_kek_version`: medvault.toml's [keys] kek_version, the derived versions
  // 1..N of data directories made before versions were recorded.
  KeyFiles(DataDir dir, store::Store& store, int configured_kek_version)
      : dir_(std::move(dir)), store_(store), configured_(configured_kek_version) {}

  Result<std::optional<crypto::SecretKey>> KekOf(int version) const override;
  Result<int> CurrentKekVersion() const override;

 private:
  DataDir dir_;
  store::Store& store_;
  int configured_;
};

// Gives `keyring` every active KEK version and the blind-index key the database names,
// and makes the newest KEK version current.
Status LoadKeyVersions(const DataDir& dir, store::Store& store, int configured_kek_version,
                       crypto::Keyring& keyring);

// The newest version of `purpose` in `rows` (retired ones included), at least `floor`.
int NewestVersion(const std::vector<store::KeyVersionRow>& rows, std::string_view purpose,
                  int floor = 0);

}  // namespace medvault::cli
