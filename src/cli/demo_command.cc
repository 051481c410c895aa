// medvault demo: a fresh data directory holding a synthetic French general practice
// (src/sim: practices, their staff and accounts, patients with years of history),
// loaded through the importer, then the server. Prints one account per role.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>

#include "cli/account_creation.h"
#include "cli/commands.h"
#include "cli/importer.h"
#include "cli/private_file.h"
#include "cli/serve_command.h"
#include "identity/password_policy.h"
#include "sim/population.h"

namespace medvault::cli {
namespace {

struct DemoAccount {
  std::string username;
  identity::Role role;
  std::string organization_id;
  std::string practitioner_id;
  std::string password;
  std::string totp_secret;
};

Status WritePrivateFile(const std::string& path, const std::string& text) {
  ASSIGN_OR_RETURN(std::ofstream out, CreatePrivateFile(path));
  if (!(out << text).flush()) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  return Ok();
}

// Feeds the generated population to the importer in batches, and shows progress.
class ImportingSink final : public sim::ResourceSink {
 public:
  explicit ImportingSink(Runtime& rt) : importer_(rt) {}

  void Emit(fhir::ResourceType type, const std::string& id, std::string json) override {
    if (!status_) return;
    batch_.push_back({"generated " + std::string(fhir::NameOf(type)) + "/" + id, std::move(json)});
    ++resources_;
    if (batch_.size() >= kBatch) Flush();
  }
  void Account(const sim::SimAccount& account) override { accounts_.push_back(account); }
  void Progress(int64_t done, int64_t total) override {
    auto now = std::chrono::steady_clock::now();
    if (done < total && now - last_progress_ < std::chrono::seconds(1)) return;
    last_progress_ = now;
    std::fprintf(stderr, "\r  building the population: %lld / %lld patients, %lld resources",
                 static_cast<long long>(done), static_cast<long long>(total),
                 static_cast<long long>(resources_));
    if (done == total) std::fputc('\n', stderr);
  }

  Status Finish() {
    Flush();
    return status_;
  }
  const std::vector<sim::SimAccount>& accounts() const { return accounts_; }

 private:
  static constexpr size_t kBatch = 5000;
  void Flush() {
    if (status_ && !batch_.empty()) status_ = importer_.ImportBatch(batch_);
    batch_.clear();
  }

  Importer importer_;
  std::vector<ImportItem> batch_;
  std::vector<sim::SimAccount> accounts_;
  Status status_ = Ok();
  int64_t resources_ = 0;
  std::chrono::steady_clock::time_point last_progress_{};
};

Result<std::vector<DemoAccount>> BuildPopulation(Runtime& rt, const DemoOptions& options) {
  sim::PopulationOptions population;
  population.seed = options.seed;
  population.patients = options.patients;
  population.now_ms = ToUnixMillis(rt.clock.Now());
  ImportingSink sink(rt);
  sim::GeneratePopulation(population, sink);
  TRY(sink.Finish());

  std::vector<DemoAccount> accounts;
  for (const sim::SimAccount& a : sink.accounts()) {
    auto role = identity::ParseRole(a.role);
    if (!role) return Fail(ErrorCode::kInternal, "the population has an unknown role");
    accounts.push_back({a.username, *role, a.organization_id, a.practitioner_id, "", ""});
  }
  accounts.push_back({"dpo.demo", identity::Role::kSecurityOfficer, "", "", "", ""});
  accounts.push_back({"admin.demo", identity::Role::kAdmin, "", "", "", ""});
  std::fprintf(stderr, "  creating %zu accounts (Argon2id, TOTP)\n", accounts.size());
  for (DemoAccount& a : accounts) {
    a.password = identity::GeneratePassword();
    identity::NewAccount account{a.username, a.role, a.organization_id, a.practitioner_id,
                                 a.password};
    ASSIGN_OR_RETURN(store::AccountRow row, CreateAccount(*rt.store, *rt.audit, rt.clock, account));
    // Demo accounts come enrolled, so that a visitor can log in with any TOTP app (or
    // `oathtool --totp -b SECRET`) straight away.
    ASSIGN_OR_RETURN(TotpEnrolled totp, EnrollTotpNow(rt, row));
    a.totp_secret = std::move(totp.secret_base32);
  }
  return accounts;
}

std::string AccountsJson(const std::vector<DemoAccount>& accounts) {
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
    for (const DemoAccount& a : *accounts) {
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
        << "  stop with Ctrl-C" << std::endl;
  });
}

}  // namespace medvault::cli
