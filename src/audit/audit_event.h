// One audit entry: who did what to which patients' data, when, from where, and how it
// ended. Identifiers only: no patient content ever enters an entry.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace medvault::audit {

struct AuditEvent {
  int64_t time_ms = 0;
  std::string request_id;
  // Who: empty when the request was not authenticated.
  std::string account_id;
  std::string username;
  std::string role;
  std::string session_id;
  std::string client_address;
  std::string user_agent;
  // What: "read", "vread", "history", "search", "create", "update", "delete", "login",
  // "logout", "me", "account-create" …
  std::string interaction;
  std::string resource_type;
  std::string resource_id;
  std::vector<std::string> patients;  // every patient whose data the request touched
  // How it ended: "success", "denied" (policy), "unauthenticated", "invalid", "failed".
  std::string outcome;
  int status = 0;      // the HTTP status sent
  std::string detail;  // e.g. the denial reason; never patient data
  // On what grounds the patients were reached. Both are written only when set, after
  // every other field, so that entries from before they existed keep their exact bytes
  // (and Merkle leaves), and such entries read back with `outside_care` unset: unknown.
  //
  // Of `patients`, those reached outside a care relationship (a break-the-glass grant, a
  // directory result); set, possibly empty, on every entry of a request that named
  // patients.
  std::optional<std::vector<std::string>> outside_care;
  // Of `patients`, those of whom only minimal identity was sent (directory results).
  std::vector<std::string> minimal_identity;
  // The server process that appended the entry, when several share one database
  // (PostgreSQL): each node learns the others' traffic from the entries not its own.
  // Written last and only when set, like the fields above.
  std::string node;
};

// The canonical byte form of an entry (compact JSON, fixed field order): what is
// sealed at rest and, with the audit-log issue, what the Merkle leaf hashes.
std::string CanonicalJson(const AuditEvent& event);
Result<AuditEvent> ParseCanonicalJson(std::string_view json);
// What `audit verify` reads of every entry, and a breach report's scan looks at first.
struct EntryHead {
  int64_t time_ms = 0;  // 0 when there is no integer "time"
  // Empty when absent. They point into a per-thread parser: valid until the next
  // CanonicalJsonHead on the same thread.
  std::string_view account_id;
  std::string_view client_address;
  std::string_view resource_type;
  bool odd = false;  // one of those three is not a string: only a full parse says more
};
// The head of an entry, with ParseCanonicalJson's checks (valid UTF-8 JSON, an object)
// but without building the event: `audit verify` needs only that, for every entry, and
// this costs a seventh of a full parse.
Result<EntryHead> CanonicalJsonHead(std::string_view json);

}  // namespace medvault::audit
