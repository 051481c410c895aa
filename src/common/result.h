// Errors as values. Every function on a request path or handling untrusted input
// returns Result<T> (or Status) instead of throwing; exceptions are kept for start-up
// failures and broken invariants.
#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace medvault {

// What went wrong, in terms a client can act on. Each code maps to one HTTP status
// (HttpStatusOf) and one FHIR issue type (api/ maps it to an OperationOutcome).
enum class ErrorCode {
  kInvalid,               // 400: malformed request, bad parameter, bad JSON
  kUnauthenticated,       // 401: no or bad credentials
  kForbidden,             // 403: the Policy said no
  kNotFound,              // 404
  kMethodNotAllowed,      // 405
  kConflict,              // 409: e.g. update of a resource whose id collides
  kGone,                  // 410: the resource was deleted
  kPreconditionFailed,    // 412: If-Match did not match
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kUnprocessable,         // 422: well-formed JSON that is not a valid resource
  kTooManyRequests,       // 429
  kUnavailable,           // 503: storage unavailable, server shutting down
  kInternal,              // 500: a bug or an unexpected library failure
};

int HttpStatusOf(ErrorCode code);
std::string_view NameOf(ErrorCode code);

// An error with a message that is safe to show to the client and to log: it never
// contains patient data, secrets or SQL. `expression` optionally locates the problem
// inside a resource (a FHIRPath-like location such as "Patient.birthDate").
struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::string expression;
};

template <typename T>
using Result = std::expected<T, Error>;
using Status = Result<void>;

inline std::unexpected<Error> Fail(ErrorCode code, std::string message,
                                   std::string expression = {}) {
  return std::unexpected(Error{code, std::move(message), std::move(expression)});
}

inline std::unexpected<Error> Fail(Error error) { return std::unexpected(std::move(error)); }

inline Status Ok() { return {}; }

}  // namespace medvault

#define MEDVAULT_CONCAT_INNER(a, b) a##b
#define MEDVAULT_CONCAT(a, b) MEDVAULT_CONCAT_INNER(a, b)

// TRY(expr): returns the error of a failed Result/Status from the current function.
#define TRY(expr) TRY_IMPL(MEDVAULT_CONCAT(medvault_try_, __COUNTER__), expr)
#define TRY_IMPL(tmp, expr)                                    \
  do {                                                         \
    auto&& tmp = (expr);                                       \
    if (!tmp) return std::unexpected(std::move(tmp).error()); \
  } while (false)

// ASSIGN_OR_RETURN(lhs, expr): evaluates expr; on error returns it, otherwise moves
// the value into lhs (which may be a declaration such as `auto x`).
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(MEDVAULT_CONCAT(medvault_result_, __COUNTER__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)               \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(tmp).value()
