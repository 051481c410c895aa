#include "identity/totp.h"

#include <liboath/oath.h>

#include <algorithm>
#include <array>
#include <ctime>

#include "common/random.h"

namespace medvault::identity {
namespace {

// liboath takes times as time_t; a 32-bit time_t would wrap in 2038 and silently give
// codes for the wrong step.
static_assert(sizeof(time_t) >= sizeof(int64_t), "TOTP needs a 64-bit time_t");

constexpr std::string_view kBase32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int kMinDigits = 6;  // liboath supports 6, 7 and 8
constexpr int kMaxDigits = 8;

// oath_init is not documented as safe to call concurrently; the function-local static runs it
// exactly once. It is never undone: the library is used until the process exits.
Status EnsureOath() {
  static const int rc = oath_init();
  if (rc != OATH_OK) return Fail(ErrorCode::kInternal, "the one-time password library failed");
  return Ok();
}

const char* SecretChars(std::span<const uint8_t> secret) {
  return reinterpret_cast<const char*>(secret.data());
}

bool AllAsciiDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What the comparison callback sees: the submitted code, exactly `digits` long.
struct SubmittedCode {
  std::array<char, kMaxDigits> chars{};
  size_t size = 0;
};

// liboath's own validate compares with strcmp, which stops at the first differing
// character, so response times would tell an attacker how many leading digits of a
// guess are right. This looks at every character whatever it finds. Returns 0 on a
// match (the strcmp convention liboath expects).
int CompareInConstantTime(void* handle, const char* candidate) {
  const auto* submitted = static_cast<const SubmittedCode*>(handle);
  unsigned diff = 0;
  for (size_t i = 0; i < submitted->size; ++i)
    diff |= static_cast<unsigned>(static_cast<unsigned char>(submitted->chars[i]) ^
                                  static_cast<unsigned char>(candidate[i]));
  return diff == 0 ? 0 : 1;
}

int Base32Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= '2' && c <= '7') return c - '2' + 26;
  return -1;
}

void AppendPercentEncoded(std::string& out, std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  for (char c : text) {
    auto b = static_cast<uint8_t>(c);
    bool unreserved = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') ||
                      b == '-' || b == '.' || b == '_' || b == '~';
    if (unreserved) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0x0F]);
    }
  }
}

}  // namespace

std::vector<uint8_t> NewTotpSecret() {
  std::vector<uint8_t> secret(kTotpSecretBytes);
  FillRandom(secret);
  return secret;
}

std::string ToBase32(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() * 8 + 4) / 5);
  uint32_t buffer = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32Alphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32Alphabet[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

std::optional<std::vector<uint8_t>> FromBase32(std::string_view text) {
  std::vector<uint8_t> out;
  out.reserve(text.size() * 5 / 8);
  uint32_t buffer = 0;
  int bits = 0;
  size_t symbols = 0;
  bool padding = false;
  for (char c : text) {
    // Apps show secrets in groups of four, and people type them that way.
    if (c == ' ') continue;
    if (c == '=') {
      padding = true;
      continue;
    }
    if (padding) return std::nullopt;  // '=' only at the end
    int value = Base32Value(c);
    if (value < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<uint32_t>(value);
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      out.push_back(static_cast<uint8_t>(buffer >> (bits - 8)));
      bits -= 8;
    }
  }
  // 1, 3 or 6 symbols past a multiple of 8 leave 5 or more bits over: no byte string
  // encodes to that, so the text was cut short or mistyped.
  size_t tail = symbols % 8;
  if (tail == 1 || tail == 3 || tail == 6) return std::nullopt;
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

int64_t TotpStep(int64_t unix_seconds) {
  int64_t step = unix_seconds / kTotpStepSeconds;
  if (unix_seconds % kTotpStepSeconds != 0 && unix_seconds < 0) --step;  // floor, not truncation
  return step;
}

Result<std::string> TotpCode(std::span<const uint8_t> secret, int64_t unix_seconds, int digits) {
  if (digits < kMinDigits || digits > kMaxDigits)
    return Fail(ErrorCode::kInvalid, "a one-time code has 6 to 8 digits");
  if (secret.empty()) return Fail(ErrorCode::kInvalid, "the one-time password secret is empty");
  if (unix_seconds < 0) return Fail(ErrorCode::kInvalid, "the time is before 1970");
  TRY(EnsureOath());
  // liboath writes the digits and a terminating NUL.
  std::array<char, kMaxDigits + 1> code{};
  int rc = oath_totp_generate2(
      SecretChars(secret), secret.size(), static_cast<time_t>(unix_seconds), kTotpStepSeconds,
      OATH_TOTP_DEFAULT_START_TIME, static_cast<unsigned>(digits), 0, code.data());
  if (rc != OATH_OK) return Fail(ErrorCode::kInternal, "could not compute a one-time code");
  return std::string(code.data(), static_cast<size_t>(digits));
}

Result<int64_t> VerifyTotp(std::span<const uint8_t> secret, std::string_view code,
                           int64_t unix_seconds, int window, int digits) {
  // Server-side mistakes, not the user's: they must not read as a wrong code.
  if (digits < kMinDigits || digits > kMaxDigits || window < 0 || window > kMaxTotpWindow ||
      secret.empty() || unix_seconds < 0)
    return Fail(ErrorCode::kInternal, "the one-time code check is misconfigured");
  // Anything but exactly `digits` ASCII digits is a wrong code; checked here because
  // liboath would take the length of whatever it is given as the number of digits.
  if (code.size() != static_cast<size_t>(digits) || !AllAsciiDigits(code))
    return Fail(ErrorCode::kUnauthenticated, "invalid code");
  TRY(EnsureOath());
  SubmittedCode submitted;
  std::copy(code.begin(), code.end(), submitted.chars.begin());
  submitted.size = code.size();
  uint64_t counter = 0;
  int rc = oath_totp_validate4_callback(
      SecretChars(secret), secret.size(), static_cast<time_t>(unix_seconds), kTotpStepSeconds,
      OATH_TOTP_DEFAULT_START_TIME, static_cast<unsigned>(digits), static_cast<size_t>(window),
      nullptr, &counter, 0, &CompareInConstantTime, &submitted);
  if (rc == OATH_INVALID_OTP) return Fail(ErrorCode::kUnauthenticated, "invalid code");
  if (rc < 0) return Fail(ErrorCode::kInternal, "could not check the one-time code");
  // Within `window` steps of 1970 the counter wraps below zero in liboath's unsigned
  // arithmetic; converting back gives the (negative) floor step, as TotpStep would.
  return static_cast<int64_t>(counter);
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::span<const uint8_t> secret) {
  std::string uri = "otpauth://totp/";
  AppendPercentEncoded(uri, issuer);
  uri += ':';
  AppendPercentEncoded(uri, account);
  uri += "?secret=";
  uri += ToBase32(secret);
  uri += "&issuer=";
  AppendPercentEncoded(uri, issuer);
  uri += "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
  return uri;
}

}  // namespace medvault::identity
