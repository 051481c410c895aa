#include "api/auth_bodies.h"

#include "api/json_fields.h"

namespace medvault::api {

Result<LoginBody> ParseLoginBody(std::string_view body) {
  ASSIGN_OR_RETURN(auto fields, ParseStringFields(body, {"username", "password"}));
  LoginBody login{std::move(fields["username"]), std::move(fields["password"])};
  if (login.username.empty() || login.password.empty())
    return Fail(ErrorCode::kInvalid, "username and password are required");
  return login;
}

Result<MfaBody> ParseMfaBody(std::string_view body) {
  ASSIGN_OR_RETURN(auto fields, ParseStringFields(body, {"challenge", "code", "recovery_code"}));
  MfaBody mfa;
  mfa.challenge = std::move(fields["challenge"]);
  if (auto it = fields.find("code"); it != fields.end()) mfa.code = std::move(it->second);
  if (auto it = fields.find("recovery_code"); it != fields.end())
    mfa.recovery_code = std::move(it->second);
  if (mfa.challenge.empty() || mfa.code.has_value() == mfa.recovery_code.has_value())
    return Fail(ErrorCode::kInvalid, "send the challenge and either a code or a recovery_code");
  return mfa;
}

Result<std::string> ParseStepUpBody(std::string_view body) {
  ASSIGN_OR_RETURN(auto fields, ParseStringFields(body, {"code"}));
  return std::move(fields["code"]);
}

Result<PasswordChangeBody> ParsePasswordChangeBody(std::string_view body) {
  ASSIGN_OR_RETURN(auto fields, ParseStringFields(body, {"current", "new"}));
  return PasswordChangeBody{std::move(fields["current"]), std::move(fields["new"])};
}

}  // namespace medvault::api
