#include "crypto/secret.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace medvault::crypto {

void EnsureSodium() {
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("medvault: libsodium failed to initialize\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

SecretKey::SecretKey() {
  EnsureSodium();
  data_ = static_cast<uint8_t*>(sodium_malloc(kKeyBytes));
  if (data_ == nullptr) {
    std::fputs("medvault: cannot allocate guarded memory for a key\n", stderr);
    std::abort();
  }
  sodium_memzero(data_, kKeyBytes);
}

SecretKey::~SecretKey() {
  if (data_ != nullptr) sodium_free(data_);  // sodium_free wipes before freeing
}

SecretKey::SecretKey(SecretKey&& other) noexcept : data_(std::exchange(other.data_, nullptr)) {}

SecretKey& SecretKey::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);
    data_ = std::exchange(other.data_, nullptr);
  }
  return *this;
}

SecretKey SecretKey::Random() {
  SecretKey key;
  randombytes_buf(key.data_, kKeyBytes);
  return key;
}

SecretKey SecretKey::FromBytes(std::span<const uint8_t> bytes) {
  if (bytes.size() != kKeyBytes) {
    std::fputs("medvault: SecretKey::FromBytes with a wrong size\n", stderr);
    std::abort();
  }
  SecretKey key;
  std::memcpy(key.data_, bytes.data(), kKeyBytes);
  return key;
}

}  // namespace medvault::crypto
