#include "crypto/keyring.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>

#include "crypto/aead.h"

namespace medvault::crypto {
namespace {

// crypto_kdf contexts are exactly 8 bytes; each purpose has its own.
constexpr char kKekContext[] = "mvkek___";
constexpr char kBlindIndexContext[] = "mvblind_";
constexpr char kSessionContext[] = "mvsessn_";
constexpr char kAuditContext[] = "mvaudit_";
constexpr char kAccountSecretContext[] = "mvacctsc";

// Derived keys live as long as the Keyring: they go to guarded memory.
SecretKey Derive(const SecretKey& master, uint64_t id, const char (&context)[9]) {
  SecretKey out;
  crypto_kdf_derive_from_key(out.mutable_data(), out.size(), id, context, master.data());
  return SecretKey::Guard(std::move(out));
}

std::string AccountSecretAssociatedData(std::string_view account_id, std::string_view purpose) {
  return "medvault/account-secret/v1|" + std::string(purpose) + "|" + std::string(account_id);
}

std::string WrapAssociatedData(std::string_view compartment, int kek_version) {
  return "medvault/dek/v1|" + std::string(compartment) + "|" + std::to_string(kek_version);
}

}  // namespace

KeyFingerprint FingerprintOf(const SecretKey& key) {
  static constexpr std::string_view kLabel = "medvault/key-fingerprint/v1";
  KeyFingerprint out;
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(kLabel.data()),
                     kLabel.size(), key.data(), key.size());
  return out;
}

Keyring::Keyring(SecretKey master, int kek_version)
    : master_(SecretKey::Guard(std::move(master))),
      kek_version_(kek_version),
      blind_index_key_(Derive(master_, 1, kBlindIndexContext)),
      session_key_(Derive(master_, 1, kSessionContext)),
      audit_key_(Derive(master_, 1, kAuditContext)),
      account_secret_key_(Derive(master_, 1, kAccountSecretContext)) {
  for (int v = 1; v <= kek_version_; ++v)
    keks_.emplace(v, Derive(master_, static_cast<uint64_t>(v), kKekContext));
}

void Keyring::AddKek(int version, std::optional<SecretKey> file_key) {
  SecretKey key = file_key ? SecretKey::Guard(std::move(*file_key))
                           : Derive(master_, static_cast<uint64_t>(version), kKekContext);
  std::unique_lock lock(keks_mu_);
  keks_.try_emplace(version, std::move(key));
}

bool Keyring::HasKek(int version) const {
  std::shared_lock lock(keks_mu_);
  return keks_.contains(version);
}

Status Keyring::SetKekVersion(int version) {
  if (!HasKek(version))
    return Fail(ErrorCode::kInternal,
                "key-encryption key version " + std::to_string(version) + " is not loaded");
  kek_version_.store(version, std::memory_order_release);
  return Ok();
}

void Keyring::Follow(const KekSource* source, std::chrono::milliseconds refresh) {
  source_ = source;
  refresh_ = refresh;
}

Result<const SecretKey*> Keyring::Kek(int version) const {
  {
    std::shared_lock lock(keks_mu_);
    if (auto it = keks_.find(version); it != keks_.end()) return &it->second;
  }
  if (source_ == nullptr || version < 1)
    return Fail(ErrorCode::kInternal, "data key wrapped with an unknown key version");
  // Another process rotated the keys: load the new version (outside the lock: it reads
  // a file and the database), then keep it.
  ASSIGN_OR_RETURN(std::optional<SecretKey> file_key, source_->KekOf(version));
  SecretKey key = file_key ? SecretKey::Guard(std::move(*file_key))
                           : Derive(master_, static_cast<uint64_t>(version), kKekContext);
  std::unique_lock lock(keks_mu_);
  return &keks_.try_emplace(version, std::move(key)).first->second;
}

