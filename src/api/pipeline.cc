#include "api/pipeline.h"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>

#include "api/alerts.h"
#include "api/erasure_api.h"
#include "api/health.h"
#include "api/posture_api.h"
#include "api/responses.h"
#include "api/risk_feed.h"
#include "api/route.h"
#include "audit/audit_event.h"
#include "common/random.h"
#include "fhir/capability_statement.h"

namespace medvault::api {
namespace {

bool IsIncident(Route::Kind kind) {
  return kind == Route::kBreachReport || kind == Route::kBreachNotification ||
         kind == Route::kBreachNotificationPatients;
}

std::string BaseUrl(const ApiOptions& options, std::string_view host) {
  if (!options.public_base_url.empty()) return options.public_base_url;
  bool ok = !host.empty() && host.size() <= 255;
  for (char c : host)
    ok = ok && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '-' || c == ':' || c == '[' || c == ']');
  return "https://" + std::string(ok ? host : "localhost");
}

std::string_view OutcomeName(int status) {
  if (status < 400) return "success";
  if (status == 401) return "unauthenticated";
  if (status == 403) return "denied";
  if (status < 500) return "invalid";
  return "failed";
}

// Sessions record their last use for the idle timeout; refreshing it at most every 30
// seconds keeps most reads from writing anything but their audit entry.
constexpr int64_t kTouchIntervalMs = 30'000;

std::optional<std::string_view> BearerToken(const http::Request& request) {
  std::string_view h = request.HeaderValue("Authorization");
  constexpr std::string_view kScheme = "Bearer ";
  if (h.size() <= kScheme.size()) return std::nullopt;
  for (size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(h[i])) !=
        std::tolower(static_cast<unsigned char>(kScheme[i])))
      return std::nullopt;
  return h.substr(kScheme.size());
}

// The session token of the browser's cookie, if the request carries one.
std::optional<std::string_view> CookieToken(const http::Request& request) {
  std::string_view cookies = request.HeaderValue("Cookie");
  while (!cookies.empty()) {
    size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    cookies = end == std::string_view::npos ? std::string_view() : cookies.substr(end + 1);
    while (pair.starts_with(' ')) pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == kSessionCookie)
      return pair.substr(eq + 1);
  }
  return std::nullopt;
}

