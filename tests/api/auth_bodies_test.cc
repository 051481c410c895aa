#include "api/auth_bodies.h"

#include <gtest/gtest.h>

namespace medvault::api {
namespace {

TEST(AuthBodies, LoginNeedsAUsernameAndAPassword) {
  auto login = ParseLoginBody(R"({"username":"alice","password":"pw"})");
  ASSERT_TRUE(login) << login.error().message;
  EXPECT_EQ(login->username, "alice");
  EXPECT_EQ(login->password, "pw");
  for (std::string_view bad : {R"({"username":"","password":"pw"})", R"({"username":"alice"})",
                               R"({"username":"a","password":"p","x":"y"})", R"([])", "{"}) {
    auto refused = ParseLoginBody(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  }
}

TEST(AuthBodies, MfaTakesACodeOrARecoveryCodeNotBoth) {
  auto code = ParseMfaBody(R"({"challenge":"c","code":"123456"})");
  ASSERT_TRUE(code);
  EXPECT_EQ(code->code, "123456");
  EXPECT_FALSE(code->recovery_code);
  auto recovery = ParseMfaBody(R"({"challenge":"c","recovery_code":"abcde-fghjk"})");
  ASSERT_TRUE(recovery);
  EXPECT_EQ(recovery->recovery_code, "abcde-fghjk");
  EXPECT_FALSE(recovery->code);
  // An empty code is a code (a wrong one, counted as an attempt), not a missing one.
  EXPECT_TRUE(ParseMfaBody(R"({"challenge":"c","code":""})"));
  EXPECT_FALSE(ParseMfaBody(R"({"challenge":"c","code":"1","recovery_code":"r"})"));
  EXPECT_FALSE(ParseMfaBody(R"({"challenge":"c"})"));
  EXPECT_FALSE(ParseMfaBody(R"({"challenge":"","code":"123456"})"));
}

TEST(AuthBodies, StepUpAndPasswordChangeFieldsMayBeAbsent) {
  EXPECT_EQ(ParseStepUpBody("{}").value_or("x"), "");
  auto change = ParsePasswordChangeBody(R"({"new":"n"})");
  ASSERT_TRUE(change);
  EXPECT_EQ(change->current, "");
  EXPECT_EQ(change->next, "n");
  EXPECT_FALSE(ParsePasswordChangeBody(R"({"old":"o"})"));
}

}  // namespace
}  // namespace medvault::api
