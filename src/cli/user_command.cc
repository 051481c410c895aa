#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iostream>

#include "cli/account_creation.h"
#include "cli/commands.h"
#include "cli/runtime.h"
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
  std::printf("%-24s %-17s %-10s %-36s\n", "USERNAME", "ROLE", "STATUS", "ORGANIZATION");
  for (const auto& a : *accounts)
    std::printf("%-24s %-17s %-10s %-36s\n", a.username.c_str(), a.role.c_str(), a.status.c_str(),
                a.organization_id.empty() ? "-" : a.organization_id.c_str());
  return 0;
}

}  // namespace medvault::cli
