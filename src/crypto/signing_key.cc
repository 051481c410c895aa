#include "crypto/signing_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <unistd.h>

#include "crypto/encoding.h"
#include "crypto/key_file.h"

namespace medvault::crypto {

SigningKey::SigningKey(SecretKey seed) : seed_(SecretKey::Guard(std::move(seed))) {
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  crypto_sign_seed_keypair(public_key_.data(), secret, seed_.data());
  sodium_memzero(secret, sizeof secret);
}

SigningKey SigningKey::Generate() { return SigningKey(SecretKey::Random()); }
SigningKey SigningKey::FromSeed(SecretKey seed) { return SigningKey(std::move(seed)); }

Signature SigningKey::Sign(std::span<const uint8_t> message) const {
  unsigned char secret[crypto_sign_SECRETKEYBYTES];
  PublicKey ignored;
  crypto_sign_seed_keypair(ignored.data(), secret, seed_.data());
  Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret);
  sodium_memzero(secret, sizeof secret);
  return sig;
}

bool VerifySignature(const PublicKey& key, std::span<const uint8_t> message,
                     const Signature& signature) {
  EnsureSodium();
  return crypto_sign_verify_detached(signature.data(), message.data(), message.size(),
                                     key.data()) == 0;
}

Status WriteSigningKey(const SigningKey& key, const std::string& seed_file,
                       const std::string& public_key_file) {
  TRY(WriteKeyFile(seed_file, kSigningKeyLabel, key.seed()));
  int fd = ::open(public_key_file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot create " + public_key_file);
  std::string text = ToHex(key.public_key()) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cannot write " + public_key_file);
  return Ok();
}

Result<SigningKey> ReadSigningKey(const std::string& seed_file) {
  ASSIGN_OR_RETURN(SecretKey seed, ReadKeyFile(seed_file, kSigningKeyLabel));
  return SigningKey::FromSeed(std::move(seed));
}

}  // namespace medvault::crypto
