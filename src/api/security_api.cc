#include "api/security_api.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "api/account_activity.h"
#include "api/alerts.h"
#include "api/json_fields.h"
#include "api/query_params.h"
#include "api/responses.h"
#include "api/route.h"
#include "audit/audit_search.h"
#include "common/time_format.h"
#include "crypto/password_hash.h"
#include "identity/containment.h"
#include "identity/password_policy.h"
#include "identity/role.h"

namespace medvault::api {
namespace {

std::string Instant(int64_t ms) { return FormatInstant(FromUnixMillis(ms)); }

void WriteAlerts(JsonWriter& w, const std::vector<ShownAlert>& alerts) {
  w.StartArray();
  for (const ShownAlert& a : alerts) WriteAlert(w, a);
  w.EndArray();
}

}  // namespace

namespace {

AlertStreams::Options StreamOptions(const ApiOptions& options) {
  AlertStreams::Options o;
  o.max_streams = options.max_alert_streams;
  return o;
}

}  // namespace

SecurityApi::SecurityApi(Services& services)
    : s_(services), streams_(services, StreamOptions(services.options)) {}

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
  auto shown = ShowAlerts(reader, std::move(*alerts), &s_.keyring);
  if (!shown) return JsonErrorOutcome(shown.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("alerts");
    WriteAlerts(w, *shown);
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome SecurityApi::Resolve(const RequestContext& ctx, const std::string& alert_id) {
  AuditFacts facts;
  facts.interaction = "alert-resolve";
  facts.resource_type = "Alert";
  facts.resource_id = alert_id;
  int64_t id = 0;
  auto [end, ec] = std::from_chars(alert_id.data(), alert_id.data() + alert_id.size(), id);
  if (ec != std::errc() || end != alert_id.data() + alert_id.size() || id < 1)
    return JsonErrorOutcome({ErrorCode::kNotFound, "no such alert", {}}, facts);
  if (!IsJsonContentType(ctx.request->HeaderValue("Content-Type")))
    return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send application/json", {}}, facts);
  auto fields = ParseStringFields(ctx.request->body, {"note"});
  if (!fields) return JsonErrorOutcome(fields.error(), facts);
  std::string note = (*fields)["note"];
  if (note.size() < 3 || note.size() > 2000)
    return JsonErrorOutcome({ErrorCode::kInvalid,
                             R"(send {"note":"what was found and done"} (3 to 2000 characters))",
                             {}},
                            facts);
  store::Reader& reader = s_.store.reader();
  auto alert = reader.Alert(id);
  if (!alert) return JsonErrorOutcome(alert.error(), facts);
  if (!*alert) return JsonErrorOutcome({ErrorCode::kNotFound, "no such alert", {}}, facts);
  if ((*alert)->state != "open")
    return JsonErrorOutcome({ErrorCode::kConflict, "this alert is already resolved", {}}, facts);
  if (!(*alert)->patient_id.empty()) facts.patients.push_back((*alert)->patient_id);
  int64_t now = ToUnixMillis(s_.clock.Now());
  std::string officer = ctx.principal->account_id();
  crypto::Bytes sealed =
      s_.keyring.SealAccountSecret(officer, "alert-resolution:" + alert_id, crypto::AsBytes(note));
  store::AlertRow resolved = **alert;
  resolved.state = "resolved";
  resolved.resolved_at_ms = now;
  resolved.resolved_by = officer;
  auto shown = ShowAlerts(reader, {resolved}, &s_.keyring);
  if (!shown) return JsonErrorOutcome(shown.error(), facts);
  std::string body = AlertJson(shown->front());
  Outcome out{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.write = [id, now, officer, sealed = std::move(sealed)](store::Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(bool done, txn.ResolveAlert(id, now, officer, sealed));
    if (!done) return Fail(ErrorCode::kConflict, "this alert is already resolved");
    return Ok();
  };
  return out;
}

namespace {

// The detector's view of the account: its risk score and rung on the escalation ladder,
// the features behind them (names and figures, never a patient), its sessions' scores
// and the audit entries that weighed most.
void WriteRisk(JsonWriter& w, const detect::RiskAssessment& risk) {
  w.Key("risk");
  w.StartObject();
  w.Key("score");
  w.Double(risk.score);
  w.Key("level");
  Str(w, detect::NameOf(risk.level));
  w.Key("severity");
  Str(w, risk.severity);
  w.Key("explanation");
  w.StartArray();
  for (const detect::ExplanationLine& line : risk.explanation) {
    w.StartObject();
    w.Key("feature");
    Str(w, line.feature);
    w.Key("value");
    w.Double(line.value);
    w.Key("usual");
    w.Double(line.usual);
    w.Key("threshold");
    w.Double(line.threshold);
    w.Key("points");
    w.Double(line.points);
    w.Key("sentence");
    Str(w, line.sentence);
    w.EndObject();
  }
  w.EndArray();
  w.Key("sessions");
  w.StartArray();
  for (const detect::SessionRisk& session : risk.sessions) {
    w.StartObject();
    w.Key("session");
    Str(w, session.session_id);
    w.Key("score");
    w.Double(session.score);
    w.EndObject();
  }
  w.EndArray();
  w.Key("audit_events");
  w.StartArray();
  for (int64_t seq : risk.audit_seqs) Str(w, std::to_string(seq));
  w.EndArray();
  w.EndObject();
}

}  // namespace

Outcome SecurityApi::Activity(const RequestContext& ctx, const std::string& account_id) {
  AuditFacts facts;
  facts.interaction = "account-activity";
  facts.resource_type = "Account";
  facts.resource_id = account_id;
  auto params = ParseQueryParams(ctx.request->query, {"hours"});
  if (!params) return JsonErrorOutcome(params.error(), facts);
  int64_t hours = 24;
  if (auto it = params->find("hours"); it != params->end()) {
    const std::string& v = it->second;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), hours);
    if (ec != std::errc() || end != v.data() + v.size() || hours < 1 || hours > 168)
      return JsonErrorOutcome({ErrorCode::kInvalid, "hours is 1 to 168", {}}, facts);
  }
  store::Reader& reader = s_.store.reader();
  auto account = reader.AccountById(account_id);
  if (!account) return JsonErrorOutcome(account.error(), facts);
  if (!*account) return JsonErrorOutcome({ErrorCode::kNotFound, "no such account", {}}, facts);
  auto role = identity::ParseRole((*account)->role);
  int64_t now = ToUnixMillis(s_.clock.Now());
  detect::BudgetUsage usage =
      s_.detector.budgets().Usage(account_id, role.value_or(identity::Role::kAdmin), now);
  auto alerts = reader.Alerts(store::AlertQuery{account_id, "", "", 20});
  if (!alerts) return JsonErrorOutcome(alerts.error(), facts);
  auto shown = ShowAlerts(reader, std::move(*alerts), &s_.keyring);
  if (!shown) return JsonErrorOutcome(shown.error(), facts);
  audit::AuditCriteria criteria;
  criteria.account_id = account_id;
  criteria.max_events = 50;
  auto recent = audit::SearchAudit(reader, s_.audit, criteria);
  if (!recent) return JsonErrorOutcome(recent.error(), facts);
  auto series =
      ReadActivitySeries(reader, s_.audit, s_.risk_scorer, account_id, now, hours * 3'600'000);
  if (!series) return JsonErrorOutcome(series.error(), facts);

  const store::AccountRow& a = **account;
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("account");
    w.StartObject();
    w.Key("id");
    Str(w, a.id);
    w.Key("username");
    Str(w, a.username);
    w.Key("role");
    Str(w, a.role);
    w.Key("organization");
    Str(w, a.organization_id);
    w.Key("status");
    Str(w, a.status);
    w.EndObject();
    w.Key("containment");
    w.StartObject();
    w.Key("locked");
    w.Bool(a.status == "locked");
    w.Key("step_up_required_since");
    Str(w, a.step_up_after_ms > 0 ? Instant(a.step_up_after_ms) : "");
    w.Key("throttled_until");
    Str(w, a.throttle_until_ms > now ? Instant(a.throttle_until_ms) : "");
    w.EndObject();
    w.Key("budgets");
    w.StartObject();
    w.Key("patients_last_hour");
    w.Int64(usage.patients_last_hour);
    w.Key("patients_per_hour");
    w.Int64(usage.limits.patients_per_hour);
    w.Key("patients_last_day");
    w.Int64(usage.patients_last_day);
    w.Key("patients_per_day");
    w.Int64(usage.limits.patients_per_day);
    w.Key("directory_searches_last_hour");
    w.Int64(usage.directory_searches_last_hour);
    w.Key("directory_searches_per_hour");
    w.Int64(usage.limits.directory_searches_per_hour);
    w.Key("extended");
    w.Bool(usage.extended);
    w.EndObject();
    if (s_.risk_scorer) WriteRisk(w, s_.risk_scorer->Assess(account_id, now));
    w.Key("alerts");
    WriteAlerts(w, *shown);
    w.Key("series");
    WriteActivitySeries(w, *series);
    // The latest requests: what, when, with what outcome and how many patients; the
    // patients themselves are one AuditEvent search away (agent=ID).
    w.Key("recent");
    w.StartArray();
    for (const audit::FoundEntry& e : recent->entries) {
      w.StartObject();
      w.Key("audit_event");
      Str(w, std::to_string(e.seq));
      w.Key("time");
      Str(w, Instant(e.event.time_ms));
      w.Key("interaction");
      Str(w, e.event.interaction);
      w.Key("type");
      Str(w, e.event.resource_type);
      w.Key("status");
      w.Int(e.event.status);
      w.Key("patients");
      w.Int64(static_cast<int64_t>(e.event.patients.size()));
      w.Key("client_address");
      Str(w, e.event.client_address);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome SecurityApi::Contain(const RequestContext& ctx, const std::string& account_id) {
  AuditFacts facts;
  facts.interaction = "account-contain";
  facts.resource_type = "Account";
  facts.resource_id = account_id;
  if (!IsJsonContentType(ctx.request->HeaderValue("Content-Type")))
    return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send application/json", {}}, facts);
  auto fields = ParseStringFields(ctx.request->body, {"action", "reason"});
  if (!fields) return JsonErrorOutcome(fields.error(), facts);
  const std::string action = (*fields)["action"];
  auto account = s_.store.reader().AccountById(account_id);
  if (!account) return JsonErrorOutcome(account.error(), facts);
  if (!*account) return JsonErrorOutcome({ErrorCode::kNotFound, "no such account", {}}, facts);
  if (account_id == ctx.principal->account_id())
    return JsonErrorOutcome({ErrorCode::kForbidden, "you cannot contain your own account", {}},
                            facts);
  facts.detail = "containment: " + action;
  int64_t now = ToUnixMillis(s_.clock.Now());
  identity::ContainmentInputs inputs;
  inputs.throttle_until_ms = now + s_.detector.options().throttle_duration_ms;
  if (action == "require-reset") {
    auto hash = crypto::HashPassword(identity::GeneratePassword());
    if (!hash) return JsonErrorOutcome(hash.error(), facts);
    inputs.unknown_password_hash = std::move(*hash);
  }
  auto write = identity::ContainmentWrite(action, **account, now, std::move(inputs));
  if (!write) return JsonErrorOutcome(write.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("account");
    Str(w, account_id);
    w.Key("action");
    Str(w, action);
    w.Key("at");
    Str(w, Instant(now));
    w.EndObject();
  });
  Outcome out{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.write = std::move(*write);
  return out;
}

namespace {

// An alert id as a client sends it back: a whole number, 0 or more.
std::optional<int64_t> ParseAlertId(std::string_view text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size() || id < 0) return std::nullopt;
  return id;
}

}  // namespace

Outcome SecurityApi::Events(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "alert-stream";
  auto params = ParseQueryParams(ctx.request->query, {"since"});
  if (!params) return JsonErrorOutcome(params.error(), facts);
  std::optional<int64_t> after;
  if (auto it = params->find("since"); it != params->end()) {
    after = ParseAlertId(it->second);
    if (!after)
      return JsonErrorOutcome({ErrorCode::kInvalid, "since must be an alert id", {}}, facts);
  }
  if (std::string_view last = ctx.request->HeaderValue("Last-Event-ID"); !last.empty()) {
    after = ParseAlertId(last);
    if (!after)
      return JsonErrorOutcome({ErrorCode::kInvalid, "Last-Event-ID must be an alert id", {}},
                              facts);
  }
  if (!after) {
    auto newest = NewestAlertId(s_.store.reader());
    if (!newest) return JsonErrorOutcome(newest.error(), facts);
    after = *newest;
  }
  std::shared_ptr<AlertStreams::Place> place = streams_.Reserve();
  if (!place) {
    Outcome busy = JsonErrorOutcome(
        {ErrorCode::kUnavailable,
         "too many alert streams are open (at most " +
             std::to_string(s_.options.max_alert_streams) + "): close one, or retry later",
         {}},
        facts);
    busy.response.With("Retry-After", "30");
    return busy;
  }
  facts.detail = "alerts after " + std::to_string(*after);
  http::Response r;
  r.With("Content-Type", "text/event-stream");
  r.stream = [streams = &streams_, place = std::move(place), after = *after,
              principal = *ctx.principal](std::shared_ptr<http::StreamWriter> writer) mutable {
    streams->Open(std::move(place), std::move(writer), after, std::move(principal));
  };
  return Outcome{std::move(r), std::move(facts), nullptr, nullptr, {}};
}

}  // namespace medvault::api
