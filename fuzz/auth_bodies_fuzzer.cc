// Arbitrary bytes as the JSON body of every /auth endpoint that takes one (login, MFA
// with a TOTP or a recovery code, step-up, password change), read by the parsers the
// endpoints use (api/auth_bodies.h). Checked on what they accept:
//  - the promises of each body: login has a username and a password, MFA a challenge
//    and exactly one of code and recovery_code;
//  - the fields written back as JSON parse to the same fields;
//  - a code the TOTP check accepts is six ASCII digits and the code of the step it
//    matched (identity/totp.h), whatever else the client put in the string.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "api/auth_bodies.h"
#include "api/json_fields.h"
#include "identity/totp.h"

namespace {

using namespace medvault::api;

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "property broken: %s\n", property);
  std::abort();
}

// A JSON object of string members, in the given order.
std::string Object(std::initializer_list<std::pair<std::string_view, const std::string*>> fields) {
  return WriteJson([&](JsonWriter& w) {
    w.StartObject();
    for (const auto& [name, value] : fields) {
      if (value == nullptr) continue;
      Str(w, name);
      Str(w, *value);
    }
    w.EndObject();
  });
}

void CheckCode(const std::string& code) {
  static const std::vector<uint8_t> kSecret(medvault::identity::kTotpSecretBytes, 0x5a);
  constexpr int64_t kNow = 1'700'000'000;
  auto step = medvault::identity::VerifyTotp(kSecret, code, kNow);
  if (!step) return;
  if (code.size() != medvault::identity::kTotpDigits) Broken("an accepted code has six digits");
  for (char c : code)
    if (c < '0' || c > '9') Broken("an accepted code is ASCII digits");
  auto expected =
      medvault::identity::TotpCode(kSecret, *step * medvault::identity::kTotpStepSeconds);
  if (!expected || *expected != code) Broken("an accepted code is the code of its step");
  if (*step < medvault::identity::TotpStep(kNow) - 1 ||
      *step > medvault::identity::TotpStep(kNow) + 1)
    Broken("an accepted code is within one step of now");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  if (auto login = ParseLoginBody(input)) {
    if (login->username.empty() || login->password.empty())
      Broken("login has a username and a password");
    auto again =
        ParseLoginBody(Object({{"username", &login->username}, {"password", &login->password}}));
    if (!again || again->username != login->username || again->password != login->password)
      Broken("login fields written back read the same");
  }

  if (auto mfa = ParseMfaBody(input)) {
    if (mfa->challenge.empty()) Broken("MFA has a challenge");
    if (mfa->code.has_value() == mfa->recovery_code.has_value())
      Broken("MFA has a code or a recovery code, not both");
    const std::string* code = mfa->code ? &*mfa->code : nullptr;
    const std::string* recovery = mfa->recovery_code ? &*mfa->recovery_code : nullptr;
    auto again = ParseMfaBody(
        Object({{"challenge", &mfa->challenge}, {"code", code}, {"recovery_code", recovery}}));
    if (!again || again->challenge != mfa->challenge || again->code != mfa->code ||
        again->recovery_code != mfa->recovery_code)
      Broken("MFA fields written back read the same");
    if (code) CheckCode(*code);
  }

  if (auto code = ParseStepUpBody(input)) {
    auto again = ParseStepUpBody(Object({{"code", &*code}}));
    if (!again || *again != *code) Broken("step-up code written back reads the same");
    CheckCode(*code);
  }

  if (auto change = ParsePasswordChangeBody(input)) {
    auto again =
        ParsePasswordChangeBody(Object({{"current", &change->current}, {"new", &change->next}}));
    if (!again || again->current != change->current || again->next != change->next)
      Broken("password change fields written back read the same");
  }
  return 0;
}
