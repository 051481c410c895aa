// What the pipeline knows about a request as it moves through the stages, and what a
// handler hands back: its response, the facts the audit entry needs, and the writes to
// commit in the same transaction as that entry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "http/message.h"
#include "identity/principal.h"
#include "store/store.h"

namespace medvault::api {

struct RequestContext {
  std::string request_id;
  Time received_at;
  const http::Request* request = nullptr;
  std::string base_url;       // "https://host:port", no trailing slash
  std::string route_pattern;  // e.g. "/fhir/Patient/{id}", for logs
  // Set by the authentication stage; absent for public and pre-login routes.
  std::optional<identity::Principal> principal;
  // The session came in the browser's cookie, not an Authorization header (CSRF applies).
  bool session_from_cookie = false;
};

struct AuditFacts {
  std::string interaction;
  std::string resource_type;
  std::string resource_id;
  std::vector<std::string> patients;
  std::string detail;             // e.g. a denial reason; never patient data
  std::string username;           // login attempts: the name that was tried
  std::string account_id;         // login: the account that logged in
  bool directory_search = false;  // a Patient search that reached outside the care scope
  // Of `patients`, those reached without a care relationship (a break-the-glass grant,
  // a directory result) and those labelled restricted (R or V): what the detector
  // weighs beyond the count.
  std::vector<std::string> patients_outside_care;
  std::vector<std::string> restricted_patients;
  // Of `patients`, those of whom only minimal identity was sent (directory results): what
  // a breach report counts as received.
  std::vector<std::string> minimal_identity_patients;
};

struct Outcome {
  http::Response response;
  AuditFacts audit;
  // Writes the handler wants, committed atomically with the audit entry. When they
  // fail, the entry records the failure and the client gets the error instead.
  store::WriteJob write;
  // Writes that must happen when `write` is refused (it returned an error and was rolled
  // back): counting a failed attempt, for instance, when the refusal is a replayed code.
  store::WriteJob refusal_write;
  // Alerts for the security officer, inserted with the audit entry (and naming it) when
  // the request's writes succeed.
  std::vector<store::AlertRow> alerts;
};

}  // namespace medvault::api
