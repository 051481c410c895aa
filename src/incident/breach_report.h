// The incident module's face: the breach scope report. From the audit log, after the
// log has verified, it says which patients' data one or several accounts (or a client
// address) received over a time window, which categories of data, when first and last,
// how often, and whether inside a care relationship; what the accounts changed; and
// which containment measures followed. Reports name patients by id only; contact details
// for notifying them come from incident/notification.h, for the security officer only.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "audit/log_verifier.h"
#include "common/result.h"
#include "incident/data_categories.h"
#include "store/store.h"

namespace medvault::incident {

// Whose requests, when. An entry is in scope when it is by one of `accounts` (any of
// them; all accounts when empty), from `client_address` (any address when empty) and
// recorded in [since_ms, until_ms). At least an account or an address is required.
struct BreachScope {
  std::vector<std::string> accounts;  // account ids
  std::string client_address;
  int64_t since_ms = std::numeric_limits<int64_t>::min();
  int64_t until_ms = std::numeric_limits<int64_t>::max();  // exclusive
};

// kInvalid, naming the problem, for a scope that names nothing, a malformed account id
// or address, or an empty window.
Status CheckScope(const BreachScope& scope);

// A window's end as the command line and the API take it: an RFC 3339 instant
// ("2026-11-01T08:00:00Z", "2026-11-01T09:00:00+01:00") or a date ("2026-11-01", midnight
// UTC). nullopt for anything else.
std::optional<int64_t> ParseScopeTime(std::string_view text);

// One patient whose data the scope received: successful reads, vreads, histories and
// searches whose answer carried the patient.
struct PatientExposure {
  std::string patient;
  CategorySet categories;
  std::array<int64_t, kCategoryCount> accesses_by_category{};
  int64_t first_ms = 0;
  int64_t last_ms = 0;
  int64_t accesses = 0;
  int64_t outside_care = 0;           // accesses outside a care relationship (grant, directory)
  int64_t basis_unknown = 0;          // accesses from entries that predate the recorded basis
  std::vector<std::string> accounts;  // the accounts that received it, sorted
};

// Per category: how many patients, and how many accesses sent it.
struct CategoryTotal {
  Category category;
  int64_t patients = 0;
  int64_t accesses = 0;
};

// An account that made requests in scope.
struct ScopeAccount {
  std::string id;
  std::string username;  // as the entries recorded it
  std::string role;
  std::string status;  // the account's status now ("active", "locked" …; "" if unknown)
  int64_t requests = 0;
  int64_t refused = 0;  // answered 401, 403 or 429
  int64_t first_ms = 0;
  int64_t last_ms = 0;
  std::vector<std::string> addresses;  // client addresses used, sorted
};

// A patient whose records the scope created, changed or deleted (an integrity breach).
struct ChangedRecords {
  std::string patient;
  int64_t changes = 0;
  int64_t first_ms = 0;
  int64_t last_ms = 0;
};

// A measure taken on an account of the scope at or after the window's start, from the
// audit log: a containment by the security officer (API or command line) or an
// administrator's action.
struct ContainmentMeasure {
  int64_t time_ms = 0;
  int64_t audit_seq = 0;
  std::string account;  // the contained account's id
  std::string action;   // "lock", "suspend-sessions", "reset-password" …
  std::string by;       // the username who acted, or "(command line)"
  int status = 0;       // the HTTP status (a refused attempt is listed as such)
};

// An alert raised about an account of the scope at or after the window's start (from
// the alerts table, which names the audit entry of the request that raised it), with the
// automatic measure it came with.
struct Detection {
  int64_t time_ms = 0;
  int64_t audit_seq = 0;
  std::string account;
  std::string kind;
  std::string severity;
  std::string measure;  // e.g. "fresh code demanded", "throttled"; "" for none
};

struct BreachReport {
  BreachScope scope;
  int64_t generated_at_ms = 0;
  audit::LogVerification verification;
  int64_t entries_in_scope = 0;           // every request in scope
  int64_t disclosures = 0;                // of which successful reads and searches naming patients
  std::vector<ScopeAccount> accounts;     // by id
  std::vector<PatientExposure> patients;  // by first access, then id
  std::vector<CategoryTotal> totals;      // every category, in table order
  std::vector<ChangedRecords> changed;    // by first change, then id
  std::vector<ContainmentMeasure> measures;  // by time
  std::vector<Detection> detections;         // by time
};

// Runs the log verification with the given visitor: `medvault audit verify`'s (the
// published key, progress on stderr) or the server's.
using VerifyWith = std::function<Result<audit::LogVerification>(audit::EntryVisitor*)>;

// Verifies the whole log and scans it in the same pass; refuses (the verifier's error)
// when the log does not verify. `reader` supplies the accounts' current status and the
// alerts. Patient ids go into the result, never into a log line.
Result<BreachReport> BuildBreachReport(const BreachScope& scope, const VerifyWith& verify,
                                       store::Reader& reader, int64_t now_ms);

// "inside" (every access in a care relationship), "outside" (none), "mixed", or
// "unknown" (the entries predate the recorded basis).
std::string_view CareOf(const PatientExposure& patient);

// The renderings. JSON is the whole report; CSV one row per patient; HTML a page that
// stands alone (inline style, nothing fetched).
std::string ReportJson(const BreachReport& report);
std::string ReportCsv(const BreachReport& report);
std::string ReportHtml(const BreachReport& report);

}  // namespace medvault::incident
