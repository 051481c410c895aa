#include "crypto/encoding.h"

#include <sodium.h>

#include "crypto/secret.h"

namespace medvault::crypto {
namespace {

std::string Encode(std::span<const uint8_t> bytes, int variant) {
  EnsureSodium();
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), variant);
  out.resize(out.size() - 1);  // drop the terminating NUL
  return out;
}

std::optional<Bytes> Decode(std::string_view text, int variant) {
  EnsureSodium();
  Bytes out(text.size() * 3 / 4 + 3);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), nullptr, &len, &end,
                        variant) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace

std::string ToHex(std::span<const uint8_t> bytes) {
  EnsureSodium();
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes.data(), bytes.size());
  out.pop_back();
  return out;
}

std::optional<Bytes> FromHex(std::string_view hex) {
  EnsureSodium();
  if (hex.size() % 2 != 0) return std::nullopt;
  if (hex.empty()) return Bytes{};  // libsodium must not be handed a null output buffer
  Bytes out(hex.size() / 2);
  size_t len = 0;
  const char* end = nullptr;
  if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, &len, &end) != 0 ||
      end != hex.data() + hex.size() || len != out.size())
    return std::nullopt;
  return out;
}

std::string ToBase64Url(std::span<const uint8_t> bytes) {
  return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
std::optional<Bytes> FromBase64Url(std::string_view text) {
  return Decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
std::string ToBase64(std::span<const uint8_t> bytes) {
  return Encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}
std::optional<Bytes> FromBase64(std::string_view text) {
  return Decode(text, sodium_base64_VARIANT_ORIGINAL);
}

}  // namespace medvault::crypto
