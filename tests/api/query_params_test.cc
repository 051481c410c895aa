#include "api/query_params.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace medvault::api {
namespace {

TEST(QueryParams, ParsesKnownNamesOnceEach) {
  auto p =
      ParseQueryParams("account=abc&severity=high&note=a%20b", {"account", "severity", "note"});
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->at("account"), "abc");
  EXPECT_EQ(p->at("severity"), "high");
  EXPECT_EQ(p->at("note"), "a b");
  EXPECT_TRUE(ParseQueryParams("", {"account"}).has_value());
  EXPECT_TRUE(ParseQueryParams("&&account=x&", {"account"}).has_value());
}

TEST(QueryParams, RefusesUnknownRepeatedEmptyAndMalformed) {
  const std::vector<std::string> bad_queries = {"other=1",     "account=1&account=2",
                                                "account=",    "account",
                                                "account=%zz", "account=" + std::string(3000, 'a')};
  for (const std::string& bad : bad_queries) {
    auto p = ParseQueryParams(bad, {"account"});
    EXPECT_FALSE(p.has_value()) << bad;
    if (!p) {
      EXPECT_EQ(p.error().code, ErrorCode::kInvalid);
      // The message names what is accepted, never the value sent.
      EXPECT_EQ(p.error().message.find("%zz"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace medvault::api
