// The keyring: every key medvault uses at rest, derived from one master key.
//
//   master key ──KDF──► KEK v1, v2, …   wraps each compartment's data key (DEK)
//              ──KDF──► blind-index key  keyed hashes of normalized search values
//              ──KDF──► session key      keyed hashes of session tokens
//              ──KDF──► audit key        seals audit entry bodies
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
#include <cstdint>
#include <map>
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
  DataKeyAccess() = default;

 public:
  DataKeyAccess(const DataKeyAccess&) = default;
};

struct WrappedDataKey {
  int kek_version = 0;
  Bytes sealed;  // the DEK sealed under KEK `kek_version`, bound to its compartment
};

class Keyring {
 public:
  // `kek_version` is the version new data keys are wrapped with; every version from 1
  // up to it can unwrap.
  explicit Keyring(SecretKey master, int kek_version = 1);

  int kek_version() const { return kek_version_; }

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
  const SecretKey& Kek(int version) const;

  SecretKey master_;
  int kek_version_;
  std::map<int, SecretKey> keks_;
  SecretKey blind_index_key_;
  SecretKey session_key_;
  SecretKey audit_key_;
  SecretKey account_secret_key_;
};

}  // namespace medvault::crypto
