#include "crypto/aead.h"

#include <sodium.h>

namespace medvault::crypto {

static_assert(kAeadOverhead == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES +
                                   crypto_aead_xchacha20poly1305_ietf_ABYTES);
static_assert(kKeyBytes == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

Bytes Seal(const SecretKey& key, std::span<const uint8_t> plaintext,
           std::string_view associated_data) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  Bytes out(kNonce + plaintext.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES);
  randombytes_buf(out.data(), kNonce);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      out.data() + kNonce, &written, plaintext.data(), plaintext.size(),
      reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
      nullptr, out.data(), key.data());
  out.resize(kNonce + written);
  return out;
}

Status OpenInto(const SecretKey& key, std::span<const uint8_t> sealed,
                std::string_view associated_data, Bytes& plaintext) {
  constexpr size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  if (sealed.size() < kAeadOverhead)
    return Fail(ErrorCode::kInternal, "integrity check failed: sealed data too short");
  plaintext.resize(sealed.size() - kAeadOverhead);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          plaintext.data(), &written, nullptr, sealed.data() + kNonce, sealed.size() - kNonce,
          reinterpret_cast<const unsigned char*>(associated_data.data()), associated_data.size(),
          sealed.data(), key.data()) != 0)
    return Fail(ErrorCode::kInternal, "integrity check failed");
  plaintext.resize(written);
  return Ok();
}

Result<Bytes> Open(const SecretKey& key, std::span<const uint8_t> sealed,
                   std::string_view associated_data) {
  Bytes out;
  TRY(OpenInto(key, sealed, associated_data, out));
  return out;
}

}  // namespace medvault::crypto
