#include "audit/audit_search.h"

#include <algorithm>

#include "audit/fhir_audit_event.h"

namespace medvault::audit {
namespace {

constexpr int64_t kBatch = 256;

// How many AuditEvents `e` yields under `c`: 0 when it does not match.
size_t EventsUnder(const AuditCriteria& c, const AuditEvent& e) {
  if (e.time_ms < c.from_ms || e.time_ms >= c.until_ms) return 0;
  if (c.account_id && e.account_id != *c.account_id) return 0;
  if (!c.outcomes.empty() &&
      std::ranges::find(c.outcomes, FhirOutcomeCode(e.outcome)) == c.outcomes.end())
    return 0;
  if (c.patient) return std::ranges::find(e.patients, *c.patient) == e.patients.end() ? 0 : 1;
  return std::max<size_t>(1, e.patients.size());
}

}  // namespace

Result<AuditSearchPage> SearchAudit(store::Reader& reader, const AuditLog& log,
                                    const AuditCriteria& c) {
  store::AuditScan scan;
  if (c.patient) {
    scan.term = log.PatientTerm(*c.patient);
  } else if (c.account_id) {
    scan.term = log.AgentTerm(*c.account_id);
  }
  scan.before_seq = c.before_seq;
  scan.from_ms = c.from_ms;
  scan.until_ms = c.until_ms;
  scan.limit = kBatch;
  AuditSearchPage page;
  size_t events = 0;
  size_t opened = 0;
  for (;;) {
    ASSIGN_OR_RETURN(auto rows, reader.AuditEntriesBefore(scan));
    for (const store::AuditRow& row : rows) {
      if (opened == c.max_opened) {
        page.next_before = row.seq + 1;
        return page;
      }
      ++opened;
      ASSIGN_OR_RETURN(std::string plain, log.OpenEntry(row));
      ASSIGN_OR_RETURN(AuditEvent event, ParseCanonicalJson(plain));
      size_t n = EventsUnder(c, event);
      if (n == 0) continue;
      if (events > 0 && events + n > c.max_events) {
        page.next_before = row.seq + 1;
        return page;
      }
      events += n;
      page.entries.push_back({row.seq, std::move(event), n});
      if (events >= c.max_events) {
        page.next_before = row.seq;
        return page;
      }
    }
    if (static_cast<int64_t>(rows.size()) < kBatch) return page;
    scan.before_seq = rows.back().seq;
  }
}

Result<std::optional<AuditEvent>> ReadAuditEntry(store::Reader& reader, const AuditLog& log,
                                                 int64_t seq) {
  ASSIGN_OR_RETURN(auto rows, reader.AuditEntries(seq, 1));
  if (rows.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(std::string plain, log.OpenEntry(rows.front()));
  ASSIGN_OR_RETURN(AuditEvent event, ParseCanonicalJson(plain));
  return event;
}

}  // namespace medvault::audit
