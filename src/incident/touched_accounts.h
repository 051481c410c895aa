// Which accounts reached a set of patients: the accounts to contain when the patients,
// not the culprit, are what is known (a leaked list, a complaint, a public figure).
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "store/store.h"

namespace medvault::incident {

// The accounts whose successful FHIR interactions (reads, searches, writes) named any
// of `patients` in [since_ms, until_ms), sorted. Found through the audit log's blind
// index by patient, each entry opened and checked, without a verification pass:
// containment comes first, and the breach report that follows verifies the whole log.
// kInvalid for a patient id that is not a FHIR id.
Result<std::vector<std::string>> AccountsThatTouched(
    store::Reader& reader, const audit::AuditLog& log, std::span<const std::string> patients,
    int64_t since_ms = std::numeric_limits<int64_t>::min(),
    int64_t until_ms = std::numeric_limits<int64_t>::max());

}  // namespace medvault::incident
