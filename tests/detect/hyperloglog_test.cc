// HyperLogLog: distinct counts within a few percent in fixed memory, and merges that
// count a union once.
#include "detect/hyperloglog.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <string>

namespace medvault::detect {
namespace {

std::string Id(int n) { return "8f2c1a5e-0000-4000-8000-" + std::to_string(100000000000LL + n); }

double RelativeError(double estimate, double truth) { return std::abs(estimate - truth) / truth; }

TEST(HyperLogLog, EstimatesWithinFivePercentAtTenAndAHundredThousand) {
  for (int precision : {10, 12}) {
    HyperLogLog h(precision);
    for (int i = 0; i < 100'000; ++i) {
      h.Add(Id(i));
      if (i + 1 == 10'000) {
        EXPECT_LT(RelativeError(h.Estimate(), 10'000), 0.05) << precision;
      }
    }
    EXPECT_LT(RelativeError(h.Estimate(), 100'000), 0.05) << precision;
  }
}

TEST(HyperLogLog, TheErrorAveragedOverManySetsMatchesTheTheory) {
  // 1.04 / sqrt(1024) = 3.25 %: twenty disjoint sets of 10,000 average well under it.
  double sum = 0;
  for (int set = 0; set < 20; ++set) {
    HyperLogLog h(10);
    for (int i = 0; i < 10'000; ++i) h.Add(Id(set * 10'000 + i));
    sum += RelativeError(h.Estimate(), 10'000);
  }
  EXPECT_LT(sum / 20, 0.035);
}

TEST(HyperLogLog, SmallCountsAreNearlyExactAndDuplicatesCountOnce) {
  HyperLogLog h(8);
  EXPECT_EQ(h.Estimate(), 0);
  EXPECT_TRUE(h.empty());
  for (int round = 0; round < 3; ++round)
    for (int i = 0; i < 25; ++i) h.Add(Id(i));
  EXPECT_NEAR(h.Estimate(), 25, 2);
  EXPECT_FALSE(h.Add(Id(3))) << "a second add of the same id changes no register";
  EXPECT_EQ(h.MemoryBytes(), 256u);
}

TEST(HyperLogLog, MergeCountsTheUnion) {
  HyperLogLog a(10), b(10), both(10);
  for (int i = 0; i < 30'000; ++i) {
    if (i < 20'000) a.Add(Id(i));
    if (i >= 10'000) b.Add(Id(i));
    both.Add(Id(i));
  }
  ASSERT_TRUE(a.Merge(b));
  EXPECT_EQ(a.Estimate(), both.Estimate()) << "a merge is exactly the sketch of the union";
  EXPECT_LT(RelativeError(a.Estimate(), 30'000), 0.05);
  HyperLogLog other_precision(8);
  EXPECT_FALSE(a.Merge(other_precision));
  HyperLogLog empty(10);
  ASSERT_TRUE(empty.Merge(b));
  EXPECT_EQ(empty.Estimate(), b.Estimate());
}

TEST(HyperLogLog, HashIdSpreadsNeighbouringIds) {
  // Ids differing in their last character differ in about half their bits.
  int total = 0;
  for (int i = 0; i < 100; ++i) total += std::popcount(HashId(Id(i)) ^ HashId(Id(i + 1)));
  EXPECT_GT(total / 100, 24);
  EXPECT_LT(total / 100, 40);
}

}  // namespace
}  // namespace medvault::detect
