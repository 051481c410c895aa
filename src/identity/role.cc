#include "identity/role.h"

namespace medvault::identity {

std::string_view NameOf(Role role) {
  switch (role) {
    case Role::kPhysician: return "physician";
    case Role::kNurse: return "nurse";
    case Role::kSecretary: return "secretary";
    case Role::kSecurityOfficer: return "security_officer";
    case Role::kAdmin: return "admin";
  }
  return "";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles)
    if (NameOf(r) == name) return r;
  return std::nullopt;
}

}  // namespace medvault::identity
