#include "incident/breach_report.h"

#include <algorithm>

#include "common/time_format.h"
#include "incident/breach_scan.h"

namespace medvault::incident {
namespace {

bool IsAccountId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::ranges::all_of(id, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

// IPv4, IPv6 (with a zone) or a host name: nothing JSON would escape.
bool IsClientAddress(std::string_view address) {
  if (address.empty() || address.size() > 64) return false;
  return std::ranges::all_of(address, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == ':' || c == '%' || c == '_';
  });
}

// What the detector did with the alert, where it did something.
std::string MeasureOfAlert(std::string_view kind) {
  if (kind == "budget-exhausted" || kind == "repeated-denials")
    return "a fresh code demanded on every session";
  if (kind == "budget-refused") return "refused and throttled";
  if (kind == "session-moved") return "the session ended";
  return "";
}

constexpr int64_t kAlertsPerAccount = 1000;

}  // namespace

Status CheckScope(const BreachScope& scope) {
  if (scope.accounts.empty() && scope.client_address.empty())
    return Fail(ErrorCode::kInvalid, "name at least one account or a client address");
  for (const std::string& account : scope.accounts)
    if (!IsAccountId(account))
      return Fail(ErrorCode::kInvalid, "an account id is 1 to 64 letters, digits, '-' or '.'");
  if (!scope.client_address.empty() && !IsClientAddress(scope.client_address))
    return Fail(ErrorCode::kInvalid, "the client address is not an IP address");
  if (scope.since_ms >= scope.until_ms)
    return Fail(ErrorCode::kInvalid, "the window is empty: since must be before until");
  return Ok();
}

std::optional<int64_t> ParseScopeTime(std::string_view text) {
  std::optional<Time> t;
  if (text.size() == 10) {
    t = ParseInstant(std::string(text) + "T00:00:00Z");
  } else {
    t = ParseInstant(text);
  }
  if (!t) return std::nullopt;
  return ToUnixMillis(*t);
}

Result<BreachReport> BuildBreachReport(const BreachScope& scope, const VerifyWith& verify,
                                       store::Reader& reader, int64_t now_ms) {
  TRY(CheckScope(scope));
  BreachReport report;
  report.scope = scope;
  std::ranges::sort(report.scope.accounts);
  report.scope.accounts.erase(std::ranges::unique(report.scope.accounts).begin(),
                              report.scope.accounts.end());
  report.generated_at_ms = now_ms;
  BreachScanner scanner(report.scope);
  ASSIGN_OR_RETURN(report.verification, verify(&scanner));
  ASSIGN_OR_RETURN(BreachTally tally, std::move(scanner).Take());
  std::move(tally).Fill(report);

  // The accounts' state now, and what was raised about them.
  std::vector<std::string> accounts = report.scope.accounts;
  for (ScopeAccount& a : report.accounts) {
    accounts.push_back(a.id);
    ASSIGN_OR_RETURN(auto row, reader.AccountById(a.id));
    if (row) a.status = row->status;
  }
  std::ranges::sort(accounts);
  accounts.erase(std::ranges::unique(accounts).begin(), accounts.end());
  for (const std::string& account : accounts) {
    ASSIGN_OR_RETURN(auto alerts, reader.Alerts({account, "", "", kAlertsPerAccount}));
    for (const store::AlertRow& alert : alerts) {
      if (alert.created_at_ms < scope.since_ms) continue;
      report.detections.push_back({alert.created_at_ms, alert.audit_seq, alert.account_id,
                                   alert.kind, alert.severity, MeasureOfAlert(alert.kind)});
    }
  }
  std::ranges::sort(report.detections, [](const Detection& a, const Detection& b) {
    return std::tie(a.time_ms, a.audit_seq) < std::tie(b.time_ms, b.audit_seq);
  });
  return report;
}

}  // namespace medvault::incident
