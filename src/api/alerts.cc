#include "api/alerts.h"

namespace medvault::api {
namespace {

constexpr std::string_view kAlertPurpose = "alert-detail";

}  // namespace

store::AlertRow NewAlert(const crypto::Keyring& keyring, std::string_view account_id,
                         std::string_view severity, std::string_view kind,
                         std::string_view patient_id, std::string_view detail, int64_t now_ms) {
  store::AlertRow row;
  row.created_at_ms = now_ms;
  row.account_id = account_id;
  row.severity = severity;
  row.kind = kind;
  row.patient_id = patient_id;
  row.detail = keyring.SealAccountSecret(account_id, kAlertPurpose, crypto::AsBytes(detail));
  return row;
}

Result<std::string> AlertDetail(const crypto::Keyring& keyring, const store::AlertRow& alert) {
  ASSIGN_OR_RETURN(auto plain,
                   keyring.OpenAccountSecret(alert.account_id, kAlertPurpose, alert.detail));
  return std::string(crypto::AsText(plain));
}

store::WriteJob Then(store::WriteJob first, store::WriteJob second) {
  if (!first) return second;
  if (!second) return first;
  return [first = std::move(first), second = std::move(second)](store::Transaction& txn) -> Status {
    TRY(first(txn));
    return second(txn);
  };
}

void AddConfidentialityAlert(const crypto::Keyring& keyring, const RequestContext& ctx,
                             const access::AccessDecision& decision, std::string_view interaction,
                             std::vector<store::AlertRow>& out) {
  if (!ctx.principal || !decision.raises_confidentiality_alert()) return;
  const access::AccessTarget& t = decision.target();
  std::string detail = std::string(decision.allowed() ? "break-the-glass " : "refused ") +
                       std::string(interaction) + " of " + std::string(fhir::NameOf(t.type)) +
                       " data of a restricted (" + t.confidentiality +
                       ") patient outside the care relationship";
  out.push_back(NewAlert(keyring, ctx.principal->account_id(), "high", "confidential-access",
                         t.compartment, detail, ToUnixMillis(ctx.received_at)));
}

}  // namespace medvault::api
