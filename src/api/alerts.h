// Alerts for the security officer, raised while a request is handled and written in
// the same commit as its audit entry (so an alert exists exactly when the access it
// reports is on record). Until the detection module lands they are rows of a table.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/policy.h"
#include "api/json_fields.h"
#include "api/request_context.h"
#include "crypto/keyring.h"
#include "store/records.h"
#include "store/store.h"

namespace medvault::api {

// A new open alert about `account_id`'s behaviour. The detail is sealed to the account:
// it may quote a clinician's free text (a break-the-glass reason).
store::AlertRow NewAlert(const crypto::Keyring& keyring, std::string_view account_id,
                         std::string_view severity, std::string_view kind,
                         std::string_view patient_id, std::string_view detail, int64_t now_ms);

// The alert's detail in clear (for the security officer's listing).
Result<std::string> AlertDetail(const crypto::Keyring& keyring, const store::AlertRow& alert);

// An alert as it is shown or sent: its row, the username of its account, and its detail
// in clear when the reader is the security officer.
struct ShownAlert {
  store::AlertRow row;
  std::string username;               // "" when the account is gone
  std::optional<std::string> detail;  // absent in exports: it may quote free text
};

// `alerts` with their accounts' usernames and, when `open_details` is given, their
// details opened with it (the security officer's console; never for an export).
Result<std::vector<ShownAlert>> ShowAlerts(store::Reader& reader,
                                           std::vector<store::AlertRow> alerts,
                                           const crypto::Keyring* open_details);

// The id of the newest alert, 0 when there is none: where a follower of the table that
// wants only new alerts starts.
Result<int64_t> NewestAlertId(store::Reader& reader);

// The alert as one JSON object: id, created_at, account, username, severity, kind,
// patient, state, detail when it was opened, audit_event (the entry of the request that
// raised it) and, once resolved, resolved_at and resolved_by. The objects of GET /security/alerts,
// the data of the event stream's events, the lines of the export file.
void WriteAlert(JsonWriter& w, const ShownAlert& alert);
std::string AlertJson(const ShownAlert& alert);

// Runs `first` then `second` (either may be empty).
store::WriteJob Then(store::WriteJob first, store::WriteJob second);

// The high-severity alert an access to a restricted patient outside the care relationship
// raises (see AccessDecision::raises_confidentiality_alert), added to `out`.
void AddConfidentialityAlert(const crypto::Keyring& keyring, const RequestContext& ctx,
                             const access::AccessDecision& decision, std::string_view interaction,
                             std::vector<store::AlertRow>& out);

}  // namespace medvault::api
