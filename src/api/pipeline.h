// The request pipeline: the one way in. Every request travels
//   route → authenticate (session → Principal) → handler (Policy → RecordVault)
//   → audit (entry + the handler's writes, one durable commit) → response
// and the types hold the order: handlers return an Outcome, not a response; only the
// audit stage turns an Outcome into a response, after the commit that records it.
// Public routes (health, CapabilityStatement) carry no patient data and no principal.
#pragma once

#include <memory>

#include "api/access_api.h"
#include "api/admin_api.h"
#include "api/audit_api.h"
#include "api/auth_api.h"
#include "api/clock_set_back.h"
#include "api/fhir_api.h"
#include "api/incident_api.h"
#include "api/request_context.h"
#include "api/route.h"
#include "api/security_api.h"
#include "api/services.h"
#include "api/synchronous_detector.h"
#include "http/message.h"

namespace medvault::api {

class Pipeline final : public http::Handler {
 public:
  explicit Pipeline(Services& services);

  void Handle(http::Request request, http::Responder respond) override;
  http::Response ProtocolError(int status, std::string_view message,
                               std::string_view path) override;

 private:
  void Authenticated(std::shared_ptr<http::Request> request, RequestContext ctx, const Route& route,
                     http::Responder respond);
  Outcome Dispatch(const RequestContext& ctx, const Route& route);
  void NotAllowedBeforeLogin(RequestContext ctx, std::shared_ptr<http::Request> request,
                             http::Responder respond);
  // The audit stage.
  void Finish(RequestContext ctx, bool fhir, Outcome outcome,
              std::shared_ptr<http::Request> request, http::Responder respond);

  Services& s_;
  FhirApi fhir_;
  AuthApi auth_;
  AdminApi admin_;
  AuditApi audit_;
  AccessApi access_;
  SecurityApi security_;
  IncidentApi incident_;
  // Budgets and refusal bursts, applied before the audit stage records the outcome.
  SynchronousDetector detector_;
  // Ends every session once the clock has gone back further than it stands still for.
  ClockSetBackGuard clock_guard_;
};

}  // namespace medvault::api
