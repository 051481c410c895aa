// Building responses: FHIR resources and OperationOutcomes for /fhir, small JSON
// documents for the other endpoints.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "api/request_context.h"
#include "common/result.h"
#include "http/message.h"

namespace medvault::api {

inline constexpr std::string_view kFhirJson = "application/fhir+json; charset=utf-8";

http::Response FhirBody(int status, std::string body);
// A resource response with ETag W/"version" and Last-Modified.
http::Response FhirResource(int status, std::string body, int64_t version, int64_t last_updated_ms);
http::Response FhirError(const Error& error);
http::Response JsonBody(int status, std::string body);
// {"error": "<code>", "message": "<text>"} for the non-FHIR endpoints.
http::Response JsonError(const Error& error);

// An Outcome carrying an error, for FHIR or plain JSON endpoints.
Outcome FhirErrorOutcome(const Error& error, AuditFacts facts);
Outcome JsonErrorOutcome(const Error& error, AuditFacts facts);
// 401 {"error":"step_up_required", …}: the session is fine, the operation wants a fresh
// second factor first.
Outcome StepUpRequired(const Error& error, AuditFacts facts);

// RFC 7231 IMF-fixdate, e.g. "Sun, 29 Nov 2026 03:36:17 GMT".
std::string HttpDate(int64_t unix_ms);

// Whether a Content-Type names JSON (application/fhir+json or application/json, any
// parameters).
bool IsJsonContentType(std::string_view content_type);

}  // namespace medvault::api
