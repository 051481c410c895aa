// Byte strings and their text forms.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace medvault::crypto {

using Bytes = std::vector<uint8_t>;

std::string ToHex(std::span<const uint8_t> bytes);
std::optional<Bytes> FromHex(std::string_view hex);

// URL-safe base64 without padding (tokens, identifiers in URLs).
std::string ToBase64Url(std::span<const uint8_t> bytes);
std::optional<Bytes> FromBase64Url(std::string_view text);

// Standard base64 with padding (PEM-like files, FHIR base64Binary).
std::string ToBase64(std::span<const uint8_t> bytes);
std::optional<Bytes> FromBase64(std::string_view text);

inline std::span<const uint8_t> AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsText(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace medvault::crypto
