#include "crypto/keyring.h"

#include <sodium.h>

#include <cstring>
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

const SecretKey& Keyring::Kek(int version) const { return keks_.at(version); }

std::pair<SecretKey, WrappedDataKey> Keyring::NewDataKey(DataKeyAccess,
                                                         std::string_view compartment) const {
  SecretKey dek = SecretKey::Random();
  WrappedDataKey wrapped{kek_version_, Seal(Kek(kek_version_), {dek.data(), dek.size()},
                                            WrapAssociatedData(compartment, kek_version_))};
  return {std::move(dek), std::move(wrapped)};
}

Result<SecretKey> Keyring::UnwrapDataKey(DataKeyAccess, std::string_view compartment,
                                         const WrappedDataKey& wrapped) const {
  if (!keks_.contains(wrapped.kek_version))
    return Fail(ErrorCode::kInternal, "data key wrapped with an unknown key version");
  ASSIGN_OR_RETURN(Bytes raw, Open(Kek(wrapped.kek_version), wrapped.sealed,
                                   WrapAssociatedData(compartment, wrapped.kek_version)));
  if (raw.size() != kKeyBytes) return Fail(ErrorCode::kInternal, "data key has a wrong size");
  SecretKey dek = SecretKey::FromBytes(raw);
  sodium_memzero(raw.data(), raw.size());
  return dek;
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
