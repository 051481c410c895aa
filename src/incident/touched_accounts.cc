#include "incident/touched_accounts.h"

#include <algorithm>
#include <set>

#include "audit/audit_search.h"

namespace medvault::incident {
namespace {

bool IsFhirInteraction(std::string_view interaction) {
  for (std::string_view i : {"read", "vread", "history", "search", "create", "update", "delete"})
    if (interaction == i) return true;
  return false;
}

bool IsPatientId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::ranges::all_of(id, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

}  // namespace

Result<std::vector<std::string>> AccountsThatTouched(store::Reader& reader,
                                                     const audit::AuditLog& log,
                                                     std::span<const std::string> patients,
                                                     int64_t since_ms, int64_t until_ms) {
  for (const std::string& patient : patients)
    if (!IsPatientId(patient))
      return Fail(ErrorCode::kInvalid, "a patient id is 1 to 64 letters, digits, '-' or '.'");
  std::set<std::string> accounts;
  auto snapshot = reader.BeginSnapshot();
  for (const std::string& patient : patients) {
    audit::AuditCriteria criteria;
    criteria.patient = patient;
    criteria.from_ms = since_ms;
    criteria.until_ms = until_ms;
    criteria.max_events = 1000;
    for (;;) {
      ASSIGN_OR_RETURN(audit::AuditSearchPage page, audit::SearchAudit(reader, log, criteria));
      for (const audit::FoundEntry& found : page.entries) {
        const audit::AuditEvent& e = found.event;
        if (!e.account_id.empty() && e.status >= 200 && e.status < 300 &&
            IsFhirInteraction(e.interaction))
          accounts.insert(e.account_id);
      }
      if (!page.next_before) break;
      criteria.before_seq = *page.next_before;
    }
  }
  return std::vector<std::string>(accounts.begin(), accounts.end());
}

}  // namespace medvault::incident
