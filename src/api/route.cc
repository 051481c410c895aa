#include "api/route.h"

#include <vector>

namespace medvault::api {
namespace {

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 1;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Route Make(Route::Kind kind, std::string pattern) {
  Route r;
  r.kind = kind;
  r.pattern = std::move(pattern);
  return r;
}

constexpr RouteSpec kRoutes[] = {
    {"/healthz", Route::kHealth, "GET", true},
    {"/fhir/metadata", Route::kMetadata, "GET", true},
    {"/auth/login", Route::kLogin, "POST"},
    {"/auth/mfa", Route::kMfa, "POST"},
    {"/auth/logout", Route::kLogout, "POST"},
    {"/auth/me", Route::kMe, "GET"},
    {"/auth/step-up", Route::kStepUp, "POST"},
    {"/auth/password", Route::kPassword, "POST"},
    {"/auth/sessions", Route::kSessions, "GET"},
    {"/auth/sessions/{id}", Route::kSession, "DELETE"},
    {"/admin/accounts", Route::kAdminAccounts, "GET, POST"},
    {"/admin/accounts/{id}/suspend", Route::kAdminAccountDo, "POST"},
    {"/admin/accounts/{id}/reactivate", Route::kAdminAccountDo, "POST"},
    {"/admin/accounts/{id}/unlock", Route::kAdminAccountDo, "POST"},
    {"/admin/accounts/{id}/reset-password", Route::kAdminAccountDo, "POST"},
    {"/admin/accounts/{id}/reset-mfa", Route::kAdminAccountDo, "POST"},
    {"/audit/tree-head", Route::kAuditTreeHead, "GET"},
    {"/audit/proof/inclusion", Route::kAuditInclusion, "GET"},
    {"/audit/proof/consistency", Route::kAuditConsistency, "GET"},
    {"/access/break-glass", Route::kBreakGlass, "POST"},
    {"/access/grants", Route::kGrants, "GET"},
    {"/access/care-relationships", Route::kCareRelationships, "POST"},
    {"/security/alerts", Route::kSecurityAlerts, "GET"},
    {"/security/alerts/{id}/resolve", Route::kAlertResolve, "POST"},
    {"/security/accounts/{id}/activity", Route::kAccountActivity, "GET"},
    {"/security/accounts/{id}/contain", Route::kAccountContain, "POST"},
    {"/security/events", Route::kSecurityEvents, "GET"},
    {"/security/breach-report", Route::kBreachReport, "GET"},
    {"/security/breach-notification", Route::kBreachNotification, "GET"},
    {"/security/breach-notification/patients", Route::kBreachNotificationPatients, "GET"},
    {"/security/selfcheck", Route::kSecuritySelfCheck, "GET"},
    {"/admin/patients/{id}/erase", Route::kAdminPatientErase, "POST"},
    {"/fhir/AuditEvent", Route::kAuditEvents, "GET"},
    {"/fhir/AuditEvent/{id}", Route::kAuditEvent, "GET"},
    {"/fhir/{unknown type}", Route::kFhirUnknownType, ""},
    {"/fhir/{type}", Route::kFhirType, "GET, POST"},
    {"/fhir/{type}/{id}", Route::kFhirInstance, "GET, PUT, DELETE"},
    {"/fhir/{type}/{id}/_history", Route::kFhirHistory, "GET"},
    {"/fhir/{type}/{id}/_history/{vid}", Route::kFhirVersion, "GET"},
};

}  // namespace

std::span<const RouteSpec> AllRoutes() { return kRoutes; }

bool IsFhirId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.'))
      return false;
  return true;
}

Route ParseRoute(std::string_view path) {
  for (const RouteSpec& spec : kRoutes)
    if (spec.pattern == path && spec.pattern.find('{') == std::string_view::npos)
      return Make(spec.kind, std::string(spec.pattern));
  if (path.starts_with("/auth/sessions/") || path.starts_with("/admin/accounts/")) {
    auto seg = Segments(path);
    bool admin = seg[0] == "admin";
    size_t want = admin ? 4 : 3;
    if (seg.size() != want || !IsFhirId(seg[2])) return Make(Route::kNotFound, "(unknown)");
    if (!admin) {
      Route r = Make(Route::kSession, "/auth/sessions/{id}");
      r.id = seg[2];
      return r;
    }
    for (const RouteSpec& spec : kRoutes) {
      std::string_view action = spec.pattern.substr(spec.pattern.rfind('/') + 1);
      if (spec.kind != Route::kAdminAccountDo || seg[3] != action) continue;
      Route r = Make(Route::kAdminAccountDo, std::string(spec.pattern));
      r.id = seg[2];
      r.action = action;
      return r;
    }
    return Make(Route::kNotFound, "(unknown)");
  }
  if (path.starts_with("/admin/patients/")) {
    auto seg = Segments(path);
    if (seg.size() != 4 || !IsFhirId(seg[2]) || seg[3] != "erase")
      return Make(Route::kNotFound, "(unknown)");
    Route r = Make(Route::kAdminPatientErase, "/admin/patients/{id}/erase");
    r.id = seg[2];
    return r;
  }
  if (path.starts_with("/security/alerts/") || path.starts_with("/security/accounts/")) {
    // /security/{alerts|accounts}/{id}/{action}, served from the table's templates.
    auto seg = Segments(path);
    if (seg.size() != 4 || !IsFhirId(seg[2])) return Make(Route::kNotFound, "(unknown)");
    for (const RouteSpec& spec : kRoutes) {
      auto tmpl = Segments(spec.pattern);
      if (tmpl.size() == 4 && tmpl[0] == "security" && tmpl[1] == seg[1] && tmpl[3] == seg[3]) {
        Route r = Make(spec.kind, std::string(spec.pattern));
        r.id = seg[2];
        return r;
      }
    }
    return Make(Route::kNotFound, "(unknown)");
  }
  if (!path.starts_with("/fhir/")) return Make(Route::kNotFound, "(unknown)");
  auto seg = Segments(path);  // seg[0] == "fhir"
  if (seg.size() < 2 || seg.size() > 5) return Make(Route::kNotFound, "/fhir/(unknown)");
  if (seg[1] == "AuditEvent") {
    // The audit trail's view: read and search only, never written through FHIR.
    if (seg.size() != 3 || !IsFhirId(seg[2]))
      return Make(Route::kNotFound, "/fhir/AuditEvent/(unknown)");
    Route r = Make(Route::kAuditEvent, "/fhir/AuditEvent/{id}");
    r.id = seg[2];
    return r;
  }
  auto type = fhir::ParseResourceType(seg[1]);
  if (!type) return Make(Route::kFhirUnknownType, "/fhir/{unknown type}");
  std::string base = "/fhir/" + std::string(seg[1]);
  Route r;
  r.type = *type;
  if (seg.size() == 2) {
    r.kind = Route::kFhirType;
    r.pattern = base;
    return r;
  }
  if (!IsFhirId(seg[2])) return Make(Route::kNotFound, base + "/(bad id)");
  r.id = seg[2];
  if (seg.size() == 3) {
    r.kind = Route::kFhirInstance;
    r.pattern = base + "/{id}";
    return r;
  }
  if (seg[3] != "_history") return Make(Route::kNotFound, base + "/{id}/(unknown)");
  if (seg.size() == 4) {
    r.kind = Route::kFhirHistory;
    r.pattern = base + "/{id}/_history";
    return r;
  }
  r.kind = Route::kFhirVersion;
  r.version = seg[4];
  r.pattern = base + "/{id}/_history/{vid}";
  return r;
}

}  // namespace medvault::api
