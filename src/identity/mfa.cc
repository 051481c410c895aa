#include "identity/mfa.h"

#include <sodium.h>

#include <array>
#include <cctype>

#include "common/random.h"
#include "crypto/encoding.h"
#include "identity/qr_svg.h"
#include "identity/totp.h"

namespace medvault::identity {
namespace {

constexpr std::string_view kTotpPurpose = "totp";

std::unexpected<Error> InvalidCode() { return Fail(ErrorCode::kUnauthenticated, "invalid code"); }

// Recovery codes are typed by hand from paper: lower case, no look-alikes, grouped.
std::string NewRecoveryCode() {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";  // 31
  std::string out;
  while (out.size() < 11) {
    std::array<uint8_t, 16> bytes;
    FillRandom(bytes);
    for (uint8_t b : bytes) {
      if (b >= 256 - 256 % kAlphabet.size()) continue;  // no modulo bias
      if (out.size() == 5) out.push_back('-');
      out.push_back(kAlphabet[b % kAlphabet.size()]);
      if (out.size() == 11) break;
    }
  }
  return out;  // 10 symbols: ~49.5 bits
}

std::string NormalizeRecoveryCode(std::string_view code) {
  std::string out;
  for (char c : code.substr(0, 64)) {
    if (c == '-' || c == ' ') continue;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

Result<IssuedChallenge> Mfa::NewChallenge(const store::AccountRow& account,
                                          std::string_view client_address,
                                          std::string_view user_agent) const {
  std::array<uint8_t, 32> random;
  FillRandom(random);
  IssuedChallenge issued;
  issued.token = crypto::ToBase64Url(random);
  int64_t now = ToUnixMillis(clock_.Now());
  store::LoginChallengeRow& row = issued.row;
  row.challenge_hash = HashChallenge(issued.token);
  row.account_id = account.id;
  row.created_at_ms = now;
  row.expires_at_ms = now + std::chrono::milliseconds(kChallengeLifetime).count();
  row.client_address = std::string(client_address.substr(0, 64));
  row.user_agent = std::string(user_agent.substr(0, 256));
  if (account.totp_secret.empty()) {
    std::vector<uint8_t> secret = NewTotpSecret();
    Enrollment e;
    e.secret_base32 = ToBase32(secret);
    e.otpauth_uri = OtpauthUri(kTotpIssuer, account.username, secret);
    ASSIGN_OR_RETURN(e.qr_svg, QrSvg(e.otpauth_uri));
    row.pending_secret = keyring_.SealAccountSecret(account.id, kTotpPurpose, secret);
    sodium_memzero(secret.data(), secret.size());
    issued.enrollment = std::move(e);
  }
  return issued;
}

store::TokenHash Mfa::HashChallenge(std::string_view token) const {
  return keyring_.HashToken("login-challenge|" + std::string(token));
}

Result<int64_t> Mfa::CheckCode(const store::AccountRow& account,
                               const store::LoginChallengeRow* challenge,
                               std::string_view code) const {
  const crypto::Bytes& sealed = challenge != nullptr && !challenge->pending_secret.empty()
                                    ? challenge->pending_secret
                                    : account.totp_secret;
  if (sealed.empty()) return InvalidCode();
  auto secret = keyring_.OpenAccountSecret(account.id, kTotpPurpose, sealed);
  if (!secret) return Fail(ErrorCode::kInternal, "a TOTP secret does not open");
  int64_t now_s = ToUnixMillis(code_clock_.Now()) / 1000;
  auto step = VerifyTotp(*secret, code, now_s);
  sodium_memzero(secret->data(), secret->size());
  if (!step) return InvalidCode();
  return *step;
}

RecoveryCodes Mfa::NewRecoveryCodes(std::string_view account_id) const {
  RecoveryCodes out;
  for (size_t i = 0; i < kRecoveryCodeCount; ++i) {
    out.codes.push_back(NewRecoveryCode());
    out.hashes.push_back(HashRecoveryCode(account_id, out.codes.back()));
  }
  return out;
}

store::TokenHash Mfa::HashRecoveryCode(std::string_view account_id, std::string_view code) const {
  return keyring_.HashToken("recovery-code|" + std::string(account_id) + "|" +
                            NormalizeRecoveryCode(code));
}

std::string Mfa::CsrfToken(std::string_view session_id) const {
  return crypto::ToBase64Url(keyring_.HashToken("csrf|" + std::string(session_id)));
}

}  // namespace medvault::identity
