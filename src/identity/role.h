// The roles of the security model (docs/SECURITY.md has the full table).
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace medvault::identity {

enum class Role { kPhysician, kNurse, kSecretary, kSecurityOfficer, kAdmin };

inline constexpr std::array kAllRoles = {Role::kPhysician, Role::kNurse, Role::kSecretary,
                                         Role::kSecurityOfficer, Role::kAdmin};

std::string_view NameOf(
    Role role);  // "physician", "nurse", "secretary", "security_officer", "admin"
std::optional<Role> ParseRole(std::string_view name);

}  // namespace medvault::identity
