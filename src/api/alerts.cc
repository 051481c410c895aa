#include "api/alerts.h"

#include <map>

#include "common/time_format.h"

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

Result<std::vector<ShownAlert>> ShowAlerts(store::Reader& reader,
                                           std::vector<store::AlertRow> alerts,
                                           const crypto::Keyring* open_details) {
  std::map<std::string, std::string, std::less<>> usernames;
  std::vector<ShownAlert> shown;
  shown.reserve(alerts.size());
  for (store::AlertRow& a : alerts) {
    auto known = usernames.find(a.account_id);
    if (known == usernames.end()) {
      ASSIGN_OR_RETURN(auto account, reader.AccountById(a.account_id));
      known = usernames.emplace(a.account_id, account ? account->username : "").first;
    }
    ShownAlert s{std::move(a), known->second, std::nullopt};
    if (open_details != nullptr) {
      ASSIGN_OR_RETURN(s.detail, AlertDetail(*open_details, s.row));
    }
    shown.push_back(std::move(s));
  }
  return shown;
}

Result<int64_t> NewestAlertId(store::Reader& reader) {
  store::AlertQuery newest;
  newest.limit = 1;
  ASSIGN_OR_RETURN(auto alerts, reader.Alerts(newest));
  return alerts.empty() ? 0 : alerts.front().id;
}

void WriteAlert(JsonWriter& w, const ShownAlert& alert) {
  const store::AlertRow& a = alert.row;
  w.StartObject();
  w.Key("id");
  w.Int64(a.id);
  w.Key("created_at");
  Str(w, FormatInstant(FromUnixMillis(a.created_at_ms)));
  w.Key("account");
  Str(w, a.account_id);
  w.Key("username");
  Str(w, alert.username);
  w.Key("severity");
  Str(w, a.severity);
  w.Key("kind");
  Str(w, a.kind);
  w.Key("patient");
  Str(w, a.patient_id);
  w.Key("state");
  Str(w, a.state);
  if (alert.detail) {
    w.Key("detail");
    Str(w, *alert.detail);
  }
  // The AuditEvent of the request that raised it (GET /fhir/AuditEvent/{id}).
  w.Key("audit_event");
  Str(w, a.audit_seq > 0 ? std::to_string(a.audit_seq) : std::string());
  if (a.resolved_at_ms != 0) {
    w.Key("resolved_at");
    Str(w, FormatInstant(FromUnixMillis(a.resolved_at_ms)));
    w.Key("resolved_by");
    Str(w, a.resolved_by);
  }
  w.EndObject();
}

std::string AlertJson(const ShownAlert& alert) {
  return WriteJson([&](JsonWriter& w) { WriteAlert(w, alert); });
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
