#include "identity/authenticator.h"

#include <array>

#include "common/random.h"
#include "crypto/encoding.h"
#include "crypto/password_hash.h"

namespace medvault::identity {
namespace {

std::unexpected<Error> InvalidCredentials() {
  return Fail(ErrorCode::kUnauthenticated, "invalid username or password");
}

std::unexpected<Error> NoSession() {
  return Fail(ErrorCode::kUnauthenticated, "no valid session: log in again");
}

// Not revoked, within both timeouts, of an active account: what keeps a session usable.
bool IsLive(const store::SessionRow& session, const store::AccountRow& account, int64_t now,
            const SessionPolicy& policy) {
  return session.revoked_at_ms == 0 && now < session.expires_at_ms &&
         now - session.last_seen_ms < policy.idle_timeout.count() && account.status == "active";
}

}  // namespace

Result<store::AccountRow> Authenticator::CheckPassword(std::string_view username,
                                                       std::string_view password) const {
  ASSIGN_OR_RETURN(auto account, store_.reader().AccountByUsername(username));
  if (!account) {
    (void)crypto::VerifyPassword(crypto::DummyPasswordHash(), password);
    return InvalidCredentials();
  }
  bool matches = crypto::VerifyPassword(account->password_hash, password);
  if (!matches || account->status != "active") return InvalidCredentials();
  return std::move(*account);
}

IssuedSession Authenticator::NewSession(const store::AccountRow& account,
                                        std::string_view client_address,
                                        std::string_view user_agent) const {
  std::array<uint8_t, 32> secret;
  FillRandom(secret);
  IssuedSession issued;
  issued.token = crypto::ToBase64Url(secret);
  int64_t now = ToUnixMillis(clock_.Now());
  issued.row.id = NewUuid();
  issued.row.token_hash = keyring_.HashToken(issued.token);
  issued.row.account_id = account.id;
  issued.row.created_at_ms = now;
  issued.row.last_seen_ms = now;
  issued.row.expires_at_ms = now + policy_.absolute_timeout.count();
  issued.row.client_address = std::string(client_address.substr(0, 64));
  issued.row.user_agent = std::string(user_agent.substr(0, 256));
  issued.row.stepped_up_at_ms = now;
  return issued;
}

bool Authenticator::SteppedUp(const Principal& principal) const {
  int64_t now = ToUnixMillis(clock_.Now());
  return principal.session_stepped_up_at_ms() != 0 &&
         now - principal.session_stepped_up_at_ms() < policy_.step_up_window.count();
}

Result<Principal> Authenticator::Authenticate(std::string_view token) const {
  // Tokens are 43 base64url characters; anything else cannot be one of ours.
  if (token.size() != 43) return NoSession();
  ASSIGN_OR_RETURN(auto found, store_.reader().SessionWithAccount(keyring_.HashToken(token)));
  if (!found) return NoSession();
  const store::SessionRow* session = &found->session;
  const store::AccountRow* account = &found->account;
  if (!IsLive(*session, *account, ToUnixMillis(clock_.Now()), policy_)) return NoSession();
  auto role = ParseRole(account->role);
  if (!role) return Fail(ErrorCode::kInternal, "an account has an unknown role");
  Principal p;
  p.account_id_ = account->id;
  p.username_ = account->username;
  p.role_ = *role;
  p.organization_id_ = account->organization_id;
  p.practitioner_id_ = account->practitioner_id;
  p.session_id_ = session->id;
  p.session_client_address_ = session->client_address;
  p.session_user_agent_ = session->user_agent;
  p.session_last_seen_ms_ = session->last_seen_ms;
  p.session_stepped_up_at_ms_ = session->stepped_up_at_ms;
  p.must_change_password_ = account->must_change_password;
  p.step_up_after_ms_ = account->step_up_after_ms;
  p.throttled_until_ms_ = account->throttle_until_ms;
  return p;
}

Status Authenticator::StillLive(const Principal& principal) const {
  store::Reader& reader = store_.reader();
  int64_t now = ToUnixMillis(clock_.Now());
  ASSIGN_OR_RETURN(auto account, reader.AccountById(principal.account_id()));
  ASSIGN_OR_RETURN(auto sessions, reader.SessionsOfAccount(principal.account_id(), now));
  if (!account) return NoSession();
  for (const store::SessionRow& session : sessions)
    if (session.id == principal.session_id() && IsLive(session, *account, now, policy_))
      return Ok();
  return NoSession();
}

}  // namespace medvault::identity
