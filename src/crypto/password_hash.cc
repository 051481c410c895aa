#include "crypto/password_hash.h"

#include <sodium.h>

#include "crypto/encoding.h"
#include "crypto/secret.h"

namespace medvault::crypto {

Result<std::string> HashPassword(std::string_view password, const PasswordHashCost& cost) {
  EnsureSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.ops, cost.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Fail(ErrorCode::kUnavailable, "not enough memory to hash the password");
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  EnsureSodium();
  std::string hash(encoded_hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& DummyPasswordHash() {
  static const std::string hash = [] {
    SecretKey random = SecretKey::Random();
    return HashPassword(ToHex({random.data(), random.size()})).value();
  }();
  return hash;
}

}  // namespace medvault::crypto
