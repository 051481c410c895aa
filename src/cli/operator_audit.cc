#include "cli/operator_audit.h"

#include "common/random.h"

namespace medvault::cli {

audit::AuditEvent OperatorEvent(const Runtime& rt, std::string_view interaction, std::string detail,
                                std::vector<std::string> patients) {
  audit::AuditEvent event;
  event.time_ms = ToUnixMillis(rt.clock.Now());
  event.request_id = NewUuid();
  event.username = "(command line)";
  event.interaction = interaction;
  event.patients = std::move(patients);
  event.outcome = "success";
  event.detail = std::move(detail);
  return event;
}

Status AppendOperatorEvent(const Runtime& rt, store::Transaction& txn, std::string_view interaction,
                           std::string detail, std::vector<std::string> patients,
                           const audit::AuditLog* log) {
  const audit::AuditLog& audit = log != nullptr ? *log : *rt.audit;
  TRY(audit.Append(txn, OperatorEvent(rt, interaction, std::move(detail), std::move(patients))));
  return Ok();
}

}  // namespace medvault::cli
