// Test-only construction of Principals (production code gets them only from the
// Authenticator).
#pragma once

#include <string>

#include "identity/principal.h"

namespace medvault::identity {

struct PrincipalTestPeer {
  static Principal Make(Role role, std::string organization = "org-a",
                        std::string account = "account-1",
                        std::string practitioner = "practitioner-1") {
    Principal p;
    p.account_id_ = std::move(account);
    if (role == Role::kPhysician || role == Role::kNurse)
      p.practitioner_id_ = std::move(practitioner);
    p.username_ = "user";
    p.role_ = role;
    p.organization_id_ = std::move(organization);
    p.session_id_ = "session-1";
    return p;
  }
  static void SetSteppedUpAt(Principal& p, int64_t ms) { p.session_stepped_up_at_ms_ = ms; }
  static void SetContainment(Principal& p, int64_t step_up_after_ms, int64_t throttled_until_ms) {
    p.step_up_after_ms_ = step_up_after_ms;
    p.throttled_until_ms_ = throttled_until_ms;
  }
};

}  // namespace medvault::identity
