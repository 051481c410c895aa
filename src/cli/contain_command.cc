// `medvault contain`: the security officer's containment from the server's shell, for
// one account, a list, or every account that touched a set of patients. It writes to the
// same database as a running server (WAL; the server's next request reads the account
// and session rows again), in one commit with one audit entry per account, as the API's
// POST /security/accounts/{id}/contain does. Everything is checked before anything is
// written: a bad name, file or action changes nothing.
#include <iostream>
#include <map>

#include "cli/account_creation.h"
#include "cli/incident_commands.h"
#include "cli/incident_support.h"
#include "cli/runtime.h"
#include "common/time_format.h"
#include "crypto/password_hash.h"
#include "identity/containment.h"
#include "identity/password_policy.h"
#include "incident/breach_report.h"
#include "incident/touched_accounts.h"

namespace medvault::cli {
namespace {

constexpr const char* kCommand = "medvault contain";

// The accounts the options name, by id, each once.
Result<std::map<std::string, store::AccountRow>> AccountsNamed(Runtime& rt,
                                                               const ContainOptions& o) {
  std::vector<std::string> references = o.accounts;
  if (!o.accounts_file.empty()) {
    ASSIGN_OR_RETURN(auto listed, ReadListFile(o.accounts_file));
    references.insert(references.end(), listed.begin(), listed.end());
  }
  store::Reader& reader = rt.store->reader();
  if (!o.touched_patients_file.empty()) {
    ASSIGN_OR_RETURN(auto patients, ReadListFile(o.touched_patients_file));
    for (std::string& p : patients)
      if (p.starts_with("Patient/")) p.erase(0, 8);
    if (patients.empty())
      return Fail(ErrorCode::kInvalid, o.touched_patients_file + " lists no patient");
    int64_t since = std::numeric_limits<int64_t>::min();
    int64_t until = std::numeric_limits<int64_t>::max();
    for (auto [text, bound] : {std::pair{&o.since, &since}, {&o.until, &until}}) {
      if (text->empty()) continue;
      auto ms = incident::ParseScopeTime(*text);
      if (!ms)
        return Fail(ErrorCode::kInvalid,
                    "--since and --until take an RFC 3339 instant or a date (YYYY-MM-DD)");
      *bound = *ms;
    }
    ASSIGN_OR_RETURN(auto touched,
                     incident::AccountsThatTouched(reader, *rt.audit, patients, since, until));
    std::cerr << kCommand << ": " << touched.size() << " accounts touched the " << patients.size()
              << " patients listed\n";
    references.insert(references.end(), touched.begin(), touched.end());
  }
  std::map<std::string, store::AccountRow> accounts;
  for (const std::string& reference : references) {
    ASSIGN_OR_RETURN(store::AccountRow row, ResolveAccount(reader, reference));
    accounts.emplace(row.id, std::move(row));
  }
  return accounts;
}

}  // namespace

int RunContain(const ContainOptions& o) {
  if (!identity::IsContainmentAction(o.action)) {
    std::cerr << kCommand << ": unknown action " << o.action << "\n";
    return 2;
  }
  if (o.accounts.empty() && o.accounts_file.empty() && o.touched_patients_file.empty()) {
    std::cerr << kCommand
              << ": name the accounts: --account, --accounts-file or --touched-patients-file\n";
    return 2;
  }
  if ((!o.since.empty() || !o.until.empty()) && o.touched_patients_file.empty()) {
    std::cerr << kCommand << ": --since and --until go with --touched-patients-file\n";
    return 2;
  }
  auto rt = OpenRuntime(o.data_dir);
  if (!rt) {
    std::cerr << kCommand << ": " << rt.error().message << "\n";
    return 1;
  }
  Runtime& r = **rt;
  auto accounts = AccountsNamed(r, o);
  if (!accounts) {
    std::cerr << kCommand << ": " << accounts.error().message << "\n";
    return 1;
  }
  if (accounts->empty()) {
    std::cerr << kCommand << ": no account to contain\n";
    return 1;
  }
  int64_t now = ToUnixMillis(r.clock.Now());
  std::vector<store::WriteJob> writes;
  for (const auto& [id, account] : *accounts) {
    identity::ContainmentInputs inputs;
    inputs.throttle_until_ms = now + r.detector->options().throttle_duration_ms;
    if (o.action == "require-reset" && !o.dry_run) {
      auto hash = crypto::HashPassword(identity::GeneratePassword());
      if (!hash) {
        std::cerr << kCommand << ": " << hash.error().message << "\n";
        return 1;
      }
      inputs.unknown_password_hash = std::move(*hash);
    } else if (o.action == "require-reset") {
      inputs.unknown_password_hash = "(dry run)";
    }
    auto write = identity::ContainmentWrite(o.action, account, now, std::move(inputs));
    if (!write) {
      std::cerr << kCommand << ": " << account.username << ": " << write.error().message
                << "; nothing was changed\n";
      return 1;
    }
    writes.push_back(std::move(*write));
  }
  if (!o.dry_run) {
    Status done = r.store->Write([&](store::Transaction& txn) -> Status {
      size_t i = 0;
      for (const auto& [id, account] : *accounts) {
        TRY(writes[i++](txn));
        // As the API records it: the action in the detail.
        audit::AuditEvent event = CommandLineEvent(r.clock, account, "contain");
        event.detail = "containment: " + o.action;
        TRY(r.audit->Append(txn, event));
      }
      return Ok();
    });
    if (!done) {
      std::cerr << kCommand << ": " << done.error().message << "; nothing was changed\n";
      return 1;
    }
  }
  for (const auto& [id, account] : *accounts) {
    std::cout << "{\"account\":\"" << id << "\",\"username\":\"" << account.username
              << "\",\"role\":\"" << account.role << "\",\"action\":\"" << o.action
              << "\",\"at\":\"" << FormatInstant(FromUnixMillis(now)) << "\""
              << (o.dry_run ? ",\"dry_run\":true" : "") << "}\n";
  }
  return 0;
}

}  // namespace medvault::cli
