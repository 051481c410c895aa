#include "api/proof_query.h"

#include <gtest/gtest.h>

#include <string>

namespace medvault::api {
namespace {

TEST(ProofQuery, TakesEachParameterOnceInAnyOrder) {
  auto inclusion = ParseInclusionQuery("size=18446744073709551615&index=3");
  ASSERT_TRUE(inclusion);
  EXPECT_EQ(inclusion->index, 3u);
  EXPECT_EQ(inclusion->size, UINT64_MAX);
  auto consistency = ParseConsistencyQuery("from=0&to=7");
  ASSERT_TRUE(consistency);
  EXPECT_EQ(consistency->from, 0u);
  EXPECT_EQ(consistency->to, 7u);
}

TEST(ProofQuery, RefusesAnythingElse) {
  for (std::string bad : {"", "index=1", "index=1&size=2&index=1", "index=1&size=2&x=3",
                          "index=-1&size=2", "index=+1&size=2", "index=18446744073709551616&size=1",
                          "index= 1&size=2", "index&size=2"}) {
    auto refused = ParseInclusionQuery(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  }
  EXPECT_FALSE(ParseConsistencyQuery("index=1&size=2"));
}

}  // namespace
}  // namespace medvault::api
