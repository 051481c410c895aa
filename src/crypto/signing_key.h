// Ed25519 signing key of this server (signs audit tree heads). The 32-byte seed is
// kept in a 0600 key file; the public key is published beside it.
#pragma once

#include <array>
#include <span>
#include <string>

#include "common/result.h"
#include "crypto/secret.h"

namespace medvault::crypto {

using PublicKey = std::array<uint8_t, 32>;
using Signature = std::array<uint8_t, 64>;

class SigningKey {
 public:
  static SigningKey Generate();
  static SigningKey FromSeed(SecretKey seed);

  const PublicKey& public_key() const { return public_key_; }
  const SecretKey& seed() const { return seed_; }
  Signature Sign(std::span<const uint8_t> message) const;

 private:
  explicit SigningKey(SecretKey seed);
  SecretKey seed_;
  PublicKey public_key_{};
};

bool VerifySignature(const PublicKey& key, std::span<const uint8_t> message,
                     const Signature& signature);

// Writes the seed (0600) and the public key in hex (0644).
Status WriteSigningKey(const SigningKey& key, const std::string& seed_file,
                       const std::string& public_key_file);
Result<SigningKey> ReadSigningKey(const std::string& seed_file);

}  // namespace medvault::crypto
