// Authenticated encryption: XChaCha20-Poly1305 (IETF) with a random 192-bit nonce per
// message, so nonces never need coordination across threads, nodes or restarts.
// A sealed blob is nonce ‖ ciphertext ‖ tag.
#pragma once

#include <span>
#include <string_view>

#include "common/result.h"
#include "crypto/encoding.h"
#include "crypto/secret.h"

namespace medvault::crypto {

inline constexpr size_t kAeadOverhead = 24 + 16;

// Encrypts `plaintext`; `associated_data` is authenticated but not stored: the same
// bytes must be given to Open, which is how a ciphertext is bound to its place.
Bytes Seal(const SecretKey& key, std::span<const uint8_t> plaintext,
           std::string_view associated_data);

// Decrypts a blob from Seal. Fails (kInternal, "integrity check failed") when the
// blob, the key or the associated data do not match.
Result<Bytes> Open(const SecretKey& key, std::span<const uint8_t> sealed,
                   std::string_view associated_data);
// The same into `plaintext`, whose memory is reused: for loops over many blobs.
Status OpenInto(const SecretKey& key, std::span<const uint8_t> sealed,
                std::string_view associated_data, Bytes& plaintext);

}  // namespace medvault::crypto
