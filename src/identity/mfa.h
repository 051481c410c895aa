// The second factor: TOTP enrolment and verification, login challenges between the
// password step and the code step, recovery codes, and the CSRF token of a browser
// session. Secrets leave this file only sealed (TOTP secret) or hashed (challenges,
// recovery codes); the one exception is what a user must see once: the enrolment secret
// and the recovery codes.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/keyring.h"
#include "store/records.h"

namespace medvault::identity {

inline constexpr std::string_view kTotpIssuer = "medvault";
inline constexpr size_t kRecoveryCodeCount = 10;
// A challenge lives a few minutes and allows a few codes: enough for a person who
// mistypes, too few to guess a 6-digit code (5 tries in 10^6 per password success).
inline constexpr std::chrono::minutes kChallengeLifetime{5};
inline constexpr int64_t kChallengeMaxAttempts = 5;

// What a user needs to add medvault to an authenticator app; shown once, at enrolment.
struct Enrollment {
  std::string secret_base32;
  std::string otpauth_uri;
  std::string qr_svg;
};

struct IssuedChallenge {
  std::string token;  // to the client, once
  store::LoginChallengeRow row;
  std::optional<Enrollment> enrollment;  // the account has no TOTP yet
};

struct RecoveryCodes {
  std::vector<std::string> codes;  // to the user, once
  std::vector<store::TokenHash> hashes;
};

class Mfa {
 public:
  Mfa(const crypto::Keyring& keyring, const Clock& clock) : Mfa(keyring, clock, clock) {}
  // `code_clock` is what TOTP codes are checked against: the wall clock as it is, never
  // held back (the user's phone follows real time, so a server clock that was ahead and
  // is set back must be believed at once); `clock` times the challenges.
  Mfa(const crypto::Keyring& keyring, const Clock& clock, const Clock& code_clock)
      : keyring_(keyring), clock_(clock), code_clock_(code_clock) {}

  // The challenge that follows a correct password. An account without TOTP gets a
  // fresh secret to enrol, kept sealed in the challenge until a first code proves it.
  Result<IssuedChallenge> NewChallenge(const store::AccountRow& account,
                                       std::string_view client_address,
                                       std::string_view user_agent) const;

  store::TokenHash HashChallenge(std::string_view token) const;

  // The TOTP step `code` matches (±1 step of drift) for the account's secret, or for
  // the secret being enrolled in `challenge`. Replays are the caller's to refuse
  // (Transaction::AcceptTotpStep), in the writer. kUnauthenticated when it matches none;
  // kInternal when the sealed secret does not open (tampering, or a key mix-up).
  Result<int64_t> CheckCode(const store::AccountRow& account,
                            const store::LoginChallengeRow* challenge, std::string_view code) const;

  RecoveryCodes NewRecoveryCodes(std::string_view account_id) const;
  store::TokenHash HashRecoveryCode(std::string_view account_id, std::string_view code) const;

  // The browser's CSRF token for a session: a keyed hash of the session id, so the
  // server stores nothing and a token is worthless for any other session.
  std::string CsrfToken(std::string_view session_id) const;

 private:
  const crypto::Keyring& keyring_;
  const Clock& clock_;
  const Clock& code_clock_;
};

}  // namespace medvault::identity
