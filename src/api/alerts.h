// Alerts for the security officer, raised while a request is handled and written in
// the same commit as its audit entry (so an alert exists exactly when the access it
// reports is on record). Until the detection module lands they are rows of a table.
#pragma once

#include <string>
#include <string_view>

#include "access/policy.h"
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

// Runs `first` then `second` (either may be empty).
store::WriteJob Then(store::WriteJob first, store::WriteJob second);

// The high-severity alert an access to a restricted patient outside the care relationship
// raises (see AccessDecision::raises_confidentiality_alert), added to `out`.
void AddConfidentialityAlert(const crypto::Keyring& keyring, const RequestContext& ctx,
                             const access::AccessDecision& decision, std::string_view interaction,
                             std::vector<store::AlertRow>& out);

}  // namespace medvault::api
