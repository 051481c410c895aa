#include "api/incident_api.h"

#include <sstream>

#include "api/json_fields.h"
#include "api/query_params.h"
#include "api/responses.h"
#include "audit/log_verifier.h"
#include "incident/breach_report.h"
#include "incident/notification.h"

namespace medvault::api {
namespace {

struct ReportRequest {
  incident::BreachScope scope;
  std::string format;
};

// account=ID[,ID…], address=A, since=T, until=T, format=F (one of `formats`, the first
// by default).
Result<ReportRequest> ParseReportRequest(std::string_view query,
                                         std::initializer_list<std::string_view> formats) {
  ASSIGN_OR_RETURN(auto params,
                   ParseQueryParams(query, {"account", "address", "since", "until", "format"}));
  ReportRequest r;
  r.format = *formats.begin();
  if (auto it = params.find("account"); it != params.end()) {
    std::istringstream ids(it->second);
    for (std::string id; std::getline(ids, id, ',');) r.scope.accounts.push_back(id);
  }
  if (auto it = params.find("address"); it != params.end()) r.scope.client_address = it->second;
  for (auto [name, bound] : {std::pair{"since", &r.scope.since_ms}, {"until", &r.scope.until_ms}}) {
    auto it = params.find(name);
    if (it == params.end()) continue;
    auto ms = incident::ParseScopeTime(it->second);
    if (!ms)
      return Fail(ErrorCode::kInvalid,
                  std::string(name) + " must be an RFC 3339 instant or a date (YYYY-MM-DD)");
    *bound = *ms;
  }
  if (auto it = params.find("format"); it != params.end()) {
    if (std::find(formats.begin(), formats.end(), it->second) == formats.end()) {
      std::string allowed;
      for (std::string_view f : formats) allowed += (allowed.empty() ? "" : ", ") + std::string(f);
      return Fail(ErrorCode::kInvalid, "format is one of " + allowed);
    }
    r.format = it->second;
  }
  TRY(incident::CheckScope(r.scope));
  return r;
}

// What the entry says about the request: the scope's shape, never a patient.
std::string Describe(std::string_view what, const ReportRequest& r) {
  std::string d = std::string(what) + ": " + std::to_string(r.scope.accounts.size()) + " accounts" +
                  (r.scope.client_address.empty() ? "" : ", one address") + ", format " + r.format;
  return d;
}

http::Response Document(std::string body, std::string_view content_type, std::string_view name) {
  http::Response response;
  response.status = 200;
  response.body = std::move(body);
  response.With("Content-Type", std::string(content_type));
  if (!name.empty())
    response.With("Content-Disposition", "attachment; filename=\"" + std::string(name) + "\"");
  return response;
}

// Clears the flag when the request is done with it.
class OneAtATime {
 public:
  explicit OneAtATime(std::atomic<bool>& flag) : flag_(flag) {
    bool expected = false;
    held_ = flag_.compare_exchange_strong(expected, true);
  }
  ~OneAtATime() {
    if (held_) flag_.store(false);
  }
  bool held() const { return held_; }

 private:
  std::atomic<bool>& flag_;
  bool held_ = false;
};

Outcome Busy(AuditFacts facts) {
  Outcome busy = JsonErrorOutcome(
      {ErrorCode::kUnavailable,
       "another breach report is being prepared (each one verifies the whole audit log): "
       "retry shortly",
       {}},
      std::move(facts));
  busy.response.With("Retry-After", "10");
  return busy;
}

}  // namespace

namespace {

// Verifies the log with the server's signing key and builds the report.
Result<incident::BreachReport> Build(Services& s, const incident::BreachScope& scope) {
  auto verify = [&s](audit::EntryVisitor* visitor) {
    audit::VerifyOptions options;
    options.visitor = visitor;
    return audit::VerifyLog(s.store, s.audit, s.options.audit_trusted_keys, options);
  };
  auto report =
      incident::BuildBreachReport(scope, verify, s.store.reader(), ToUnixMillis(s.clock.Now()));
  if (!report && report.error().code == ErrorCode::kInvalid)
    return Fail(ErrorCode::kConflict, "the audit log does not verify (" + report.error().message +
                                          "): no report is made from it");
  return report;
}

}  // namespace

Outcome IncidentApi::Run(const RequestContext& ctx, std::string interaction,
                         std::initializer_list<std::string_view> formats, const Render& render) {
  AuditFacts facts;
  facts.interaction = std::move(interaction);
  auto request = ParseReportRequest(ctx.request->query, formats);
  if (!request) return JsonErrorOutcome(request.error(), facts);
  facts.detail = Describe(facts.interaction, *request);
  OneAtATime turn(running_);
  if (!turn.held()) return Busy(std::move(facts));
  auto report = Build(s_, request->scope);
  if (!report) return JsonErrorOutcome(report.error(), facts);
  auto response = render(*report, request->format, facts);
  if (!response) return JsonErrorOutcome(response.error(), facts);
  return Outcome{std::move(*response), std::move(facts), nullptr, nullptr, {}};
}

Outcome IncidentApi::BreachReport(const RequestContext& ctx) {
  return Run(ctx, "breach-report", {"json", "csv", "html"},
             [](const incident::BreachReport& report, std::string_view format,
                AuditFacts& facts) -> Result<http::Response> {
               for (const incident::PatientExposure& p : report.patients)
                 facts.patients.push_back(p.patient);
               facts.detail += "; " + std::to_string(report.patients.size()) + " patients";
               if (format == "csv")
                 return Document(incident::ReportCsv(report), "text/csv; charset=utf-8",
                                 "breach-report.csv");
               if (format == "html")
                 return Document(incident::ReportHtml(report), "text/html; charset=utf-8", "");
               return JsonBody(200, incident::ReportJson(report));
             });
}

Outcome IncidentApi::Notification(const RequestContext& ctx) {
  return Run(ctx, "breach-notification", {"markdown", "html"},
             [](const incident::BreachReport& report, std::string_view format,
                AuditFacts& facts) -> Result<http::Response> {
               facts.detail += "; " + std::to_string(report.patients.size()) + " patients counted";
               bool html = format == "html";
               return Document(
                   incident::Article33Draft(report, html ? incident::DraftFormat::kHtml
                                                         : incident::DraftFormat::kMarkdown),
                   html ? "text/html; charset=utf-8" : "text/markdown; charset=utf-8", "");
             });
}

Outcome IncidentApi::NotificationPatients(const RequestContext& ctx) {
  const identity::Principal& officer = *ctx.principal;
  return Run(ctx, "breach-notification-contacts", {"csv", "json"},
             [&](const incident::BreachReport& report, std::string_view format,
                 AuditFacts& facts) -> Result<http::Response> {
               ASSIGN_OR_RETURN(auto contacts, incident::ContactsToNotify(
                                                   report, s_.store.reader(), s_.vault,
                                                   [&](const access::AccessTarget& target) {
                                                     return s_.policy.BreachNotificationContact(
                                                         officer, target);
                                                   }));
               // The entry names every patient whose contact details leave with this answer.
               for (const incident::PatientContact& c : contacts)
                 if (c.found) facts.patients.push_back(c.patient);
               facts.detail +=
                   "; contact details of " + std::to_string(facts.patients.size()) + " patients";
               if (format == "json") return JsonBody(200, incident::ContactsJson(contacts));
               return Document(incident::ContactsCsv(contacts), "text/csv; charset=utf-8",
                               "patients-to-notify.csv");
             });
}

}  // namespace medvault::api
