#include "identity/password_policy.h"

#include <array>
#include <cstdint>
#include <string>

#include "common/random.h"

namespace medvault::identity {
namespace {

// Counts code points; returns SIZE_MAX on invalid UTF-8.
size_t CountCodePoints(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<uint8_t>(s[i]);
    size_t len = b < 0x80             ? 1
                 : (b & 0xE0) == 0xC0 ? 2
                 : (b & 0xF0) == 0xE0 ? 3
                 : (b & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (len == 0 || (len == 2 && b < 0xC2) || i + len > s.size()) return SIZE_MAX;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<uint8_t>(s[i + k]) & 0xC0) != 0x80) return SIZE_MAX;
    i += len;
    ++count;
  }
  return count;
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password) {
  size_t chars = CountCodePoints(password);
  if (chars == SIZE_MAX) return Fail(ErrorCode::kInvalid, "the password is not valid UTF-8 text");
  if (chars < kMinPasswordChars)
    return Fail(ErrorCode::kInvalid, "the password must have at least 12 characters");
  if (chars > kMaxPasswordChars)
    return Fail(ErrorCode::kInvalid, "the password must have at most 128 characters");
  for (char c : password)
    if (static_cast<uint8_t>(c) < 0x20 || c == 0x7f)
      return Fail(ErrorCode::kInvalid, "the password must not contain control characters");
  return Ok();
}

std::string GeneratePassword() {
  // 20 characters from a 56-symbol alphabet without look-alikes: ~116 bits.
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  while (out.size() < 20) {
    std::array<uint8_t, 32> bytes;
    FillRandom(bytes);
    for (uint8_t b : bytes) {
      // Reject values that would bias the modulo.
      if (b >= 256 - 256 % kAlphabet.size()) continue;
      out.push_back(kAlphabet[b % kAlphabet.size()]);
      if (out.size() == 20) break;
    }
  }
  return out;
}

}  // namespace medvault::identity
