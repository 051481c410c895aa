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

}  // namespace

bool IsFhirId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
          c == '.'))
      return false;
  return true;
}

Route ParseRoute(std::string_view path) {
  if (path == "/healthz") return Make(Route::kHealth, "/healthz");
  if (path == "/auth/login") return Make(Route::kLogin, "/auth/login");
  if (path == "/auth/mfa") return Make(Route::kMfa, "/auth/mfa");
  if (path == "/auth/logout") return Make(Route::kLogout, "/auth/logout");
  if (path == "/auth/me") return Make(Route::kMe, "/auth/me");
  if (path == "/auth/step-up") return Make(Route::kStepUp, "/auth/step-up");
  if (path == "/auth/password") return Make(Route::kPassword, "/auth/password");
  if (path == "/auth/sessions") return Make(Route::kSessions, "/auth/sessions");
  if (path == "/admin/accounts") return Make(Route::kAdminAccounts, "/admin/accounts");
  if (path == "/audit/tree-head") return Make(Route::kAuditTreeHead, "/audit/tree-head");
  if (path == "/audit/proof/inclusion")
    return Make(Route::kAuditInclusion, "/audit/proof/inclusion");
  if (path == "/audit/proof/consistency")
    return Make(Route::kAuditConsistency, "/audit/proof/consistency");
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
    static constexpr std::string_view kActions[] = {"suspend", "reactivate", "unlock",
                                                    "reset-password", "reset-mfa"};
    for (std::string_view action : kActions) {
      if (seg[3] != action) continue;
      Route r = Make(Route::kAdminAccountDo, "/admin/accounts/{id}/" + std::string(action));
      r.id = seg[2];
      r.action = action;
      return r;
    }
    return Make(Route::kNotFound, "(unknown)");
  }
  if (path == "/fhir/metadata") return Make(Route::kMetadata, "/fhir/metadata");
  if (!path.starts_with("/fhir/")) return Make(Route::kNotFound, "(unknown)");
  auto seg = Segments(path);  // seg[0] == "fhir"
  if (seg.size() < 2 || seg.size() > 5) return Make(Route::kNotFound, "/fhir/(unknown)");
  auto type = fhir::ParseResourceType(seg[1]);
  if (!type) return Make(Route::kFhirUnknownType, "/fhir/(unknown type)");
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
