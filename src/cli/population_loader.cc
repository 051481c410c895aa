#include "cli/population_loader.h"

#include <chrono>
#include <cstdio>

#include "cli/account_creation.h"
#include "cli/importer.h"
#include "identity/password_policy.h"

namespace medvault::cli {
namespace {

// Feeds the generated population to the importer in batches, and shows progress.
class ImportingSink final : public sim::ResourceSink {
 public:
  ImportingSink(Runtime& rt, const ResourceObserver& observe) : importer_(rt), observe_(observe) {}

  void Emit(fhir::ResourceType type, const std::string& id, std::string json) override {
    if (!status_) return;
    if (observe_) observe_(type, id, json);
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
  const ResourceObserver& observe_;
  std::vector<ImportItem> batch_;
  std::vector<sim::SimAccount> accounts_;
  Status status_ = Ok();
  int64_t resources_ = 0;
  std::chrono::steady_clock::time_point last_progress_{};
};

}  // namespace

Result<std::vector<LoadedAccount>> LoadPopulation(Runtime& rt,
                                                  const sim::PopulationOptions& options,
                                                  const ResourceObserver& observe,
                                                  const crypto::PasswordHashCost& password_cost) {
  ImportingSink sink(rt, observe);
  sim::GeneratePopulation(options, sink);
  TRY(sink.Finish());

  std::vector<LoadedAccount> accounts;
  for (const sim::SimAccount& a : sink.accounts()) {
    auto role = identity::ParseRole(a.role);
    if (!role) return Fail(ErrorCode::kInternal, "the population has an unknown role");
    accounts.push_back({a.username, *role, a.organization_id, a.practitioner_id, "", ""});
  }
  accounts.push_back({"dpo.demo", identity::Role::kSecurityOfficer, "", "", "", ""});
  accounts.push_back({"admin.demo", identity::Role::kAdmin, "", "", "", ""});
  std::fprintf(stderr, "  creating %zu accounts (Argon2id, TOTP)\n", accounts.size());
  for (LoadedAccount& a : accounts) {
    a.password = identity::GeneratePassword();
    identity::NewAccount account{a.username, a.role, a.organization_id, a.practitioner_id,
                                 a.password};
    ASSIGN_OR_RETURN(store::AccountRow row,
                     CreateAccount(*rt.store, *rt.audit, rt.clock, account, false, password_cost));
    // Enrolled at creation, so that a person can log in with any TOTP app (or
    // `oathtool --totp -b SECRET`) straight away.
    ASSIGN_OR_RETURN(TotpEnrolled totp, EnrollTotpNow(rt, row));
    a.totp_secret = std::move(totp.secret_base32);
  }
  return accounts;
}

}  // namespace medvault::cli
