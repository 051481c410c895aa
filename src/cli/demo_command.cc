// medvault demo: a fresh data directory with one practice, one account per role, and
// the server running. (The synthetic population comes with its own issue.)
#include <fcntl.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "cli/account_creation.h"
#include "cli/commands.h"
#include "cli/directory_writer.h"
#include "cli/serve_command.h"
#include "identity/password_policy.h"

namespace medvault::cli {
namespace {

constexpr const char* kOrganization = R"({
  "resourceType": "Organization",
  "active": true,
  "name": "Cabinet médical des Lilas",
  "identifier": [{"system": "http://finess.sante.gouv.fr", "value": "930000000"}],
  "telecom": [{"system": "phone", "value": "01 48 00 00 00"}],
  "address": [{"line": ["12 rue des Lilas"], "city": "Les Lilas", "postalCode": "93260",
               "country": "FR"}]
})";

std::string PractitionerJson(const char* family, const char* given, const char* rpps) {
  return std::string(R"({"resourceType":"Practitioner","active":true,"name":[{"family":")") +
         family + R"(","given":[")" + given +
         R"("]}],"identifier":[{"system":"urn:oid:1.2.250.1.71.4.2.1","value":")" + rpps +
         R"("}]})";
}

struct DemoAccount {
  std::string username;
  identity::Role role;
  bool in_practice;
  std::string practitioner_id;
  std::string password;
  std::string totp_secret;
};

Status WritePrivateFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot create " + path);
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  return Ok();
}

Result<std::vector<DemoAccount>> BuildPractice(Runtime& rt, std::string& organization_id) {
  auto write = [&](fhir::ResourceType type, std::string_view json) {
    return CreateDirectoryResource(*rt.store, *rt.keyring, rt.policy, *rt.vault, rt.clock, type,
                                   json);
  };
  ASSIGN_OR_RETURN(organization_id, write(fhir::ResourceType::kOrganization, kOrganization));
  ASSIGN_OR_RETURN(std::string doctor, write(fhir::ResourceType::kPractitioner,
                                             PractitionerJson("Martin", "Claire", "10001234567")));
  ASSIGN_OR_RETURN(std::string nurse, write(fhir::ResourceType::kPractitioner,
                                            PractitionerJson("Bernard", "Julie", "10007654321")));
  std::vector<DemoAccount> accounts = {
      {"dr.martin", identity::Role::kPhysician, true, doctor, "", ""},
      {"inf.bernard", identity::Role::kNurse, true, nurse, "", ""},
      {"sec.petit", identity::Role::kSecretary, true, "", "", ""},
      {"dpo.moreau", identity::Role::kSecurityOfficer, false, "", "", ""},
      {"admin", identity::Role::kAdmin, false, "", "", ""},
  };
  for (DemoAccount& a : accounts) {
    a.password = identity::GeneratePassword();
    identity::NewAccount account{a.username, a.role, a.in_practice ? organization_id : "",
                                 a.practitioner_id, a.password};
    ASSIGN_OR_RETURN(store::AccountRow row, CreateAccount(*rt.store, *rt.audit, rt.clock, account));
    // Demo accounts come enrolled, so that a visitor can log in with any TOTP app (or
    // `oathtool --totp -b SECRET`) straight away.
    ASSIGN_OR_RETURN(TotpEnrolled totp, EnrollTotpNow(rt, row));
    a.totp_secret = std::move(totp.secret_base32);
  }
  return accounts;
}

std::string AccountsJson(const std::vector<DemoAccount>& accounts,
                         const std::string& organization_id) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const DemoAccount& a : accounts) {
    w.StartObject();
    w.Key("username");
    w.String(a.username.c_str());
    w.Key("password");
    w.String(a.password.c_str());
    w.Key("role");
    w.String(std::string(identity::NameOf(a.role)).c_str());
    w.Key("organization");
    w.String(a.in_practice ? organization_id.c_str() : "");
    w.Key("totp_secret");
    w.String(a.totp_secret.c_str());
    w.EndObject();
  }
  w.EndArray();
  return std::string(buffer.GetString()) + "\n";
}

}  // namespace

int RunDemo(const ServeOptions& options) {
  DataDir dir{options.data_dir};
  if (Status s = InitializeDataDir(dir); !s) {
    std::cerr << "medvault demo: " << s.error().message << "\n";
    return 1;
  }
  auto rt = OpenRuntime(options.data_dir);
  if (!rt) {
    std::cerr << "medvault demo: " << rt.error().message << "\n";
    return 1;
  }
  std::string organization_id;
  auto accounts = BuildPractice(**rt, organization_id);
  if (!accounts) {
    std::cerr << "medvault demo: " << accounts.error().message << "\n";
    return 1;
  }
  std::string accounts_file = options.data_dir + "/demo-accounts.json";
  if (Status s = WritePrivateFile(accounts_file, AccountsJson(*accounts, organization_id)); !s) {
    std::cerr << "medvault demo: " << s.error().message << "\n";
    return 1;
  }
  return Serve(**rt, options, [&](const std::string& url) {
    std::cout << "\nmedvault demo: serving " << url << "\n"
              << "  practice: Cabinet médical des Lilas (Organization/" << organization_id
              << ")\n\n"
              << "  ROLE              USERNAME      PASSWORD              TOTP SECRET\n";
    for (const DemoAccount& a : *accounts)
      std::printf("  %-17s %-13s %-21s %s\n", std::string(identity::NameOf(a.role)).c_str(),
                  a.username.c_str(), a.password.c_str(), a.totp_secret.c_str());
    std::cout
        << "\n  all accounts: " << accounts_file << " (0600)\n"
        << "  try:  curl --cacert " << dir.certificate() << " -X POST " << url
        << "/auth/login -H 'Content-Type: application/json' -d "
           "'{\"username\":\"dr.martin\",\"password\":\"…\"}'\n"
        << "        then POST /auth/mfa {\"challenge\":\"…\",\"code\":\"…\"} with the code of "
           "`oathtool --totp -b SECRET`\n"
        << "  stop with Ctrl-C" << std::endl;
  });
}

}  // namespace medvault::cli