void Keyring::RefreshCurrentVersion() const {
  if (source_ == nullptr) return;
  const int64_t now = std::chrono::steady_clock::now().time_since_epoch().count();
  int64_t due = next_refresh_ns_.load(std::memory_order_relaxed);
  if (now < due) return;
  // One thread refreshes; the others go on with the version they know (still valid).
  const int64_t next = now + std::chrono::nanoseconds(refresh_).count();
  if (!next_refresh_ns_.compare_exchange_strong(due, next)) return;
  auto current = source_->CurrentKekVersion();
  if (!current || *current <= kek_version()) return;
  // Held, or loadable; otherwise keep wrapping under the version in use, which stays
  // readable (the rotation that added the new one waits for servers to adopt it).
  if (Kek(*current)) kek_version_.store(*current, std::memory_order_release);
}

std::pair<SecretKey, WrappedDataKey> Keyring::NewDataKey(DataKeyAccess,
                                                         std::string_view compartment) const {
  RefreshCurrentVersion();
  const int version = kek_version();
  auto kek = Kek(version);
  // The current version is held by construction (SetKekVersion, the refresh above).
  if (!kek) std::abort();
  SecretKey dek = SecretKey::Random();
  WrappedDataKey wrapped{
      version, Seal(**kek, {dek.data(), dek.size()}, WrapAssociatedData(compartment, version))};
  return {std::move(dek), std::move(wrapped)};
}

Result<SecretKey> Keyring::UnwrapDataKey(DataKeyAccess, std::string_view compartment,
                                         const WrappedDataKey& wrapped) const {
  ASSIGN_OR_RETURN(const SecretKey* kek, Kek(wrapped.kek_version));
  ASSIGN_OR_RETURN(
      Bytes raw, Open(*kek, wrapped.sealed, WrapAssociatedData(compartment, wrapped.kek_version)));
  if (raw.size() != kKeyBytes) return Fail(ErrorCode::kInternal, "data key has a wrong size");
  SecretKey dek = SecretKey::FromBytes(raw);
  sodium_memzero(raw.data(), raw.size());
  return dek;
}

Result<WrappedDataKey> Keyring::RewrapDataKey(std::string_view compartment,
                                              const WrappedDataKey& wrapped, int to_version) const {
  ASSIGN_OR_RETURN(SecretKey dek, UnwrapDataKey(DataKeyAccess(), compartment, wrapped));
  ASSIGN_OR_RETURN(const SecretKey* kek, Kek(to_version));
  return WrappedDataKey{to_version, Seal(*kek, {dek.data(), dek.size()},
                                         WrapAssociatedData(compartment, to_version))};
}

Result<KeyFingerprint> Keyring::KekFingerprint(int version) const {
  ASSIGN_OR_RETURN(const SecretKey* kek, Kek(version));
  return FingerprintOf(*kek);
}

void Keyring::UseBlindIndexKey(SecretKey key) {
  blind_index_key_ = SecretKey::Guard(std::move(key));
}

int64_t Keyring::BlindIndex(std::string_view scope, std::string_view value) const {
  crypto_generichash_state state;
  crypto_generichash_init(&state, blind_index_key_.data(), blind_index_key_.size(), 8);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(scope.data()),
                            scope.size());
  const unsigned char separator = 0;  // scope and value cannot run into each other
  crypto_generichash_update(&state, &separator, 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(value.data()),
                            value.size());
  unsigned char out[8];
  crypto_generichash_final(&state, out, sizeof out);
  int64_t result;
  std::memcpy(&result, out, sizeof result);
  return result;
}

std::array<uint8_t, 32> Keyring::HashToken(std::string_view token) const {
  std::array<uint8_t, 32> out;
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), session_key_.data(), session_key_.size());
  return out;
}

}  // namespace medvault::crypto

namespace medvault::crypto {

Bytes Keyring::SealAccountSecret(std::string_view account_id, std::string_view purpose,
                                 std::span<const uint8_t> secret) const {
  return Seal(account_secret_key_, secret, AccountSecretAssociatedData(account_id, purpose));
}

Result<Bytes> Keyring::OpenAccountSecret(std::string_view account_id, std::string_view purpose,
                                         std::span<const uint8_t> sealed) const {
  return Open(account_secret_key_, sealed, AccountSecretAssociatedData(account_id, purpose));
}

}  // namespace medvault::crypto
