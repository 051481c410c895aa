// The JSON bodies of /auth, read and checked before anything is looked up: the shape
// each endpoint accepts, whether or not the secrets in it turn out to be right. Apart
// from AuthApi so that fuzz/ can run them without a server.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace medvault::api {

// POST /auth/login {"username","password"}, both non-empty.
struct LoginBody {
  std::string username;
  std::string password;
};
Result<LoginBody> ParseLoginBody(std::string_view body);

// POST /auth/mfa {"challenge", and either "code" or "recovery_code"}; the challenge is
// non-empty, the code may be anything (a wrong code is a failed attempt, not a bad
// request).
struct MfaBody {
  std::string challenge;
  std::optional<std::string> code;  // exactly one of these two is set
  std::optional<std::string> recovery_code;
};
Result<MfaBody> ParseMfaBody(std::string_view body);

// POST /auth/step-up {"code"}: the code, "" when absent (which no code matches).
Result<std::string> ParseStepUpBody(std::string_view body);

// POST /auth/password {"current","new"}: "" for an absent field.
struct PasswordChangeBody {
  std::string current;
  std::string next;
};
Result<PasswordChangeBody> ParsePasswordChangeBody(std::string_view body);

}  // namespace medvault::api
