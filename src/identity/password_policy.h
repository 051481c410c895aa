// What a password must be (NIST SP 800-63B): long enough, not absurdly long, valid
// text. No composition rules.
#pragma once

#include <string_view>

#include "common/result.h"

namespace medvault::identity {

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordChars = 128;

// kInvalid with a message that explains the rule (never the password).
Status CheckPasswordPolicy(std::string_view password);

// A random password that passes the policy (for accounts created by administrators).
std::string GeneratePassword();

}  // namespace medvault::identity
