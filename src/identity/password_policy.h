// What a password must be (NIST SP 800-63B §5.1.1.2): long enough, not absurdly long,
// valid text, not a common password and not easy to guess. No composition rules.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.h"

namespace medvault::identity {

inline constexpr size_t kMinPasswordChars = 12;
inline constexpr size_t kMaxPasswordChars = 128;

// Checks, in order: length in code points, valid UTF-8, no control characters, not on the
// list of common passwords (whole, or without a trailing run of digits and punctuation;
// case-insensitive), and a zxcvbn strength estimate. `context_words` (the username, …)
// count as known to an attacker: a password made of them is weak. Returns kInvalid with a
// message that explains the rule (never the password).
Status CheckPasswordPolicy(std::string_view password,
                           std::span<const std::string_view> context_words = {});

// A random password that passes the policy (for accounts created by administrators).
std::string GeneratePassword();

// The list of common passwords compiled into the library (src/identity/common_passwords.txt,
// lower case), for tests and tools.
std::span<const std::string_view> CommonPasswords();

}  // namespace medvault::identity
