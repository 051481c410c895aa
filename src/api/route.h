// Which endpoint a request path names. Paths are matched on raw (still
// percent-encoded) segments; FHIR ids are checked against the id grammar here, so no
// malformed id reaches a handler.
#pragma once

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
    kFhirUnknownType,
    kFhirType,
    kFhirInstance,
    kFhirHistory,
    kFhirVersion,
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

// FHIR id grammar: [A-Za-z0-9\-\.]{1,64}.
bool IsFhirId(std::string_view id);

}  // namespace medvault::api
