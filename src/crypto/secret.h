// Key material. A SecretKey is wiped when it goes away and is never copied implicitly.
// Short-lived keys (a patient's data key, unwrapped for one request) live inline:
// allocating guarded pages per request costs mprotect calls and cross-core TLB
// shootdowns (measured: most of a read's CPU time). Long-lived keys (the master key and
// everything the Keyring derives from it) are moved into guarded memory with Guard():
// sodium_malloc pages that are mlock'ed (never swapped) and fenced by guard pages.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace medvault::crypto {

inline constexpr size_t kKeyBytes = 32;

class SecretKey {
 public:
  // A zeroed key.
  SecretKey() = default;
  ~SecretKey();
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  static SecretKey Random();
  static SecretKey FromBytes(std::span<const uint8_t> bytes);  // size must be kKeyBytes
  // The same key, moved into guarded, locked memory (for keys kept for the process's
  // lifetime).
  static SecretKey Guard(SecretKey key);

  const uint8_t* data() const { return guarded_ != nullptr ? guarded_ : inline_.data(); }
  uint8_t* mutable_data() { return guarded_ != nullptr ? guarded_ : inline_.data(); }
  static constexpr size_t size() { return kKeyBytes; }

 private:
  void Wipe();

  std::array<uint8_t, kKeyBytes> inline_{};
  uint8_t* guarded_ = nullptr;
};

// Calls sodium_init once; aborts if libsodium cannot initialize (nothing is safe then).
void EnsureSodium();

}  // namespace medvault::crypto
