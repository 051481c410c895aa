// Key material in guarded memory: allocated with sodium_malloc (guard pages, mlock'ed
// so it does not reach swap), wiped and freed on destruction, never copied implicitly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace medvault::crypto {

inline constexpr size_t kKeyBytes = 32;

class SecretKey {
 public:
  // A zeroed key of kKeyBytes.
  SecretKey();
  ~SecretKey();
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  static SecretKey Random();
  static SecretKey FromBytes(std::span<const uint8_t> bytes);  // size must be kKeyBytes

  const uint8_t* data() const { return data_; }
  uint8_t* mutable_data() { return data_; }
  static constexpr size_t size() { return kKeyBytes; }

 private:
  uint8_t* data_ = nullptr;
};

// Calls sodium_init once; aborts if libsodium cannot initialize (nothing is safe then).
void EnsureSodium();

}  // namespace medvault::crypto
