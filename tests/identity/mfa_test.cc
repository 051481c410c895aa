// The second factor without a store: challenges and enrolment, TOTP checks against
// codes computed with TotpCode for a known secret, recovery codes and CSRF tokens. Time
// is a ManualClock.
#include "identity/mfa.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "identity/totp.h"

namespace medvault::identity {
namespace {

using namespace std::chrono_literals;

// Halfway through a 30-second step, so that ±15 s stays within it.
constexpr int64_t kNowMs = 1'700'000'025'000;
constexpr int64_t kNowS = kNowMs / 1000;

std::vector<uint8_t> FixedSecret(uint8_t seed) {
  std::vector<uint8_t> secret(kTotpSecretBytes);
  for (size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<uint8_t>(seed + 7 * i);
  return secret;
}

std::string CodeAt(const std::vector<uint8_t>& secret, int64_t unix_seconds) {
  auto code = TotpCode(secret, unix_seconds);
  EXPECT_TRUE(code.has_value()) << code.error().message;
  return code.value_or("");
}

bool IsBase64Url(std::string_view s) {
  return std::ranges::all_of(s, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
}

// Five symbols of the recovery alphabet (no 0, 1, i, l, o), a dash, five more.
bool IsRecoveryCode(std::string_view s) {
  static constexpr std::string_view kAlphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  if (s.size() != 11 || s[5] != '-') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i != 5 && kAlphabet.find(s[i]) == std::string_view::npos) return false;
  }
  return true;
}

class MfaTest : public ::testing::Test {
 protected:
  MfaTest() {
    enrolled_.id = "acct-enrolled";
    enrolled_.username = "dr.house";
    enrolled_.totp_secret = keyring_.SealAccountSecret(enrolled_.id, "totp", secret_);
    fresh_.id = "acct-fresh";
    fresh_.username = "nurse.joy";
  }

