// The security officer's incident endpoints (/security/breach-…): the breach scope
// report, the draft notification to the supervisory authority (GDPR art. 33) and the
// list of patients to notify with their contact details (art. 34). Each verifies the
// whole audit log first and refuses to answer from one that does not verify; one runs
// at a time. Every request is audited by the pipeline; the report and the contact list
// name in their entry the patients they disclosed.
#pragma once

#include <atomic>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "api/request_context.h"
#include "api/services.h"
#include "incident/breach_report.h"

namespace medvault::api {

class IncidentApi {
 public:
  explicit IncidentApi(Services& services) : s_(services) {}

  // GET /security/breach-report?account=ID[,ID…]&address=A&since=T&until=T
  //   &format=json|csv|html
  Outcome BreachReport(const RequestContext& ctx);
  // GET /security/breach-notification?…&format=markdown|html (the art. 33 draft)
  Outcome Notification(const RequestContext& ctx);
  // GET /security/breach-notification/patients?…&format=csv|json (art. 34; a fresh
  // step-up is required, as for every sensitive operation)
  Outcome NotificationPatients(const RequestContext& ctx);

 private:
  // The response for a verified report in the requested format; it may add to the facts.
  using Render = std::function<Result<http::Response>(const incident::BreachReport&,
                                                      std::string_view format, AuditFacts&)>;
  // Parses the scope and format, takes the one turn, verifies the log and builds the
  // report, then renders it.
  Outcome Run(const RequestContext& ctx, std::string interaction,
              std::initializer_list<std::string_view> formats, const Render& render);

  Services& s_;
  std::atomic<bool> running_{false};  // one verification of the whole log at a time
};

}  // namespace medvault::api
