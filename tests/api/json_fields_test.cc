#include "api/json_fields.h"

#include <gtest/gtest.h>

namespace medvault::api {
namespace {

TEST(JsonFields, ParsesAnObjectOfKnownStringFields) {
  auto fields = ParseStringFields(R"({"code":"123456","note":"\u00e9t\u00e9 \ud83d\ude00"})",
                                  {"code", "note"});
  ASSERT_TRUE(fields) << fields.error().message;
  EXPECT_EQ(fields->at("code"), "123456");
  EXPECT_EQ(fields->at("note"), "\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80");
}

// Found by fuzz/auth_bodies_fuzzer: RapidJSON 1.1.0 decodes a lone low surrogate escape
// into bytes that are not UTF-8 (ED B8 80), past its encoding check; a login with such
// a username put them into an audit entry, which the audit log then cannot parse.
TEST(JsonFields, ALoneSurrogateEscapeIsRefused) {
  for (std::string_view body : {R"({"code":"1\ude00"})", R"({"code":"\udfff"})"}) {
    auto fields = ParseStringFields(body, {"code"});
    ASSERT_FALSE(fields) << body;
    EXPECT_EQ(fields.error().code, ErrorCode::kInvalid);
  }
  // A lone high surrogate RapidJSON refuses itself.
  EXPECT_FALSE(ParseStringFields(R"({"code":"\ud83d"})", {"code"}));
}

TEST(JsonFields, RawBytesThatAreNotUtf8AreRefused) {
  EXPECT_FALSE(ParseStringFields("{\"code\":\"\xed\xb8\x80\"}", {"code"}));
  EXPECT_FALSE(ParseStringFields("{\"code\":\"\xff\"}", {"code"}));
}

}  // namespace
}  // namespace medvault::api