bool ChangesState(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

// Equal strings, in time that depends only on their lengths.
bool SameSecret(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

// Routes that run Argon2id (password checks and hashing) or verify the whole audit log
// (breach reports): off the I/O threads.
bool RunsOnWorker(Route::Kind kind) {
  return kind == Route::kPassword || kind == Route::kAdminAccounts ||
         kind == Route::kAdminAccountDo || kind == Route::kAccountContain || IsIncident(kind) ||
         kind == Route::kSecuritySelfCheck;  // file checks, certificate, table scans
}

// What a session whose password an administrator reset may still do.
// Whether a request comes from the client its session was opened by (address and user
// agent, as the session row keeps them).
bool SameClient(const identity::Principal& principal, const http::Request& request) {
  std::string_view address = std::string_view(request.client_address).substr(0, 64);
  std::string_view agent = request.HeaderValue("User-Agent").substr(0, 256);
  return address == principal.session_client_address() && agent == principal.session_user_agent();
}

Error SessionMoved() {
  return Error{ErrorCode::kUnauthenticated,
               "this session belongs to another device and has been ended: log in again",
               {}};
}

// Routes the containment gate lets through: the ways out of containment (a fresh code,
// logging out) and the account's own view of itself.
bool PassesTheGate(Route::Kind kind) {
  return kind == Route::kStepUp || kind == Route::kLogout || kind == Route::kMe;
}

bool AllowedBeforePasswordChange(Route::Kind kind) {
  return kind == Route::kPassword || kind == Route::kLogout || kind == Route::kMe;
}

// Operations that need a fresh second factor (login or step-up) within the window.
bool Sensitive(const Route& route, std::string_view method) {
  if (route.kind == Route::kAdminAccountDo) return true;
  if (route.kind == Route::kAdminAccounts) return method == "POST";
  if (route.kind == Route::kBreakGlass || route.kind == Route::kAccountContain ||
      route.kind == Route::kBreachNotificationPatients)
    return true;
  return route.kind == Route::kFhirInstance && method == "DELETE";
}

}  // namespace

Pipeline::Pipeline(Services& services)
    : s_(services),
      fhir_(services),
      auth_(services),
      admin_(services),
      audit_(services),
      access_(services),
      security_(services),
      incident_(services),
      detector_(services),
      clock_guard_(services.store, services.audit, services.clock) {}

namespace {

http::Response MethodNotAllowed(bool fhir, std::string_view allow) {
  Error e{
      ErrorCode::kMethodNotAllowed, "method not allowed here; allowed: " + std::string(allow), {}};
  http::Response r = fhir ? FhirError(e) : JsonError(e);
  r.headers.push_back({"Allow", std::string(allow)});
  return r;
}

}  // namespace

void Pipeline::Handle(http::Request request, http::Responder respond) {
  auto req = std::make_shared<http::Request>(std::move(request));
  RequestContext ctx;
  ctx.request_id = NewUuid();
  ctx.received_at = s_.clock.Now();
  ctx.request = req.get();
  ctx.base_url = BaseUrl(s_.options, req->host);
  Route route = ParseRoute(req->path);
  ctx.route_pattern = route.pattern;
  const std::string& method = req->method;

  switch (route.kind) {
    case Route::kNotFound: {
      Error e{ErrorCode::kNotFound, "no such endpoint", {}};
      return respond(req->path.starts_with("/fhir") ? FhirError(e) : JsonError(e));
    }
    case Route::kHealth:
      if (method != "GET") return respond(MethodNotAllowed(false, "GET"));
      return AnswerHealth(s_.store, s_.clock, std::move(respond));
    case Route::kMetadata: {
      if (method != "GET") return respond(MethodNotAllowed(true, "GET"));
      fhir::ServerDescription server{ctx.base_url + "/fhir", s_.options.software_version};
      http::Response r = FhirBody(200, fhir::CapabilityStatementJson(server, ctx.received_at));
      r.no_store = false;  // describes the server, not patients
      return respond(std::move(r));
    }
    case Route::kLogin: {
      if (method != "POST") return NotAllowedBeforeLogin(std::move(ctx), req, std::move(respond));
      // Argon2id takes tens of milliseconds: keep it off the I/O threads.
      auto shared = std::make_shared<http::Responder>(std::move(respond));
      s_.workers.Post([this, req, ctx = std::move(ctx), shared]() mutable {
        Outcome outcome = auth_.Login(ctx);
        Finish(std::move(ctx), false, std::move(outcome), req, std::move(*shared));
      });
      return;
    }
    case Route::kMfa: {
      if (method != "POST") return NotAllowedBeforeLogin(std::move(ctx), req, std::move(respond));
      auto snapshot = s_.store.reader().BeginSnapshot();
      Outcome outcome = auth_.Mfa(ctx);
      snapshot.reset();
      return Finish(std::move(ctx), false, std::move(outcome), req, std::move(respond));
    }
    default:
      if (RunsOnWorker(route.kind)) {
        auto shared = std::make_shared<http::Responder>(std::move(respond));
        s_.workers.Post([this, req, ctx = std::move(ctx), route, shared]() mutable {
          Authenticated(req, std::move(ctx), route, std::move(*shared));
        });
        return;
      }
      return Authenticated(req, std::move(ctx), route, std::move(respond));
  }
}

// A wrong method on the login routes: no session to check, but recorded like every
// request to a route that is not public.
void Pipeline::NotAllowedBeforeLogin(RequestContext ctx, std::shared_ptr<http::Request> req,
                                     http::Responder respond) {
  AuditFacts facts;
  facts.interaction = "method-not-allowed";
  Finish(std::move(ctx), false,
         Outcome{MethodNotAllowed(false, "POST"), std::move(facts), nullptr, nullptr, {}}, req,
         std::move(respond));
}

void Pipeline::Authenticated(std::shared_ptr<http::Request> req, RequestContext ctx,
                             const Route& route, http::Responder respond) {
  AuditFacts facts;
  facts.interaction = route.pattern;
  // Authentication and the handler's reads see one snapshot of the database.
  auto snapshot = s_.store.reader().BeginSnapshot();
  auto deny = [&](const Error& e) {
    Outcome denied = route.fhir() ? FhirErrorOutcome(e, facts) : JsonErrorOutcome(e, facts);
    Finish(std::move(ctx), route.fhir(), std::move(denied), req, std::move(respond));
  };
  // API clients send the bearer token; browsers send the cookie, and then every
  // state-changing request must echo the session's CSRF token in a header, which a
  // forged cross-site request cannot read.
  if (Status clock = clock_guard_.Check(); !clock) return deny(clock.error());
  auto token = BearerToken(*req);
  if (!token) {
    token = CookieToken(*req);
    ctx.session_from_cookie = token.has_value();
  }
  Result<identity::Principal> principal =
      token ? s_.authenticator.Authenticate(*token)
            : Fail(ErrorCode::kUnauthenticated, "authentication required: send a bearer token");
  if (!principal) return deny(principal.error());
  if (ctx.session_from_cookie && ChangesState(req->method) &&
      !SameSecret(req->HeaderValue(kCsrfHeader), s_.mfa.CsrfToken(principal->session_id()))) {
    ctx.principal = std::move(*principal);  // the audit entry names who it was
    return deny({ErrorCode::kForbidden, "missing or invalid CSRF token", {}});
  }
  ctx.principal = std::move(*principal);
  if (s_.options.bind_sessions_to_client && !SameClient(*ctx.principal, *req)) {
    // A session token replayed from another device: refused, and the session ended so
    // that the thief's copy dies with it (the owner logs in again, with their phone).
    facts.detail = "session used from another client";
    Outcome moved = route.fhir() ? FhirErrorOutcome(SessionMoved(), facts)
                                 : JsonErrorOutcome(SessionMoved(), facts);
    int64_t now = ToUnixMillis(ctx.received_at);
    moved.alerts.push_back(NewAlert(s_.keyring, ctx.principal->account_id(), "high",
                                    "session-moved", "",
                                    "a session opened from one client was used from another "
                                    "(address or user agent changed); the session was ended",
                                    now));
    moved.write = [session = ctx.principal->session_id(), now](store::Transaction& txn) {
      return txn.RevokeSession(session, now);
    };
    return Finish(std::move(ctx), route.fhir(), std::move(moved), req, std::move(respond));
  }
  if (ctx.principal->must_change_password() && !AllowedBeforePasswordChange(route.kind))
    return deny({ErrorCode::kForbidden,
                 "your password was reset: change it (POST /auth/password) before anything else",
                 {}});
  if (!PassesTheGate(route.kind)) {
    auto gate = s_.detector.Gate(*ctx.principal, ToUnixMillis(ctx.received_at));
    if (gate.kind == detect::GateVerdict::kStepUp) {
      facts.detail = "containment: step-up required";
      Error e{ErrorCode::kUnauthenticated,
              "step-up required: " + gate.reason + " (POST /auth/step-up), then retry",
              {}};
      Outcome denied = route.fhir() ? FhirErrorOutcome(e, facts) : StepUpRequired(e, facts);
      return Finish(std::move(ctx), route.fhir(), std::move(denied), req, std::move(respond));
    }
    if (gate.kind == detect::GateVerdict::kThrottled) {
      facts.detail = "containment: throttled";
      Error e{ErrorCode::kTooManyRequests, gate.reason, {}};
      Outcome slowed = route.fhir() ? FhirErrorOutcome(e, facts) : JsonErrorOutcome(e, facts);
      slowed.response.headers.push_back(
          {"Retry-After",
           std::to_string(std::max<int64_t>(1, (gate.retry_after_ms + 999) / 1000))});
      return Finish(std::move(ctx), route.fhir(), std::move(slowed), req, std::move(respond));
    }
  }
  if (Sensitive(route, req->method) && !s_.authenticator.SteppedUp(*ctx.principal)) {
    // A distinct error code, so clients know to ask for a code and retry.
    facts.detail = "step-up required";
    Error e{ErrorCode::kUnauthenticated,
            "step-up required: confirm with a fresh code (POST /auth/step-up), then retry",
            {}};
    Outcome denied = route.fhir() ? FhirErrorOutcome(e, facts) : StepUpRequired(e, facts);
    return Finish(std::move(ctx), route.fhir(), std::move(denied), req, std::move(respond));
  }
  Outcome outcome = Dispatch(ctx, route);
  snapshot.reset();
  Finish(std::move(ctx), route.fhir(), std::move(outcome), req, std::move(respond));
}

Outcome Pipeline::Dispatch(const RequestContext& ctx, const Route& route) {
  const std::string& m = ctx.request->method;
  auto not_allowed = [&](std::string_view allow) {
    AuditFacts facts;
    facts.interaction = "method-not-allowed";
    return Outcome{MethodNotAllowed(route.fhir(), allow), std::move(facts), nullptr, nullptr, {}};
  };
  switch (route.kind) {
    case Route::kLogout: return m == "POST" ? auth_.Logout(ctx) : not_allowed("POST");
    case Route::kMe: return m == "GET" ? auth_.Me(ctx) : not_allowed("GET");
    case Route::kStepUp: return m == "POST" ? auth_.StepUp(ctx) : not_allowed("POST");
    case Route::kPassword: return m == "POST" ? auth_.ChangePassword(ctx) : not_allowed("POST");
    case Route::kSessions: return m == "GET" ? auth_.Sessions(ctx) : not_allowed("GET");
    case Route::kSession:
      return m == "DELETE" ? auth_.RevokeSession(ctx, route.id) : not_allowed("DELETE");
    case Route::kAuditTreeHead:
    case Route::kAuditInclusion:
    case Route::kAuditConsistency:
    case Route::kAuditEvents:
    case Route::kAuditEvent: {
      // The trail and its proofs are the security officer's tools.
      if (ctx.principal->role() != identity::Role::kSecurityOfficer) {
        AuditFacts facts;
        facts.interaction = "audit-access";
        Error e{ErrorCode::kForbidden, "the audit trail is for the security officer", {}};
        return route.fhir() ? FhirErrorOutcome(e, facts) : JsonErrorOutcome(e, facts);
      }
      if (m != "GET") return not_allowed("GET");
      if (route.kind == Route::kAuditTreeHead) return audit_.TreeHead(ctx);
      if (route.kind == Route::kAuditInclusion) return audit_.Inclusion(ctx);
      if (route.kind == Route::kAuditEvents) return audit_.SearchEvents(ctx);
      if (route.kind == Route::kAuditEvent) return audit_.ReadEvent(ctx, route.id);
      return audit_.Consistency(ctx);
    }
    case Route::kAdminAccounts:
    case Route::kAdminAccountDo: {
      if (ctx.principal->role() != identity::Role::kAdmin) {
        AuditFacts facts;
        facts.interaction = "account-admin";
        return JsonErrorOutcome(
            {ErrorCode::kForbidden, "account administration is for administrators", {}}, facts);
      }
      if (route.kind == Route::kAdminAccountDo)
        return m == "POST" ? admin_.Act(ctx, route.id, route.action) : not_allowed("POST");
      if (m == "GET") return admin_.List(ctx);
      if (m == "POST") return admin_.Create(ctx);
      return not_allowed("GET, POST");
    }
    case Route::kBreakGlass: return m == "POST" ? access_.BreakGlass(ctx) : not_allowed("POST");
    case Route::kGrants: return m == "GET" ? access_.Grants(ctx) : not_allowed("GET");
    case Route::kCareRelationships:
      return m == "POST" ? access_.StartCare(ctx) : not_allowed("POST");
    case Route::kSecurityAlerts:
    case Route::kSecurityEvents:
    case Route::kAlertResolve:
    case Route::kAccountActivity:
    case Route::kAccountContain:
    case Route::kBreachReport:
    case Route::kBreachNotification:
    case Route::kBreachNotificationPatients: {
      if (ctx.principal->role() != identity::Role::kSecurityOfficer) {
        AuditFacts facts;
        facts.interaction = "security-console";
        return JsonErrorOutcome(
            {ErrorCode::kForbidden, "the security console is for the security officer", {}}, facts);
      }
      if (route.kind == Route::kSecurityAlerts)
        return m == "GET" ? security_.Alerts(ctx) : not_allowed("GET");
      if (route.kind == Route::kSecurityEvents)
        return m == "GET" ? security_.Events(ctx) : not_allowed("GET");
      if (route.kind == Route::kAccountActivity)
        return m == "GET" ? security_.Activity(ctx, route.id) : not_allowed("GET");
      if (IsIncident(route.kind) && m != "GET") return not_allowed("GET");
      if (route.kind == Route::kBreachReport) return incident_.BreachReport(ctx);
      if (route.kind == Route::kBreachNotification) return incident_.Notification(ctx);
      if (route.kind == Route::kBreachNotificationPatients)
        return incident_.NotificationPatients(ctx);
      if (m != "POST") return not_allowed("POST");
      if (route.kind == Route::kAlertResolve) return security_.Resolve(ctx, route.id);
      return security_.Contain(ctx, route.id);
    }
    case Route::kSecuritySelfCheck:
      return m == "GET" ? PostureApi(s_).SelfCheck(ctx) : not_allowed("GET");
    case Route::kAdminPatientErase:
      return m == "POST" ? ErasureApi(s_).Erase(ctx, route.id) : not_allowed("POST");
    case Route::kFhirUnknownType: {
      AuditFacts facts;
      facts.interaction = "unknown-type";
      return FhirErrorOutcome(
          {ErrorCode::kNotFound, "this server does not serve that resource type", {}}, facts);
    }
    case Route::kFhirType:
      if (m == "GET") return fhir_.Search(ctx, route.type);
      if (m == "POST") return fhir_.Create(ctx, route.type);
      return not_allowed("GET, POST");
    case Route::kFhirInstance:
      if (m == "GET") return fhir_.Read(ctx, route.type, route.id);
      if (m == "PUT") return fhir_.Update(ctx, route.type, route.id);
      if (m == "DELETE") return fhir_.Delete(ctx, route.type, route.id);
      return not_allowed("GET, PUT, DELETE");
    case Route::kFhirHistory:
      return m == "GET" ? fhir_.History(ctx, route.type, route.id) : not_allowed("GET");
    case Route::kFhirVersion:
      return m == "GET" ? fhir_.VRead(ctx, route.type, route.id, route.version)
                        : not_allowed("GET");
    default: return FhirErrorOutcome({ErrorCode::kInternal, "unrouted request", {}}, {});
  }
}

void Pipeline::Finish(RequestContext ctx, bool fhir, Outcome outcome,
                      std::shared_ptr<http::Request> req, http::Responder respond) {
  detector_.ChargeBudget(ctx, fhir, outcome);
  audit::AuditEvent event;
  event.time_ms = ToUnixMillis(ctx.received_at);
  event.request_id = ctx.request_id;
  if (ctx.principal) {
    event.account_id = ctx.principal->account_id();
    event.username = ctx.principal->username();
    event.role = identity::NameOf(ctx.principal->role());
    event.session_id = ctx.principal->session_id();
  } else {
    event.account_id = outcome.audit.account_id;
    event.username = outcome.audit.username;
  }
  event.client_address = req->client_address;
  event.user_agent = std::string(req->HeaderValue("User-Agent").substr(0, 256));
  std::optional<detect::DetectionEvent> detection;
  if (ctx.principal && s_.detection_events)
    detection = DetectionEventOf(event, ctx.principal->role(), outcome.audit);
  event.interaction = outcome.audit.interaction;
  event.resource_type = outcome.audit.resource_type;
  event.resource_id = outcome.audit.resource_id;
  event.patients = std::move(outcome.audit.patients);
  // The grounds, for breach reports (copied: the detector may still read the facts).
  if (!event.patients.empty()) {
    event.outside_care = outcome.audit.patients_outside_care;
    event.minimal_identity = outcome.audit.minimal_identity_patients;
  }
  event.status = outcome.response.status;
  event.outcome = OutcomeName(event.status);
  event.detail = std::move(outcome.audit.detail);

  std::string touch_session;
  if (ctx.principal &&
      ToUnixMillis(ctx.received_at) - ctx.principal->session_last_seen_ms() >= kTouchIntervalMs)
    touch_session = ctx.principal->session_id();

  struct Pending {
    http::Response response;
    http::Responder respond;
    std::optional<Error> write_error;
    std::optional<audit::AuditReceipt> receipt;
  };
  auto pending = std::make_shared<Pending>(
      Pending{std::move(outcome.response), std::move(respond), std::nullopt, std::nullopt});
  int64_t now = ToUnixMillis(ctx.received_at);
  auto started = std::chrono::steady_clock::now();
  // The access log names the route pattern, never concrete ids or query strings
  // (queries carry patient names).
  std::string log_prefix = req->method + " " + ctx.route_pattern;

  detector_.CountRefusal(ctx, event.status, now, outcome);

  // Sealed here, off the single writer thread; resealed there only if the write fails
  // and the entry has to say so.
  audit::SealedEntry sealed = s_.audit.Seal(event);
  s_.store.Submit(
      [this, event = std::move(event), sealed = std::move(sealed), write = std::move(outcome.write),
       refusal_write = std::move(outcome.refusal_write), alerts = std::move(outcome.alerts),
       touch_session, now, pending](store::Transaction& txn) mutable -> Status {
        if (write) {
          Status written = txn.RunIsolated(write);
          if (!written) {
            pending->write_error = written.error();
            event.status = HttpStatusOf(written.error().code);
            event.outcome = OutcomeName(event.status);
            event.detail = written.error().message;
            if (refusal_write) TRY(txn.RunIsolated(refusal_write));
            sealed = s_.audit.Seal(event);
          }
        }
        if (!touch_session.empty()) TRY(txn.TouchSession(touch_session, now));
        ASSIGN_OR_RETURN(auto receipt, s_.audit.Append(txn, sealed));
        pending->receipt = receipt;
        // An alert about an access that did not happen (its writes failed) is dropped.
        if (!pending->write_error) {
          for (store::AlertRow& alert : alerts) {
            alert.audit_seq = receipt.sequence();
            TRY(txn.InsertAlert(alert));
          }
        }
        return Ok();
      },
      [this, pending, fhir, request_id = ctx.request_id, started,
       log_prefix = std::move(log_prefix),
       detection = std::move(detection)](Status committed) mutable {
        http::Response response;
        if (!committed) {
          Error e{ErrorCode::kUnavailable,
                  "the request could not be recorded durably; nothing was changed",
                  {}};
          spdlog::error("request {} not committed: {}", request_id, committed.error().message);
          response = fhir ? FhirError(e) : JsonError(e);
        } else if (pending->write_error) {
          response = fhir ? FhirError(*pending->write_error) : JsonError(*pending->write_error);
        } else {
          response = std::move(pending->response);
        }
        // The detector hears of every recorded request, before its answer leaves.
        if (committed && detection && pending->receipt) {
          detection->audit_seq = pending->receipt->sequence();
          detection->status = response.status;
          s_.detection_events->Push(std::move(*detection));
        }
        response.headers.push_back({"X-Request-Id", request_id});
        auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count();
        spdlog::debug("{} -> {} in {} us (request {})", log_prefix, response.status, ms,
                      request_id);
        pending->respond(std::move(response));
      });
}

http::Response Pipeline::ProtocolError(int status, std::string_view message,
                                       std::string_view path) {
  ErrorCode code = ErrorCode::kInvalid;
  if (status == 413) code = ErrorCode::kPayloadTooLarge;
  if (status == 405 || status == 501) code = ErrorCode::kMethodNotAllowed;
  if (status == 503) code = ErrorCode::kUnavailable;
  Error e{code, std::string(message), {}};
  http::Response r = path.starts_with("/fhir") ? FhirError(e) : JsonError(e);
  r.status = status;
  return r;
}

}  // namespace medvault::api
