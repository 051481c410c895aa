#include "api/security_api.h"

#include <charconv>
#include <map>

#include "api/alerts.h"
#include "api/json_fields.h"
#include "api/query_params.h"
#include "api/responses.h"
#include "api/route.h"
#include "common/time_format.h"

namespace medvault::api {

Outcome SecurityApi::Alerts(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "alert-list";
  auto params = ParseQueryParams(ctx.request->query, {"account", "severity", "state", "_count"});
  if (!params) return JsonErrorOutcome(params.error(), facts);
  store::AlertQuery query;
  if (auto it = params->find("account"); it != params->end()) {
    if (!IsFhirId(it->second))
      return JsonErrorOutcome({ErrorCode::kInvalid, "account must be an account id", {}}, facts);
    query.account_id = it->second;
  }
  if (auto it = params->find("severity"); it != params->end()) {
    if (it->second != "low" && it->second != "medium" && it->second != "high")
      return JsonErrorOutcome({ErrorCode::kInvalid, "severity is low, medium or high", {}}, facts);
    query.severity = it->second;
  }
  if (auto it = params->find("state"); it != params->end()) {
    if (it->second != "open" && it->second != "resolved")
      return JsonErrorOutcome({ErrorCode::kInvalid, "state is open or resolved", {}}, facts);
    query.state = it->second;
  }
  if (auto it = params->find("_count"); it != params->end()) {
    const std::string& v = it->second;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), query.limit);
    if (ec != std::errc() || end != v.data() + v.size() || query.limit < 1 || query.limit > 1000)
      return JsonErrorOutcome({ErrorCode::kInvalid, "_count is 1 to 1000", {}}, facts);
  }
  store::Reader& reader = s_.store.reader();
  auto alerts = reader.Alerts(query);
  if (!alerts) return JsonErrorOutcome(alerts.error(), facts);
  // Alerts name patients by id only: the security officer sees identities in breach
  // reports, not here.
  std::map<std::string, std::string> usernames;
  std::vector<std::string> details;
  for (const store::AlertRow& a : *alerts) {
    if (!usernames.contains(a.account_id)) {
      auto account = reader.AccountById(a.account_id);
      if (!account) return JsonErrorOutcome(account.error(), facts);
      usernames[a.account_id] = *account ? (*account)->username : std::string();
    }
    auto detail = AlertDetail(s_.keyring, a);
    if (!detail) return JsonErrorOutcome(detail.error(), facts);
    details.push_back(std::move(*detail));
  }
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("alerts");
    w.StartArray();
    for (size_t i = 0; i < alerts->size(); ++i) {
      const store::AlertRow& a = (*alerts)[i];
      w.StartObject();
      w.Key("id");
      w.Int64(a.id);
      w.Key("created_at");
      Str(w, FormatInstant(FromUnixMillis(a.created_at_ms)));
      w.Key("account");
      Str(w, a.account_id);
      w.Key("username");
      Str(w, usernames[a.account_id]);
      w.Key("severity");
      Str(w, a.severity);
      w.Key("kind");
      Str(w, a.kind);
      w.Key("patient");
      Str(w, a.patient_id);
      w.Key("state");
      Str(w, a.state);
      w.Key("detail");
      Str(w, details[i]);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

}  // namespace medvault::api
