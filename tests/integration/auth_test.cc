// Password login, bearer sessions, logout, and refusal without a session — over HTTPS
// against the real binary.
#include <gtest/gtest.h>

#include "practice_fixture.h"

namespace medvault::testing {
namespace {

class AuthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { practice_ = StartPractice().release(); }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
};
Practice* AuthTest::practice_ = nullptr;

HttpResponse Login(HttpsClient& c, const std::string& body) {
  return c.Request("POST", "/auth/login", body, {"Content-Type: application/json"});
}

TEST_F(AuthTest, LoginIssuesABearerTokenThatWorks) {
  auto c = practice_->NewClient();
  auto r = Login(*c, R"({"username":"physician","password":"correct horse battery physician"})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = Json(r.body);
  EXPECT_EQ(std::string(doc["token_type"].GetString()), "Bearer");
  EXPECT_EQ(std::string(doc["access_token"].GetString()).size(), 43u);
  EXPECT_GT(doc["expires_in"].GetInt(), 0);
  c->set_bearer(doc["access_token"].GetString());
  auto me = c->Get("/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  auto who = Json(me.body);
  EXPECT_EQ(std::string(who["username"].GetString()), "physician");
  EXPECT_EQ(std::string(who["role"].GetString()), "physician");
  EXPECT_EQ(std::string(who["organization"].GetString()), practice_->organization_id);
}

TEST_F(AuthTest, UnknownUserAndWrongPasswordGetTheSameAnswer) {
  auto c = practice_->NewClient();
  auto wrong = Login(*c, R"({"username":"physician","password":"not the right password"})");
  auto unknown = Login(*c, R"({"username":"nobody-here","password":"not the right password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.Header("www-authenticate"), unknown.Header("www-authenticate"));
}

TEST_F(AuthTest, MalformedLoginBodiesAreRefused) {
  auto c = practice_->NewClient();
  for (const char* body : {"", "{", "[]", R"({"username":1,"password":"x"})", R"({"username":"a"})",
                           R"({"username":"a","password":"b","x":1})"}) {
    auto r = Login(*c, body);
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
    auto doc = Json(r.body);
    EXPECT_TRUE(doc.HasMember("error") && doc.HasMember("message")) << r.body;
  }
  auto wrong_type = c->Request("POST", "/auth/login", "username=a&password=b",
                               {"Content-Type: application/x-www-form-urlencoded"});
  EXPECT_EQ(wrong_type.status, 415);
  EXPECT_EQ(c->Get("/auth/login").status, 405);
}

TEST_F(AuthTest, FhirWithoutOrWithABadTokenIs401WithAnOperationOutcome) {
  auto c = practice_->NewClient();
  for (const std::string& token : {std::string(), std::string("garbage"), std::string(43, 'A')}) {
    c->set_bearer(token);
    auto r = c->Get("/fhir/Patient?family=martin");
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.Header("www-authenticate"), "Bearer realm=\"medvault\"");
    auto doc = Json(r.body);
    EXPECT_EQ(std::string(doc["resourceType"].GetString()), "OperationOutcome");
    EXPECT_EQ(std::string(doc["issue"][0]["code"].GetString()), "login");
  }
}

TEST_F(AuthTest, LogoutRevokesTheSession) {
  auto c = practice_->LoginAs("nurse");
  ASSERT_EQ(c->Get("/auth/me").status, 200);
  EXPECT_EQ(c->Request("POST", "/auth/logout").status, 204);
  EXPECT_EQ(c->Get("/auth/me").status, 401);
}

TEST_F(AuthTest, PublicEndpointsNeedNoSession) {
  auto c = practice_->NewClient();
  auto health = c->Get("/healthz");
  EXPECT_EQ(health.status, 200);
  auto metadata = c->Get("/fhir/metadata");
  ASSERT_EQ(metadata.status, 200);
  auto doc = Json(metadata.body);
  EXPECT_EQ(std::string(doc["resourceType"].GetString()), "CapabilityStatement");
  EXPECT_EQ(doc["rest"][0]["resource"].Size(), 10u);
}

}  // namespace
}  // namespace medvault::testing
