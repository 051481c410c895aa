// Which endpoint a request path names. Paths are matched on raw (still
// percent-encoded) segments; FHIR ids are checked against the id grammar here, so no
// malformed id reaches a handler.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "fhir/resource_type.h"

namespace medvault::api {

struct Route {
  enum Kind {
    kNotFound,
    kHealth,
    kMetadata,
    kLogin,
    kMfa,
    kLogout,
    kMe,
    kStepUp,
    kPassword,
    kSessions,        // GET /auth/sessions
    kSession,         // DELETE /auth/sessions/{id}
    kAdminAccounts,   // GET, POST /admin/accounts
    kAdminAccountDo,  // POST /admin/accounts/{id}/{action}
    kAuditTreeHead,
    kAuditInclusion,
    kAuditConsistency,
    kBreakGlass,         // POST /access/break-glass
    kGrants,             // GET /access/grants
    kCareRelationships,  // POST /access/care-relationships
    kSecurityAlerts,     // GET /security/alerts
    kAlertResolve,       // POST /security/alerts/{id}/resolve
    kAccountActivity,    // GET /security/accounts/{id}/activity
    kAccountContain,     // POST /security/accounts/{id}/contain
    kSecurityEvents,     // GET /security/events (a stream of alerts)
    // GET /security/breach-report, /security/breach-notification (the GDPR art. 33 draft)
    // and /security/breach-notification/patients (art. 34).
    kBreachReport,
    kBreachNotification,
    kBreachNotificationPatients,
    kSecuritySelfCheck,  // GET /security/selfcheck
    kAdminPatientErase,  // POST /admin/patients/{id}/erase
    kFhirUnknownType,
    kAuditEvents,  // GET /fhir/AuditEvent
    kAuditEvent,   // GET /fhir/AuditEvent/{id}
    kFhirType,
    kFhirInstance,
    kFhirHistory,
    kFhirVersion,  // stays last: tests walk every kind up to it
  };
  Kind kind = kNotFound;
  fhir::ResourceType type = fhir::ResourceType::kPatient;
  std::string id;
  std::string version;
  std::string action;   // kAdminAccountDo: suspend, reactivate, unlock, reset-password, reset-mfa
  std::string pattern;  // for logs: never the concrete ids or query

  // Errors on this route are OperationOutcomes.
  bool fhir() const { return kind >= kFhirUnknownType || kind == kMetadata; }
};

Route ParseRoute(std::string_view path);

// Every endpoint: its path template and the methods it serves. ParseRoute serves the
// fixed paths from this table, and the route-enumeration test sends every method to
// every entry, expecting an audit entry for each request to a non-public one. A route
// kind missing here fails the route tests.
struct RouteSpec {
  std::string_view pattern;  // {type}: a served FHIR type; {id}, {vid}: an id, a version
  Route::Kind kind;
  std::string_view methods;  // as the Allow header lists them
  // Served without a session and never about anyone's data: not audited.
  bool is_public = false;
};
std::span<const RouteSpec> AllRoutes();

// FHIR id grammar: [A-Za-z0-9\-\.]{1,64}.
bool IsFhirId(std::string_view id);

}  // namespace medvault::api
