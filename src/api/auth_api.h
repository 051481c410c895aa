// /auth: the two-step login (password, then TOTP or a recovery code), step-up, password
// change, logout, the caller's sessions and who-am-I. Every failed attempt counts
// towards the backoff and lockout of identity/login_throttle.h.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

// The browser's session cookie and the header that must echo its CSRF token.
inline constexpr std::string_view kSessionCookie = "__Host-medvault_session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

class AuthApi {
 public:
  explicit AuthApi(Services& services) : s_(services) {}

  // POST /auth/login {"username","password"} → a challenge for the second step. Runs
  // Argon2id: call on a worker thread.
  Outcome Login(const RequestContext& ctx);
  // POST /auth/mfa {"challenge","code"} or {"challenge","recovery_code"} → a session.
  Outcome Mfa(const RequestContext& ctx);
  // POST /auth/step-up {"code"}: a fresh code for sensitive operations.
  Outcome StepUp(const RequestContext& ctx);
  // POST /auth/password {"current","new"}; revokes the account's other sessions. Runs
  // Argon2id: call on a worker thread.
  Outcome ChangePassword(const RequestContext& ctx);
  // POST /auth/logout: revokes the caller's session.
  Outcome Logout(const RequestContext& ctx);
  // GET /auth/me: the principal.
  Outcome Me(const RequestContext& ctx);
  // GET /auth/sessions, DELETE /auth/sessions/{id}: the caller's own live sessions.
  Outcome Sessions(const RequestContext& ctx);
  Outcome RevokeSession(const RequestContext& ctx, const std::string& session_id);

 private:
  struct Throttle;
  // The throttling state of the subjects of an attempt; nullopt when the store fails.
  Result<Throttle> LoadThrottle(std::vector<std::string> subjects, int64_t now_ms) const;
  // Writes one failure for each subject of `throttle`.
  store::WriteJob RecordFailure(const Throttle& throttle, int64_t now_ms) const;

  Services& s_;
};

// The 429 answer while a subject waits: Retry-After in whole seconds, at least 1.
Outcome TooManyAttempts(std::chrono::milliseconds wait, AuditFacts facts);

}  // namespace medvault::api
