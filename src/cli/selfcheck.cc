// The self-check's checks on the database: accounts, alerts, keys and the audit log.
#include "cli/selfcheck.h"

#include <sys/stat.h>

#include <algorithm>
#include <map>

#include "audit/merkle.h"
#include "audit/stored_subtrees.h"
#include "cli/audit_verification.h"
#include "cli/data_dir_lock.h"
#include "cli/key_files.h"
#include "cli/signing_keys.h"
#include "common/time_format.h"
#include "identity/login_throttle.h"

namespace medvault::cli {
namespace {

using api::Finding;
using api::Severity;

constexpr int64_t kDayMs = 86'400'000;

std::string Days(int64_t ms) { return std::to_string(ms / kDayMs) + " days"; }
std::string Date(int64_t ms) { return FormatInstant(FromUnixMillis(ms)).substr(0, 10); }

bool ReachesPatientData(std::string_view role) {
  return role == "physician" || role == "nurse" || role == "secretary";
}

Status CheckAccounts(Runtime& rt, const SelfCheckOptions& options, int64_t now,
                     std::vector<Finding>& out) {
  store::Reader& reader = rt.store->reader();
  ASSIGN_OR_RETURN(auto accounts, reader.Accounts());
  ASSIGN_OR_RETURN(auto logins, reader.LastLogins());
  std::map<std::string, int64_t, std::less<>> last_login(logins.begin(), logins.end());
  const int64_t dormant_ms = options.dormant_days * kDayMs;
  for (const store::AccountRow& a : accounts) {
    const bool usable = a.status == "active";
    if (usable && a.totp_secret.empty())
      out.push_back({ReachesPatientData(a.role) ? Severity::kHigh : Severity::kMedium, "mfa",
                     a.username,
                     a.role + " account without a second factor: whoever has its password "
                              "enrols their own phone at first login; enrol it now "
                              "(`user add --enroll-totp`) or suspend it"});
    if (usable) {
      auto seen = last_login.find(a.id);
      int64_t since = seen != last_login.end() ? seen->second : a.created_at_ms;
      if (now - since > dormant_ms)
        out.push_back(
            {a.role == "admin" || a.role == "security_officer" ? Severity::kMedium : Severity::kLow,
             "dormant-account", a.username,
             (seen != last_login.end() ? "no login for " + Days(now - since)
                                       : "never logged in, created " + Days(now - since) + " ago") +
                 ": suspend it if nobody needs it (`user suspend`)"});
    }
    if (a.status == "locked")
      out.push_back({Severity::kMedium, "locked-account", a.username,
                     "locked by the security officer (containment): unlock once investigated"});
    ASSIGN_OR_RETURN(auto throttle, reader.LoginThrottle(identity::AccountSubject(a.username)));
    if (throttle && throttle->locked_until_ms > now)
      out.push_back({Severity::kMedium, "locked-account", a.username,
                     "locked after " + std::to_string(throttle->failures) +
                         " failed logins until " +
                         FormatInstant(FromUnixMillis(throttle->locked_until_ms)) +
                         ": someone may be guessing its password"});
  }
  // Break-the-glass of the last 30 days.
  int64_t grants = 0, accounts_with_grants = 0;
  std::string most;
  size_t most_count = 0;
  for (const store::AccountRow& a : accounts) {
    ASSIGN_OR_RETURN(auto rows, reader.GrantsSince(a.id, now - 30 * kDayMs));
    if (rows.empty()) continue;
    grants += static_cast<int64_t>(rows.size());
    ++accounts_with_grants;
    if (rows.size() > most_count) most_count = rows.size(), most = a.username;
  }
  if (grants > 0)
    out.push_back({Severity::kLow, "break-the-glass", "",
                   std::to_string(grants) + " break-the-glass grants in the last 30 days by " +
                       std::to_string(accounts_with_grants) + " accounts (most: " + most + ", " +
                       std::to_string(most_count) + "): review their alerts"});
  store::AlertQuery open;
  open.state = "open";
  open.limit = 100'000;
  ASSIGN_OR_RETURN(auto alerts, reader.Alerts(open));
  if (!alerts.empty()) {
    std::map<std::string, int64_t> by_severity;
    for (const auto& alert : alerts) ++by_severity[alert.severity];
    Severity severity = by_severity.contains("high")     ? Severity::kHigh
                        : by_severity.contains("medium") ? Severity::kMedium
                                                         : Severity::kLow;
    out.push_back({severity, "open-alerts", "",
                   std::to_string(alerts.size()) + " open alerts (" +
                       std::to_string(by_severity["high"]) + " high, " +
                       std::to_string(by_severity["medium"]) + " medium, " +
                       std::to_string(by_severity["low"]) + " low): GET /security/alerts"});
  }
  return Ok();
}

Status CheckKeys(Runtime& rt, const SelfCheckOptions& options, int64_t now,
                 std::vector<Finding>& out) {
  store::Reader& reader = rt.store->reader();
  ASSIGN_OR_RETURN(auto versions, reader.KeyVersions());
  ASSIGN_OR_RETURN(auto per_version, reader.DataKeysPerKekVersion());
  ASSIGN_OR_RETURN(int current, rt.key_files->CurrentKekVersion());
  std::map<int, int64_t> keys_under(per_version.begin(), per_version.end());
  for (const store::KeyVersionRow& v : versions) {
    const std::string name = v.purpose + " v" + std::to_string(v.version);
    const bool has_file = ::access(KeyFilePath(rt.dir, v.purpose, v.version).c_str(), F_OK) == 0;
    if (v.state == "retired") {
      if (has_file)
        out.push_back({Severity::kMedium, "keys", name,
                       "retired, but its key file is still there: `keys retire --version " +
                           std::to_string(v.version) + "` destroys it"});
      continue;
    }
    if (v.purpose == store::kBlindIndexPurpose) {
      if (v.state == "active")
        out.push_back({Severity::kInfo, "keys", name,
                       "blind-index key, " + v.origin + ", created " + Date(v.created_at_ms)});
      continue;
    }
    const int64_t under = keys_under.contains(v.version) ? keys_under[v.version] : 0;
    if (v.version == current) {
      const int64_t age = now - v.created_at_ms;
      out.push_back(
          {age > options.kek_max_age_days * kDayMs ? Severity::kMedium : Severity::kInfo, "keys",
           name,
           "current key-encryption key, created " + Date(v.created_at_ms) + " (" + Days(age) +
               " ago), wraps " + std::to_string(under) + " data keys" +
               (age > options.kek_max_age_days * kDayMs ? ": rotate it (`keys rotate`)" : "")});
    } else if (under > 0) {
      out.push_back({Severity::kMedium, "keys", name,
                     std::to_string(under) + " data keys are still wrapped under this older "
                                             "version: `keys rotate --resume`"});
    } else {
      out.push_back({Severity::kLow, "keys", name,
                     "wraps no data key any more: retire it (`keys retire --version " +
                         std::to_string(v.version) + "`)"});
    }
  }
  struct stat st {};
  if (::stat(rt.dir.signing_key().c_str(), &st) == 0) {
    const int64_t since = static_cast<int64_t>(st.st_mtime) * 1000;
    const bool old = now - since > options.signing_key_max_age_days * kDayMs;
    out.push_back({old ? Severity::kLow : Severity::kInfo, "keys", "signing key",
                   "audit signing key in use since " + Date(since) +
                       (old ? ": rotate it (`keys rotate-signing`)" : "")});
  }
  return Ok();
}

// The last signed head: its signature, its root against the stored tree, and whether
// entries have waited too long for one.
Status CheckLastHead(Runtime& rt, int64_t now, std::vector<Finding>& out) {
  store::Reader& reader = rt.store->reader();
  auto snapshot = reader.BeginSnapshot();
  ASSIGN_OR_RETURN(int64_t count, reader.AuditLastSequence());
  ASSIGN_OR_RETURN(auto head, reader.LatestTreeHead());
  ASSIGN_OR_RETURN(auto keys, LoadSigningKeys(rt.dir, rt.signing_key->public_key()));
  if (head) {
    bool signed_ok = std::ranges::any_of(
        keys, [&](const crypto::PublicKey& k) { return audit::VerifyTreeHead(k, *head); });
    audit::StoredSubtrees stored(reader, {ErrorCode::kInvalid, "a stored subtree is missing", {}});
    auto frontier = audit::MerkleFrontier::Restore(static_cast<uint64_t>(head->size), stored);
    if (!signed_ok || !frontier || frontier->Root() != head->root)
      out.push_back(
          {Severity::kHigh, "audit-log", "",
           "the last signed head (size " + std::to_string(head->size) + ") " +
               (!signed_ok ? "has an invalid signature" : "does not match the stored tree") +
               ": run `medvault audit verify`"});
    else
      out.push_back({Severity::kInfo, "audit-log", "",
                     "last signed head: " + std::to_string(head->size) + " of " +
                         std::to_string(count) + " entries, signed " +
                         FormatInstant(FromUnixMillis(head->timestamp_ms))});
  }
  const int64_t covered = head ? head->size : 0;
  if (count > covered) {
    // A running server signs a head within a second of new entries; a stopped one signs
    // at its next start (commands run without a server append entries too).
    ASSIGN_OR_RETURN(auto first, reader.AuditEntries(covered + 1, 1));
    const bool late = !first.empty() && now - first.front().recorded_at_ms > 60'000;
    if (late && DataDirLock::InUse(rt.dir))
      out.push_back({Severity::kHigh, "audit-log", "",
                     std::to_string(count - covered) +
                         " entries have waited more than a minute for a signed head while the "
                         "server runs: is its signer working?"});
    else
      out.push_back({Severity::kInfo, "audit-log", "",
                     std::to_string(count - covered) +
                         " entries are not covered by a signed head yet (the server signs them "
                         "within a second while it runs)"});
  }
  return Ok();
}

}  // namespace

Result<api::PostureReport> CheckPosture(Runtime& rt, const SelfCheckOptions& options) {
  api::PostureReport report;
  const int64_t now = ToUnixMillis(rt.clock.Now());
  report.generated_at_ms = now;
  std::vector<Finding>& out = report.findings;
  CheckFiles(rt.dir, &rt.config, out);
  CheckTls(rt.dir, rt.config, now, options.certificate_warn_days, out);
  TRY(CheckAccounts(rt, options, now, out));
  TRY(CheckKeys(rt, options, now, out));
  if (options.thorough) {
    auto verified = VerifyAuditLog(rt);
    if (verified)
      out.push_back({Severity::kInfo, "audit-log", "", *verified});
    else
      out.push_back({Severity::kHigh, "audit-log", "",
                     "the audit log does not verify: " + verified.error().message});
  }
  TRY(CheckLastHead(rt, now, out));
  SortFindings(out);
  return report;
}

}  // namespace medvault::cli
