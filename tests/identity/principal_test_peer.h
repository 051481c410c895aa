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
};

}  // namespace medvault::identity
