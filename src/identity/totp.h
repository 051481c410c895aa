// Time-based one-time passwords (RFC 6238, HMAC-SHA1, 30-second steps) for the second
// factor, and the otpauth:// URI that enrols a secret in an authenticator app. The
// HOTP arithmetic is liboath's; this file fixes the parameters and the encodings.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace medvault::identity {

inline constexpr int kTotpDigits = 6;
inline constexpr int kTotpStepSeconds = 30;
inline constexpr size_t kTotpSecretBytes = 20;
// Each step of the window is one more code an attacker may hit; five minutes either way
// is already far more drift than a phone's clock has.
inline constexpr int kMaxTotpWindow = 10;

// 20 random bytes (160 bits, RFC 4226's recommendation), from the kernel's CSPRNG.
std::vector<uint8_t> NewTotpSecret();

// RFC 4648 base32, upper case, no padding (what authenticator apps expect in otpauth
// URIs).
std::string ToBase32(std::span<const uint8_t> bytes);

// Accepts upper and lower case, ignores spaces and trailing '=' padding. nullopt on any
// other character, on a length no whole number of bytes encodes, and on non-zero
// leftover bits (only the canonical encoding of each byte string is accepted).
std::optional<std::vector<uint8_t>> FromBase32(std::string_view text);

// The TOTP step number of a time: floor(unix_seconds / 30).
int64_t TotpStep(int64_t unix_seconds);

// The code for a time (the demo and tests use it). `digits` is 6..8. kInvalid for an
// empty secret, a time before 1970 or an unsupported number of digits.
Result<std::string> TotpCode(std::span<const uint8_t> secret, int64_t unix_seconds,
                             int digits = kTotpDigits);

// Checks `code` against the steps of now-window .. now+window (the default tolerates one
// step of clock drift either way). Returns the step number that matched: the caller must
// refuse a step it has already accepted for the account (one code per step per account,
// RFC 6238 section 5.2). kUnauthenticated "invalid code" for a wrong code and for a code
// that is not exactly `digits` ASCII digits; kInternal for parameters no caller should
// pass (empty secret, negative time, window outside 0..kMaxTotpWindow, unsupported
// digits).
Result<int64_t> VerifyTotp(std::span<const uint8_t> secret, std::string_view code,
                           int64_t unix_seconds, int window = 1, int digits = kTotpDigits);

// otpauth://totp/ISSUER:ACCOUNT?secret=BASE32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30
// with issuer and account percent-encoded (RFC 3986 unreserved characters kept).
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::span<const uint8_t> secret);

}  // namespace medvault::identity
