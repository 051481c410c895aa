// An implementation of TOTP (RFC 6238 over RFC 4226) that shares no code with
// identity/totp.cc: HMAC-SHA1 from OpenSSL, the truncation and base32 written out here.
// Tests compute expected codes with it, so a mistake in medvault's use of liboath cannot
// hide behind the same mistake in the check. Targets that include it link
// OpenSSL::Crypto.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace medvault::testing {

// The RFC 4226 HOTP value of `counter`, as `digits` decimal digits.
inline std::string ReferenceHotp(std::span<const uint8_t> secret, uint64_t counter,
                                 int digits = 6) {
  std::array<uint8_t, 8> message{};
  for (int i = 7; i >= 0; --i) {
    message[static_cast<size_t>(i)] = static_cast<uint8_t>(counter & 0xFF);
    counter >>= 8;
  }
  std::array<uint8_t, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_size = 0;
  if (HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()), message.data(),
           message.size(), mac.data(), &mac_size) == nullptr ||
      mac_size != 20)
    throw std::runtime_error("HMAC-SHA1 failed");
  // Dynamic truncation (RFC 4226 section 5.3): the low nibble of the last byte picks
  // four bytes, of which the top bit is dropped.
  size_t offset = mac[19] & 0x0F;
  uint32_t binary = (static_cast<uint32_t>(mac[offset] & 0x7F) << 24) |
                    (static_cast<uint32_t>(mac[offset + 1]) << 16) |
                    (static_cast<uint32_t>(mac[offset + 2]) << 8) |
                    static_cast<uint32_t>(mac[offset + 3]);
  uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  return std::string(static_cast<size_t>(digits) - code.size(), '0') + code;
}

// The RFC 6238 code (SHA-1, 30-second steps from the Unix epoch) of a time at or after
// 1970.
inline std::string ReferenceTotp(std::span<const uint8_t> secret, int64_t unix_seconds,
                                 int digits = 6) {
  return ReferenceHotp(secret, static_cast<uint64_t>(unix_seconds / 30), digits);
}

// RFC 4648 base32 (upper or lower case, '=' padding and spaces skipped). Throws on
// other characters: test input is supposed to be well-formed.
inline std::vector<uint8_t> ReferenceBase32Decode(std::string_view text) {
  std::vector<uint8_t> out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == ' ') continue;
    uint32_t value = 0;
    if (c >= 'A' && c <= 'Z') {
      value = static_cast<uint32_t>(c - 'A');
    } else if (c >= 'a' && c <= 'z') {
      value = static_cast<uint32_t>(c - 'a');
    } else if (c >= '2' && c <= '7') {
      value = static_cast<uint32_t>(c - '2' + 26);
    } else {
      throw std::invalid_argument("not a base32 character");
    }
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(buffer >> bits));
    }
  }
  return out;
}

}  // namespace medvault::testing
