// A typical audit entry (a physician reading a patient), with fresh identifiers: what
// the audit benchmarks append.
#pragma once

#include "audit/audit_event.h"
#include "common/random.h"

namespace medvault::bench {

inline audit::AuditEvent SampleAuditEvent(int64_t time_ms = 1'800'000'000'000) {
  audit::AuditEvent e;
  e.time_ms = time_ms;
  e.request_id = NewUuid();
  e.account_id = NewUuid();
  e.username = "dr.martin";
  e.role = "physician";
  e.session_id = NewUuid();
  e.client_address = "192.168.10.24";
  e.user_agent = "Mozilla/5.0 (X11; Linux x86_64) medvault-web/1.0";
  e.interaction = "read";
  e.resource_type = "Patient";
  e.resource_id = NewUuid();
  e.patients = {e.resource_id};
  e.outcome = "success";
  e.status = 200;
  return e;
}

// The entry of request `i` in a practice of `accounts` clinicians (ids "bench-account-K")
// sharing 20 patients each ("bench-patient-N"): reads and searches of every patient data
// type, a search naming up to five patients, one access in fifty outside care, one
// entry in ten without patients (logins, listings). What a breach report scans.
inline audit::AuditEvent PracticeAuditEvent(int64_t time_ms, int64_t i, int64_t accounts) {
  static constexpr const char* kTypes[] = {
      "Patient",   "Observation",       "Condition",         "AllergyIntolerance",
      "Encounter", "MedicationRequest", "DocumentReference", "CareTeam"};
  audit::AuditEvent e = SampleAuditEvent(time_ms);
  const int64_t account = i % accounts;
  e.account_id = "bench-account-" + std::to_string(account);
  e.username = "dr.bench" + std::to_string(account);
  e.client_address =
      "10.1." + std::to_string(account / 256 % 256) + "." + std::to_string(account % 256);
  const int64_t kind = (i / accounts) % 10;
  e.resource_type = kTypes[(i / accounts) % 8];
  e.patients.clear();
  if (kind == 9) {
    e.interaction = "login";
    e.resource_type.clear();
    e.resource_id.clear();
    return e;
  }
  const int64_t first = account * 20 + (i / accounts) % 20;
  const int64_t named = kind < 6 ? 1 : 1 + (i / accounts) % 5;
  e.interaction = kind < 6 ? "read" : "search";
  if (kind >= 6) e.resource_id.clear();
  for (int64_t k = 0; k < named; ++k)
    e.patients.push_back("bench-patient-" + std::to_string((first + k) % (accounts * 20)));
  e.outside_care = std::vector<std::string>{};
  if (i % 50 == 0) e.outside_care->push_back(e.patients.front());
  return e;
}

}  // namespace medvault::bench
