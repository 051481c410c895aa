// Who is making a request. Only the Authenticator creates a Principal, and only from a
// live session: holding one is proof that authentication happened.
#pragma once

#include <cstdint>
#include <string>

#include "identity/role.h"

namespace medvault::identity {

class Principal {
 public:
  const std::string& account_id() const { return account_id_; }
  const std::string& username() const { return username_; }
  Role role() const { return role_; }
  const std::string& organization_id() const { return organization_id_; }
  const std::string& practitioner_id() const { return practitioner_id_; }
  const std::string& session_id() const { return session_id_; }
  // The client that opened the session (address and user agent, as stored).
  const std::string& session_client_address() const { return session_client_address_; }
  const std::string& session_user_agent() const { return session_user_agent_; }
  int64_t session_last_seen_ms() const { return session_last_seen_ms_; }
  // When the session last proved a fresh TOTP code (its login or a step-up).
  int64_t session_stepped_up_at_ms() const { return session_stepped_up_at_ms_; }
  // An administrator reset the password: until it is changed, the session may only
  // change it (or log out).
  bool must_change_password() const { return must_change_password_; }
  // Containment: the session must step up again when its last fresh code is older than
  // this; the account is slowed down until throttled_until_ms.
  int64_t step_up_after_ms() const { return step_up_after_ms_; }
  int64_t throttled_until_ms() const { return throttled_until_ms_; }
  // Containment demands a fresh code this session has not given yet.
  bool must_step_up_again() const { return step_up_after_ms_ > session_stepped_up_at_ms_; }

 private:
  friend class Authenticator;
  // Tests build principals directly through this peer, which only test code defines.
  friend struct PrincipalTestPeer;
  Principal() = default;

  std::string account_id_;
  std::string username_;
  Role role_ = Role::kAdmin;
  std::string organization_id_;
  std::string practitioner_id_;
  std::string session_id_;
  std::string session_client_address_;
  std::string session_user_agent_;
  int64_t session_last_seen_ms_ = 0;
  int64_t session_stepped_up_at_ms_ = 0;
  bool must_change_password_ = false;
  int64_t step_up_after_ms_ = 0;
  int64_t throttled_until_ms_ = 0;
};

}  // namespace medvault::identity
