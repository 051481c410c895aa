#include "api/route.h"

#include <gtest/gtest.h>

namespace medvault::api {
namespace {

TEST(Route, ParsesEveryEndpoint) {
  struct Case {
    const char* path;
    Route::Kind kind;
    const char* id;
    const char* version;
  };
  const Case cases[] = {
      {"/healthz", Route::kHealth, "", ""},
      {"/auth/login", Route::kLogin, "", ""},
      {"/auth/logout", Route::kLogout, "", ""},
      {"/auth/me", Route::kMe, "", ""},
      {"/fhir/metadata", Route::kMetadata, "", ""},
      {"/fhir/Patient", Route::kFhirType, "", ""},
      {"/fhir/Patient/abc-1.2", Route::kFhirInstance, "abc-1.2", ""},
      {"/fhir/Observation/x/_history", Route::kFhirHistory, "x", ""},
      {"/fhir/Observation/x/_history/3", Route::kFhirVersion, "x", "3"},
      {"/fhir/Spaceship", Route::kFhirUnknownType, "", ""},
      {"/fhir/Patient/a%20b", Route::kNotFound, "", ""},
      {"/fhir/Patient/x/y", Route::kNotFound, "", ""},
      {"/fhir/Patient/x/_history/1/extra", Route::kNotFound, "", ""},
      {"/fhir", Route::kNotFound, "", ""},
      {"/", Route::kNotFound, "", ""},
      {"/auth/login/", Route::kNotFound, "", ""},
  };
  for (const Case& c : cases) {
    Route r = ParseRoute(c.path);
    EXPECT_EQ(r.kind, c.kind) << c.path;
    EXPECT_EQ(r.id, c.id) << c.path;
    EXPECT_EQ(r.version, c.version) << c.path;
    EXPECT_EQ(r.pattern.find("abc"), std::string::npos) << "ids stay out of log patterns";
  }
}

// The table the route-enumeration test walks must name every kind, and each of its
// templates must parse back to its kind.
TEST(Route, TableCoversEveryKind) {
  for (int k = Route::kNotFound + 1; k <= Route::kFhirVersion; ++k) {
    bool listed = false;
    for (const RouteSpec& spec : AllRoutes()) listed = listed || spec.kind == k;
    EXPECT_TRUE(listed) << "route kind " << k << " is missing from AllRoutes()";
  }
}

TEST(Route, EveryTemplateParsesToItsKind) {
  for (const RouteSpec& spec : AllRoutes()) {
    std::string path(spec.pattern);
    auto fill = [&](std::string_view hole, std::string_view value) {
      size_t at = path.find(hole);
      if (at != std::string::npos) path.replace(at, hole.size(), value);
    };
    fill("{unknown type}", "Spaceship");
    fill("{type}", "Observation");
    fill("{id}", "abc-1");
    fill("{vid}", "2");
    Route r = ParseRoute(path);
    EXPECT_EQ(r.kind, spec.kind) << path;
    EXPECT_EQ(r.id, spec.pattern.find("{id}") == std::string_view::npos ? "" : "abc-1") << path;
  }
  EXPECT_EQ(ParseRoute("/admin/accounts/x/reset-mfa").action, "reset-mfa");
  EXPECT_EQ(ParseRoute("/admin/accounts/x/explode").kind, Route::kNotFound);
  EXPECT_EQ(ParseRoute("/fhir/AuditEvent/1.2").kind, Route::kAuditEvent);
  EXPECT_EQ(ParseRoute("/fhir/AuditEvent/1/_history").kind, Route::kNotFound);
}

TEST(Route, IdGrammar) {
  EXPECT_TRUE(IsFhirId("a"));
  EXPECT_TRUE(IsFhirId(std::string(64, 'a')));
  EXPECT_FALSE(IsFhirId(std::string(65, 'a')));
  EXPECT_FALSE(IsFhirId(""));
  EXPECT_FALSE(IsFhirId("a_b"));
  EXPECT_FALSE(IsFhirId("a/b"));
}

}  // namespace
}  // namespace medvault::api
