// Audit entries for what the operator does from the server's shell (key rotation,
// erasure): the command line has no account, so entries name "(command line)".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/runtime.h"

namespace medvault::cli {

// An entry for `interaction` with `detail` (identifiers and counts only, never patient
// data), naming `patients` when the operation concerns some.
audit::AuditEvent OperatorEvent(const Runtime& rt, std::string_view interaction, std::string detail,
                                std::vector<std::string> patients = {});

// Appends OperatorEvent(...) in `txn`, with `log` (rt.audit when null).
Status AppendOperatorEvent(const Runtime& rt, store::Transaction& txn, std::string_view interaction,
                           std::string detail, std::vector<std::string> patients = {},
                           const audit::AuditLog* log = nullptr);

}  // namespace medvault::cli
