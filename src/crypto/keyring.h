// The keyring: every key medvault uses at rest, derived from one master key.
//
//   master key ──KDF──► KEK v1, v2, …   wraps each compartment's data key (DEK)
//              ──KDF──► blind-index key  keyed hashes of normalized search values
//              ──KDF──► session key      keyed hashes of session tokens
//              ──KDF──► audit key        seals audit entry bodies
//
// Rotation adds key-encryption keys that are not derived: random keys kept in key files
// of their own (`medvault keys rotate`), so that retiring a version and destroying its
// file makes every copy of a key it wrapped (backups included) useless even to whoever
// holds the master key. A rotated blind-index key is such a random key as well. The
// keyring holds any number of KEK versions at once: data keys wrapped under an older
// version stay readable while they are re-wrapped under the newer one.
//
// A compartment is one patient (every resource of that patient is sealed with the
// patient's DEK) or the shared directory of practitioners and organizations. Erasing a
// patient's wrapped DEK makes every copy of that patient's ciphertext noise.
//
// Data keys can only be obtained with a DataKeyAccess, which only the access module's
// RecordVault can construct: the one place that decrypts patient data, and only for an
// allowing AccessDecision.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string_view>

#include "common/result.h"
#include "crypto/encoding.h"
#include "crypto/secret.h"

namespace medvault::access {
class RecordVault;
}

namespace medvault::crypto {

// Pass-key: proof that the caller is the RecordVault.
class DataKeyAccess {
  friend class medvault::access::RecordVault;
  friend class Keyring;  // re-wraps without handing the key out
  DataKeyAccess() = default;

 public:
  DataKeyAccess(const DataKeyAccess&) = default;
};

struct WrappedDataKey {
  int kek_version = 0;
  Bytes sealed;  // the DEK sealed under KEK `kek_version`, bound to its compartment
};

// Where a running keyring finds key-encryption keys it does not hold yet, and which
// version new data keys are to be wrapped with: another process (`medvault keys rotate`)
// may add a version while a server runs. Implemented over the key files and the
// database's key_versions table (cli/key_files.h).
class KekSource {
 public:
  virtual ~KekSource() = default;
  // The key of `version`: a random key from its key file, or nullopt when the version is
  // derived from the master key. Fails when the version is unknown or retired, or its
  // file is missing or holds another key.
  virtual Result<std::optional<SecretKey>> KekOf(int version) const = 0;
  // The newest active version: the one new data keys must be wrapped with.
  virtual Result<int> CurrentKekVersion() const = 0;
};

// A key's fingerprint: a keyed hash that names the key without revealing it (stored
// beside a key version, to recognize its key file).
using KeyFingerprint = std::array<uint8_t, 32>;
KeyFingerprint FingerprintOf(const SecretKey& key);

class Keyring {
 public:
  // `kek_version` is the version new data keys are wrapped with; every version from 1
  // up to it can unwrap.
  explicit Keyring(SecretKey master, int kek_version = 1);

  // The version new data keys are wrapped with.
  int kek_version() const { return kek_version_.load(std::memory_order_acquire); }

  // Adds KEK `version`: `file_key` when it has its own key file, derived from the master
  // key when nullopt. Adding a version already held changes nothing.
  void AddKek(int version, std::optional<SecretKey> file_key);
  bool HasKek(int version) const;
  // Makes `version` (which must be held) the one new data keys are wrapped with.
  Status SetKekVersion(int version);
  // From now on, unwrapping a data key of a version not held asks `source` for it, and
  // wrapping a new one first asks, at most once per `refresh`, which version is current.
  // `source` must outlive the keyring. Call before the keyring is shared.
  void Follow(const KekSource* source,
              std::chrono::milliseconds refresh = std::chrono::milliseconds(1000));
  // Fingerprint of KEK `version` (held or obtainable from the source).
  Result<KeyFingerprint> KekFingerprint(int version) const;

  // The same data key wrapped under KEK `to_version`, without handing the key out:
  // what a rotation stores in place of `wrapped`. Fails as UnwrapDataKey does.
  Result<WrappedDataKey> RewrapDataKey(std::string_view compartment, const WrappedDataKey& wrapped,
                                       int to_version) const;

  // Replaces the blind-index key with a random one from its key file (a rotated
  // blind-index key; the derived one serves until then). Call before the keyring is
  // shared.
  void UseBlindIndexKey(SecretKey key);

  // A fresh random data key for `compartment`, and its wrapped form to store.
  std::pair<SecretKey, WrappedDataKey> NewDataKey(DataKeyAccess,
                                                  std::string_view compartment) const;

  // Unwraps a stored data key. Fails when the KEK version is unknown or the wrapped
  // key does not belong to `compartment` (swapped rows are detected).
  Result<SecretKey> UnwrapDataKey(DataKeyAccess, std::string_view compartment,
                                  const WrappedDataKey& wrapped) const;

  // Blind index of `value` for search parameter `scope` (e.g. "Patient.family"): the
  // first 8 bytes of a keyed BLAKE2b hash. 64 bits make accidental collisions
  // negligible at any realistic size; candidates are checked after decryption anyway.
  int64_t BlindIndex(std::string_view scope, std::string_view value) const;

  // Keyed hash of a session token: the database stores this, never the token.
  std::array<uint8_t, 32> HashToken(std::string_view token) const;

  // An account's authentication secret (its TOTP key) sealed for the database, bound to
  // the account and the purpose (`purpose`, e.g. "totp"): a sealed secret copied to
  // another account's row does not open.
  Bytes SealAccountSecret(std::string_view account_id, std::string_view purpose,
                          std::span<const uint8_t> secret) const;
  Result<Bytes> OpenAccountSecret(std::string_view account_id, std::string_view purpose,
                                  std::span<const uint8_t> sealed) const;

  const SecretKey& audit_key() const { return audit_key_; }

 private:
  // The KEK of `version`, loaded from the source when it is not held yet.
  Result<const SecretKey*> Kek(int version) const;
  // Asks the source which version is current, at most once per refresh interval.
  void RefreshCurrentVersion() const;

  SecretKey master_;
  mutable std::atomic<int> kek_version_;
  mutable std::shared_mutex keks_mu_;
  // Under keks_mu_. Entries are only ever added, so a reference to a key stays valid.
  mutable std::map<int, SecretKey> keks_;
  const KekSource* source_ = nullptr;
  std::chrono::milliseconds refresh_{1000};
  mutable std::atomic<int64_t> next_refresh_ns_{0};  // steady clock
  SecretKey blind_index_key_;
  SecretKey session_key_;
  SecretKey audit_key_;
  SecretKey account_secret_key_;
};

}  // namespace medvault::crypto
