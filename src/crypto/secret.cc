#include "crypto/secret.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace medvault::crypto {

void EnsureSodium() {
  static const bool ready = [] {
    // libsodium's default generator makes a getrandom call for every request for
    // bytes (each nonce, each key). Its internal generator is a ChaCha20 stream keyed
    // from getrandom and rekeyed regularly (and after fork): the same strength, without
    // a system call per nonce on the request path.
    randombytes_set_implementation(&randombytes_internal_implementation);
    if (sodium_init() < 0) {
      std::fputs("medvault: libsodium failed to initialize\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

void SecretKey::Wipe() {
  sodium_memzero(inline_.data(), inline_.size());
  if (guarded_ != nullptr) sodium_free(guarded_);  // sodium_free wipes before freeing
  guarded_ = nullptr;
}

SecretKey::~SecretKey() { Wipe(); }

SecretKey::SecretKey(SecretKey&& other) noexcept
    : inline_(other.inline_), guarded_(std::exchange(other.guarded_, nullptr)) {
  sodium_memzero(other.inline_.data(), other.inline_.size());
}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    Wipe();
    inline_ = other.inline_;
    guarded_ = std::exchange(other.guarded_, nullptr);
    sodium_memzero(other.inline_.data(), other.inline_.size());
  }
  return *this;
}

SecretKey SecretKey::Random() {
  EnsureSodium();
  SecretKey key;
  randombytes_buf(key.inline_.data(), kKeyBytes);
  return key;
}

SecretKey SecretKey::FromBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kKeyBytes) {
    std::fputs("medvault: SecretKey::FromBytes with a wrong size\n", stderr);
    std::abort();
  }
  SecretKey key;
  std::memcpy(key.inline_.data(), bytes.data(), kKeyBytes);
  return key;
}

SecretKey SecretKey::Guard(SecretKey key) {
  EnsureSodium();
  if (key.guarded_ != nullptr) return key;
  auto* guarded = static_cast<uint8_t*>(sodium_malloc(kKeyBytes));
  if (guarded == nullptr) {
    std::fputs("medvault: cannot allocate guarded memory for a key\n", stderr);
    std::abort();
  }
  std::memcpy(guarded, key.inline_.data(), kKeyBytes);
  sodium_memzero(key.inline_.data(), kKeyBytes);
  key.guarded_ = guarded;
  return key;
}

}  // namespace medvault::crypto
