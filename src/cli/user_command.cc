#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iostream>
#include <optional>

#include "cli/account_creation.h"
#include "cli/commands.h"
#include "cli/runtime.h"
#include "crypto/password_hash.h"
#include "identity/account_actions.h"
#include "identity/login_throttle.h"
#include "identity/password_policy.h"

namespace medvault::cli {

int RunUserAdd(const UserAddOptions& options) {
  auto role = identity::ParseRole(options.role);
  if (!role) {
    std::cerr << "medvault user add: unknown role \"" << options.role
              << "\" (physician, nurse, secretary, security_officer, admin)\n";
    return 2;
  }
  auto rt = OpenRuntime(options.data_dir);
  if (!rt) {
    std::cerr << "medvault user add: " << rt.error().message << "\n";
    return 1;
  }
  identity::NewAccount account{options.username, *role, options.organization, options.practitioner,
                               ""};
  bool generated = !options.password_stdin;
  if (options.password_stdin) {
    std::getline(std::cin, account.password);
    if (!account.password.empty() && account.password.back() == '\r') account.password.pop_back();
  } else {
    account.password = identity::GeneratePassword();
  }
  auto row = CreateAccount(*(*rt)->store, *(*rt)->audit, (*rt)->clock, account);
  if (!row) {
    std::cerr << "medvault user add: " << row.error().message << "\n";
    return 1;
  }
  std::optional<TotpEnrolled> totp;
  if (options.enroll_totp) {
    auto enrolled = EnrollTotpNow(**rt, *row);
    if (!enrolled) {
      std::cerr << "medvault user add: the account was created, but TOTP enrolment failed: "
                << enrolled.error().message << "\n";
      return 1;
    }
    totp = std::move(*enrolled);
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("username");
  w.String(row->username.c_str());
  w.Key("role");
  w.String(row->role.c_str());
  w.Key("id");
  w.String(row->id.c_str());
  if (generated) {
    w.Key("password");
    w.String(account.password.c_str());
  }
  if (totp) {
    w.Key("totp_secret");
    w.String(totp->secret_base32.c_str());
    w.Key("otpauth_uri");
    w.String(totp->otpauth_uri.c_str());
    w.Key("recovery_codes");
    w.StartArray();
    for (const std::string& code : totp->recovery_codes) w.String(code.c_str());
    w.EndArray();
  }
  w.EndObject();
  std::cout << buffer.GetString() << "\n";
  return 0;
}

int RunUserList(const std::string& data_dir) {
  auto rt = OpenRuntime(data_dir);
  if (!rt) {
    std::cerr << "medvault user list: " << rt.error().message << "\n";
    return 1;
  }
  auto accounts = (*rt)->store->reader().Accounts();
  if (!accounts) {
    std::cerr << "medvault user list: " << accounts.error().message << "\n";
    return 1;
  }
  int64_t now = ToUnixMillis((*rt)->clock.Now());
  std::printf("%-24s %-17s %-10s %-7s %-4s %-36s\n", "USERNAME", "ROLE", "STATUS", "LOCKED", "MFA",
              "ORGANIZATION");
  for (const auto& a : *accounts) {
    auto throttle = (*rt)->store->reader().LoginThrottle(identity::AccountSubject(a.username));
    bool locked = throttle && *throttle && (*throttle)->locked_until_ms > now;
    std::printf("%-24s %-17s %-10s %-7s %-4s %-36s\n", a.username.c_str(), a.role.c_str(),
                a.status.c_str(), locked ? "yes" : "no", a.totp_secret.empty() ? "no" : "yes",
                a.organization_id.empty() ? "-" : a.organization_id.c_str());
  }
  return 0;
}

int RunUserAction(const UserActionOptions& options) {
  const std::string command = "medvault user " + options.action + ": ";
  auto rt = OpenRuntime(options.data_dir);
  if (!rt) {
    std::cerr << command << rt.error().message << "\n";
    return 1;
  }
  auto account = (*rt)->store->reader().AccountByUsername(options.username);
  if (!account || !*account) {
    std::cerr << command
              << (account ? "there is no account named " + options.username
                          : account.error().message)
              << "\n";
    return 1;
  }
  const store::AccountRow& a = **account;
  int64_t now = ToUnixMillis((*rt)->clock.Now());
  if (!identity::IsAccountAction(options.action)) {
    std::cerr << command << "unknown action\n";
    return 2;
  }
  std::string new_password, hash;
  if (options.action == "reset-password") {
    new_password = identity::GeneratePassword();
    auto hashed = crypto::HashPassword(new_password);
    if (!hashed) {
      std::cerr << command << hashed.error().message << "\n";
      return 1;
    }
    hash = std::move(*hashed);
  }
  auto change = identity::AccountActionWrite(options.action, a, now, std::move(hash));
  if (!change) {
    std::cerr << command << change.error().message << "\n";
    return 1;
  }
  if (Status done = AdministerAccount(**rt, a, options.action, *change); !done) {
    std::cerr << command << done.error().message << "\n";
    return 1;
  }
  if (!new_password.empty())
    std::cout << "{\"username\":\"" << a.username << "\",\"password\":\"" << new_password
              << "\",\"password_change_required\":true}\n";
  else
    std::cout << "medvault: " << options.action << " done for " << a.username << "\n";
  return 0;
}

}  // namespace medvault::cli