  ManualClock clock_{FromUnixMillis(kNowMs)};
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  Mfa mfa_{keyring_, clock_};
  std::vector<uint8_t> secret_ = FixedSecret(1);
  store::AccountRow enrolled_;
  store::AccountRow fresh_;
};

TEST_F(MfaTest, AChallengeForANewAccountOffersAnEnrollment) {
  auto issued = mfa_.NewChallenge(fresh_, "10.0.0.1", "test-agent");
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  ASSERT_TRUE(issued->enrollment.has_value());
  const Enrollment& e = *issued->enrollment;
  auto secret = FromBase32(e.secret_base32);
  ASSERT_TRUE(secret.has_value());
  EXPECT_EQ(secret->size(), kTotpSecretBytes);
  EXPECT_TRUE(e.otpauth_uri.starts_with("otpauth://totp/")) << e.otpauth_uri;
  EXPECT_NE(e.otpauth_uri.find("nurse.joy"), std::string::npos) << e.otpauth_uri;
  EXPECT_NE(e.otpauth_uri.find("secret=" + e.secret_base32), std::string::npos) << e.otpauth_uri;
  EXPECT_NE(e.otpauth_uri.find("issuer=medvault"), std::string::npos) << e.otpauth_uri;
  EXPECT_TRUE(e.qr_svg.starts_with("<svg")) << e.qr_svg.substr(0, 40);
  EXPECT_TRUE(e.qr_svg.ends_with("</svg>"));

  // The row holds the secret only sealed, bound to this account and to "totp".
  const crypto::Bytes& pending = issued->row.pending_secret;
  ASSERT_FALSE(pending.empty());
  EXPECT_NE(pending, *secret);
  EXPECT_EQ(std::ranges::search(pending, *secret).size(), 0u) << "the raw secret is in the row";
  auto opened = keyring_.OpenAccountSecret(fresh_.id, "totp", pending);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(*opened, *secret);
  EXPECT_FALSE(keyring_.OpenAccountSecret(enrolled_.id, "totp", pending).has_value());
  EXPECT_FALSE(keyring_.OpenAccountSecret(fresh_.id, "recovery", pending).has_value());
}

TEST_F(MfaTest, AChallengeRowHoldsTheTokenOnlyHashed) {
  auto issued = mfa_.NewChallenge(enrolled_, "10.0.0.1", "test-agent");
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  const store::LoginChallengeRow& row = issued->row;
  EXPECT_EQ(issued->token.size(), 43u);  // 32 random bytes, base64url
  EXPECT_TRUE(IsBase64Url(issued->token));
  EXPECT_EQ(row.challenge_hash, mfa_.HashChallenge(issued->token));
  auto raw = crypto::FromBase64Url(issued->token);
  ASSERT_TRUE(raw.has_value());
  EXPECT_FALSE(std::ranges::equal(*raw, row.challenge_hash));
  // A challenge hash is not a session-token hash of the same string.
  EXPECT_NE(row.challenge_hash, keyring_.HashToken(issued->token));
  EXPECT_EQ(row.account_id, enrolled_.id);
  EXPECT_EQ(row.created_at_ms, kNowMs);
  EXPECT_EQ(row.expires_at_ms, kNowMs + std::chrono::milliseconds(kChallengeLifetime).count());
  EXPECT_EQ(row.expires_at_ms, kNowMs + 5 * 60'000);
  EXPECT_EQ(row.attempts, 0);
  EXPECT_EQ(row.used_at_ms, 0);
  EXPECT_EQ(row.client_address, "10.0.0.1");
  EXPECT_EQ(row.user_agent, "test-agent");
}

TEST_F(MfaTest, AnEnrolledAccountGetsNoEnrollment) {
  auto issued = mfa_.NewChallenge(enrolled_, "10.0.0.1", "test-agent");
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  EXPECT_FALSE(issued->enrollment.has_value());
  EXPECT_TRUE(issued->row.pending_secret.empty());
}

TEST_F(MfaTest, EveryChallengeHasItsOwnTokenAndSecret) {
  auto a = mfa_.NewChallenge(fresh_, "10.0.0.1", "test-agent");
  auto b = mfa_.NewChallenge(fresh_, "10.0.0.1", "test-agent");
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_NE(a->token, b->token);
  EXPECT_NE(a->row.challenge_hash, b->row.challenge_hash);
  EXPECT_NE(a->enrollment->secret_base32, b->enrollment->secret_base32);
}

TEST_F(MfaTest, ChallengeRowsTruncateClientDetails) {
  std::string address(100, 'a');
  std::string agent(1000, 'u');
  auto issued = mfa_.NewChallenge(enrolled_, address, agent);
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  EXPECT_EQ(issued->row.client_address, std::string(64, 'a'));
  EXPECT_EQ(issued->row.user_agent, std::string(256, 'u'));
}

TEST_F(MfaTest, AcceptsTheCurrentCodeAndReturnsItsStep) {
  auto step = mfa_.CheckCode(enrolled_, nullptr, CodeAt(secret_, kNowS));
  ASSERT_TRUE(step.has_value()) << step.error().message;
  EXPECT_EQ(*step, TotpStep(kNowS));
}

TEST_F(MfaTest, ToleratesOneStepOfDriftEitherWay) {
  for (int64_t offset : {-1, 1}) {
    SCOPED_TRACE(offset);
    int64_t t = kNowS + offset * kTotpStepSeconds;
    auto step = mfa_.CheckCode(enrolled_, nullptr, CodeAt(secret_, t));
    ASSERT_TRUE(step.has_value()) << step.error().message;
    EXPECT_EQ(*step, TotpStep(kNowS) + offset);
  }
}

TEST_F(MfaTest, RefusesCodesTwoStepsAway) {
  std::string current = CodeAt(secret_, kNowS);
  for (int64_t offset : {-2, 2}) {
    SCOPED_TRACE(offset);
    std::string code = CodeAt(secret_, kNowS + offset * kTotpStepSeconds);
    ASSERT_NE(code, current);  // fixed secret and time: a coincidence would show here
    auto step = mfa_.CheckCode(enrolled_, nullptr, code);
    ASSERT_FALSE(step.has_value());
    EXPECT_EQ(step.error().code, ErrorCode::kUnauthenticated);
  }
}

TEST_F(MfaTest, FollowsTheClock) {
  std::string code = CodeAt(secret_, kNowS);
  clock_.Advance(std::chrono::seconds(2 * kTotpStepSeconds));
  EXPECT_FALSE(mfa_.CheckCode(enrolled_, nullptr, code).has_value());
  auto later = mfa_.CheckCode(enrolled_, nullptr, CodeAt(secret_, kNowS + 2 * kTotpStepSeconds));
  ASSERT_TRUE(later.has_value()) << later.error().message;
  EXPECT_EQ(*later, TotpStep(kNowS) + 2);
}

TEST_F(MfaTest, RefusesMalformedCodes) {
  std::string code = CodeAt(secret_, kNowS);
  for (std::string bad :
       {std::string(), code.substr(1), code + "0", std::string("abcdef"), " " + code}) {
    SCOPED_TRACE(bad);
    auto step = mfa_.CheckCode(enrolled_, nullptr, bad);
    ASSERT_FALSE(step.has_value());
    EXPECT_EQ(step.error().code, ErrorCode::kUnauthenticated);
  }
}

TEST_F(MfaTest, RefusesTheCodeOfAnotherAccountsSecret) {
  std::vector<uint8_t> other = FixedSecret(99);
  std::string code = CodeAt(other, kNowS);
  for (int64_t offset : {-1, 0, 1}) {
    ASSERT_NE(code, CodeAt(secret_, kNowS + offset * kTotpStepSeconds));
  }
  auto step = mfa_.CheckCode(enrolled_, nullptr, code);
  ASSERT_FALSE(step.has_value());
  EXPECT_EQ(step.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(MfaTest, AnAccountWithoutSecretOrChallengeHasNoValidCode) {
  auto step = mfa_.CheckCode(fresh_, nullptr, CodeAt(secret_, kNowS));
  ASSERT_FALSE(step.has_value());
  EXPECT_EQ(step.error().code, ErrorCode::kUnauthenticated);
}

TEST_F(MfaTest, AnEnrolmentChallengeIsCheckedAgainstItsPendingSecret) {
  auto issued = mfa_.NewChallenge(fresh_, "10.0.0.1", "test-agent");
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  auto pending = FromBase32(issued->enrollment->secret_base32);
  ASSERT_TRUE(pending.has_value());
  std::string code = CodeAt(*pending, kNowS);
  auto step = mfa_.CheckCode(fresh_, &issued->row, code);
  ASSERT_TRUE(step.has_value()) << step.error().message;
  EXPECT_EQ(*step, TotpStep(kNowS));
  // Without the challenge the account has no secret to check against.
  EXPECT_FALSE(mfa_.CheckCode(fresh_, nullptr, code).has_value());
}

TEST_F(MfaTest, APendingSecretTakesPrecedenceOverTheEnrolledOne) {
  // An enrolled account re-enrolling (e.g. the challenge row carries a pending secret).
  std::vector<uint8_t> next = FixedSecret(42);
  store::LoginChallengeRow challenge;
  challenge.account_id = enrolled_.id;
  challenge.pending_secret = keyring_.SealAccountSecret(enrolled_.id, "totp", next);
  std::string new_code = CodeAt(next, kNowS);
  std::string old_code = CodeAt(secret_, kNowS);
  ASSERT_NE(new_code, old_code);
  EXPECT_TRUE(mfa_.CheckCode(enrolled_, &challenge, new_code).has_value());
  EXPECT_FALSE(mfa_.CheckCode(enrolled_, &challenge, old_code).has_value());
  // A challenge without a pending secret defers to the account's own.
  store::LoginChallengeRow plain;
  plain.account_id = enrolled_.id;
  EXPECT_TRUE(mfa_.CheckCode(enrolled_, &plain, old_code).has_value());
}

TEST_F(MfaTest, ASealedSecretCopiedToAnotherAccountDoesNotOpen) {
  store::AccountRow thief = fresh_;
  thief.totp_secret = enrolled_.totp_secret;  // the row copied in the database
  auto step = mfa_.CheckCode(thief, nullptr, CodeAt(secret_, kNowS));
  ASSERT_FALSE(step.has_value());
  EXPECT_EQ(step.error().code, ErrorCode::kInternal);  // tampering, not a wrong code

  // The same for an enrolment challenge of one account presented for another.
  auto issued = mfa_.NewChallenge(fresh_, "10.0.0.1", "test-agent");
  ASSERT_TRUE(issued.has_value()) << issued.error().message;
  auto pending = FromBase32(issued->enrollment->secret_base32);
  ASSERT_TRUE(pending.has_value());
  EXPECT_FALSE(mfa_.CheckCode(enrolled_, &issued->row, CodeAt(*pending, kNowS)).has_value());
}

TEST_F(MfaTest, ASecretSealedByAnotherKeyringDoesNotOpen) {
  crypto::Keyring other{crypto::SecretKey::Random()};
  store::AccountRow account = enrolled_;
  account.totp_secret = other.SealAccountSecret(account.id, "totp", secret_);
  EXPECT_FALSE(mfa_.CheckCode(account, nullptr, CodeAt(secret_, kNowS)).has_value());
}

TEST_F(MfaTest, RecoveryCodesAreTenDistinctHandTypableCodes) {
  RecoveryCodes rc = mfa_.NewRecoveryCodes(enrolled_.id);
  ASSERT_EQ(rc.codes.size(), kRecoveryCodeCount);
  ASSERT_EQ(rc.hashes.size(), kRecoveryCodeCount);
  EXPECT_EQ(kRecoveryCodeCount, 10u);
  for (const std::string& code : rc.codes) EXPECT_TRUE(IsRecoveryCode(code)) << code;
  EXPECT_EQ(std::set<std::string>(rc.codes.begin(), rc.codes.end()).size(), rc.codes.size());
  EXPECT_EQ(std::set<store::TokenHash>(rc.hashes.begin(), rc.hashes.end()).size(),
            rc.hashes.size());
  for (size_t i = 0; i < rc.codes.size(); ++i) {
    SCOPED_TRACE(rc.codes[i]);
    EXPECT_EQ(rc.hashes[i], mfa_.HashRecoveryCode(enrolled_.id, rc.codes[i]));
  }
  // Another batch shares no code with the first.
  RecoveryCodes again = mfa_.NewRecoveryCodes(enrolled_.id);
  for (const std::string& code : again.codes) {
    EXPECT_EQ(std::ranges::count(rc.codes, code), 0) << code;
  }
}

TEST_F(MfaTest, RecoveryCodeHashesIgnoreCaseDashesAndSpaces) {
  RecoveryCodes rc = mfa_.NewRecoveryCodes(enrolled_.id);
  const std::string& code = rc.codes.front();
  const store::TokenHash& hash = rc.hashes.front();
  std::string upper = code;
  std::ranges::transform(upper, upper.begin(),
                         [](char c) { return static_cast<char>(std::toupper(c)); });
  std::string bare = code.substr(0, 5) + code.substr(6);
  std::string spaced = code.substr(0, 5) + " " + code.substr(6);
  std::string messy =
      " " + upper.substr(0, 2) + "-" + code.substr(2, 3) + "  " + code.substr(6) + " ";
  for (const std::string& variant : {upper, bare, spaced, messy}) {
    SCOPED_TRACE(variant);
    EXPECT_EQ(mfa_.HashRecoveryCode(enrolled_.id, variant), hash);
  }
  // A different symbol is a different code.
  std::string altered = code;
  altered.back() = altered.back() == 'a' ? 'b' : 'a';
  EXPECT_NE(mfa_.HashRecoveryCode(enrolled_.id, altered), hash);
}

TEST_F(MfaTest, RecoveryCodeHashesAreBoundToTheAccount) {
  EXPECT_NE(mfa_.HashRecoveryCode("acct-1", "abcde-fghjk"),
            mfa_.HashRecoveryCode("acct-2", "abcde-fghjk"));
  // The account id and the code cannot trade characters.
  EXPECT_NE(mfa_.HashRecoveryCode("acct-1a", "bcde-fghjk"),
            mfa_.HashRecoveryCode("acct-1", "abcde-fghjk"));
  RecoveryCodes rc = mfa_.NewRecoveryCodes(enrolled_.id);
  EXPECT_NE(mfa_.HashRecoveryCode(fresh_.id, rc.codes.front()), rc.hashes.front());
}

TEST_F(MfaTest, CsrfTokensAreDeterministicPerSession) {
  std::string a = mfa_.CsrfToken("session-a");
  EXPECT_EQ(a, mfa_.CsrfToken("session-a"));
  EXPECT_NE(a, mfa_.CsrfToken("session-b"));
  EXPECT_NE(a, mfa_.CsrfToken(""));
  EXPECT_EQ(a.size(), 43u);  // 32 bytes, base64url without padding
  EXPECT_TRUE(IsBase64Url(a)) << a;
  // Keyed: another server's keyring gives another token for the same session.
  crypto::Keyring other_keyring{crypto::SecretKey::Random()};
  Mfa other{other_keyring, clock_};
  EXPECT_NE(a, other.CsrfToken("session-a"));
  // Not the session-token hash of the id, nor the challenge hash.
  EXPECT_NE(a, crypto::ToBase64Url(keyring_.HashToken("session-a")));
  EXPECT_NE(a, crypto::ToBase64Url(mfa_.HashChallenge("session-a")));
}

}  // namespace
}  // namespace medvault::identity
