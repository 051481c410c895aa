#include "api/security_api.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

#include "api/alerts.h"
#include "api/json_fields.h"
#include "api/query_params.h"
#include "api/responses.h"
#include "api/route.h"

namespace medvault::api {

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
    w.StartArray();
    for (const ShownAlert& a : *shown) WriteAlert(w, a);
    w.EndArray();
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr};
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
  return Outcome{std::move(r), std::move(facts), nullptr, nullptr};
}

}  // namespace medvault::api
