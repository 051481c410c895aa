// Authentication: passwords (Argon2id) and sessions (random 256-bit bearer tokens of
// which the database keeps only a keyed hash). The MFA step, lockout and backoff
// extend this in the identity issue; every path into patient data starts here.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/keyring.h"
#include "identity/principal.h"
#include "store/records.h"
#include "store/store.h"

namespace medvault::identity {

struct SessionPolicy {
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(15);
  std::chrono::milliseconds absolute_timeout = std::chrono::hours(12);
  // How long a fresh TOTP code (at login or step-up) vouches for sensitive operations.
  std::chrono::milliseconds step_up_window = std::chrono::minutes(10);
};

// A session just created: the token goes to the client once; the row goes to the store.
struct IssuedSession {
  std::string token;
  store::SessionRow row;
};

class Authenticator {
 public:
  Authenticator(store::Store& store, const crypto::Keyring& keyring, const Clock& clock,
                SessionPolicy policy)
      : store_(store), keyring_(keyring), clock_(clock), policy_(policy) {}

  // Checks a username and password. Unknown users cost the same Argon2id work as known
  // ones and get the same error (kUnauthenticated, "invalid username or password").
  // Slow by design: call it off the I/O threads.
  Result<store::AccountRow> CheckPassword(std::string_view username,
                                          std::string_view password) const;

  // A new session for `account` (to be inserted by the caller's write job), created
  // right after a fresh second factor: it starts stepped up.
  IssuedSession NewSession(const store::AccountRow& account, std::string_view client_address,
                           std::string_view user_agent) const;

  // Resolves a bearer token to the principal of its live session: the session exists,
  // is not revoked, is within its idle and absolute timeouts, and its account is
  // active. Every failure is the same kUnauthenticated.
  Result<Principal> Authenticate(std::string_view token) const;

  // Whether the principal's session is still live by Authenticate's rules, read anew:
  // for a response that outlasts its request (the security officer's alert stream),
  // which must end with the session (logout, revocation, timeout, suspension). Every
  // failure is the same kUnauthenticated.
  Status StillLive(const Principal& principal) const;

  // Whether the principal's last fresh TOTP code is recent enough for a sensitive
  // operation.
  bool SteppedUp(const Principal& principal) const;

  const SessionPolicy& policy() const { return policy_; }

 private:
  store::Store& store_;
  const crypto::Keyring& keyring_;
  const Clock& clock_;
  SessionPolicy policy_;
};

}  // namespace medvault::identity
