// Finding audit entries by patient, acting account, time and outcome, newest first.
//
// Candidates come from the blind index (the patient's term, else the account's) or,
// without either, from the log itself, bounded by time; each candidate is opened and
// checked exactly, so the index never decides what is returned. A search that has to
// open many entries without finding a page stops after `max_opened` and says where to
// resume: the security officer's client follows the next link.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.h"

namespace medvault::audit {

struct AuditCriteria {
  std::optional<std::string> patient;     // entries naming this patient
  std::optional<std::string> account_id;  // entries of this account
  int64_t from_ms = INT64_MIN;            // recorded in [from_ms, until_ms)
  int64_t until_ms = INT64_MAX;
  std::vector<std::string> outcomes;  // FHIR outcome codes ("0", "4", "8", "12"); any if empty
  int64_t before_seq = INT64_MAX;     // resume below this entry
  // The page holds whole entries, at most this many AuditEvents (an entry naming several
  // patients yields one per patient) unless a single entry alone exceeds it.
  size_t max_events = 20;
  size_t max_opened = 50'000;
};

struct FoundEntry {
  int64_t seq = 0;
  AuditEvent event;
  size_t events = 0;  // how many AuditEvents it yields under the criteria
};

struct AuditSearchPage {
  std::vector<FoundEntry> entries;
  std::optional<int64_t> next_before;  // where the next page starts, if there may be one
};

Result<AuditSearchPage> SearchAudit(store::Reader& reader, const AuditLog& log,
                                    const AuditCriteria& criteria);

// One entry by its sequence number, or nullopt when there is none.
Result<std::optional<AuditEvent>> ReadAuditEntry(store::Reader& reader, const AuditLog& log,
                                                 int64_t seq);

}  // namespace medvault::audit
