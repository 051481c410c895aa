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

}  // namespace medvault::bench
