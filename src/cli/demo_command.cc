// medvault demo: a fresh data directory holding a synthetic French general practice
// (src/sim: practices, their staff and accounts, patients with years of history),
// loaded through the importer, then the server. Prints one account per role.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdio>
#include <iostream>
#include <set>

#include "cli/commands.h"
#include "cli/population_loader.h"
#include "cli/private_file.h"
#include "cli/serve_command.h"
#include "sim/population.h"

namespace medvault::cli {
namespace {

Status WritePrivateFile(const std::string& path, const std::string& text) {
  ASSIGN_OR_RETURN(std::ofstream out, CreatePrivateFile(path));
  if (!(out << text).flush()) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  return Ok();
}

Result<std::vector<LoadedAccount>> BuildPopulation(Runtime& rt, const DemoOptions& options) {
  sim::PopulationOptions population;
  population.seed = options.seed;
  population.patients = options.patients;
  population.practices = options.practices;
  population.now_ms = ToUnixMillis(rt.clock.Now());
  return LoadPopulation(rt, population);
}

std::string AccountsJson(const std::vector<LoadedAccount>& accounts) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.StartArray();
  for (const LoadedAccount& a : accounts) {
    w.StartObject();
    w.Key("username");
    w.String(a.username.c_str());
    w.Key("password");
    w.String(a.password.c_str());
    w.Key("role");
    w.String(std::string(identity::NameOf(a.role)).c_str());
    w.Key("organization");
    w.String(a.organization_id.c_str());
    w.Key("totp_secret");
    w.String(a.totp_secret.c_str());
    w.EndObject();
  }
  w.EndArray();
  return std::string(buffer.GetString()) + "\n";
}

}  // namespace

int RunDemo(const DemoOptions& options) {
  DataDir dir{options.serve.data_dir};
  if (Status s = InitializeDataDir(dir); !s) {
    std::cerr << "medvault demo: " << s.error().message << "\n";
    return 1;
  }
  auto rt = OpenRuntime(options.serve.data_dir);
  if (!rt) {
    std::cerr << "medvault demo: " << rt.error().message << "\n";
    return 1;
  }
  auto accounts = BuildPopulation(**rt, options);
  if (!accounts) {
    std::cerr << "medvault demo: " << accounts.error().message << "\n";
    return 1;
  }
  std::string accounts_file = options.serve.data_dir + "/demo-accounts.json";
  if (Status s = WritePrivateFile(accounts_file, AccountsJson(*accounts)); !s) {
    std::cerr << "medvault demo: " << s.error().message << "\n";
    return 1;
  }
  return Serve(**rt, options.serve, [&](const std::string& url) {
    std::cout << "\nmedvault demo: serving " << url << " (" << options.patients
              << " synthetic patients, seed " << options.seed << ")\n\n"
              << "  ROLE              USERNAME                 PASSWORD              TOTP SECRET\n";
    std::set<identity::Role> shown;
    std::string physician;
    for (const LoadedAccount& a : *accounts) {
      if (!shown.insert(a.role).second) continue;
      if (a.role == identity::Role::kPhysician) physician = a.username;
      std::printf("  %-17s %-24s %-21s %s\n", std::string(identity::NameOf(a.role)).c_str(),
                  a.username.c_str(), a.password.c_str(), a.totp_secret.c_str());
    }
    std::cout
        << "\n  all " << accounts->size() << " accounts: " << accounts_file << " (0600)\n"
        << "  try:  curl --cacert " << dir.certificate() << " -X POST " << url
        << "/auth/login -H 'Content-Type: application/json' -d "
           "'{\"username\":\""
        << physician << "\",\"password\":\"…\"}'\n"
        << "        then POST /auth/mfa {\"challenge\":\"…\",\"code\":\"…\"} with the code of "
           "`oathtool --totp -b SECRET`\n"
        << "  in a browser: open " << url
        << "/ (accept the self-signed certificate once) and log in with an account above\n"
        << "  stop with Ctrl-C" << std::endl;
  });
}

}  // namespace medvault::cli
