// The risk score's trail for the security officer's plot: one sample per minute (the
// highest), the newest kCapacity kept, oldest first.
#include "detect/score_trail.h"

#include <gtest/gtest.h>

namespace medvault::detect {
namespace {

constexpr int64_t kMinute = ScoreTrail::kMinuteMs;

TEST(ScoreTrailTest, KeepsTheHighestScoreOfEachMinute) {
  ScoreTrail trail;
  trail.Record(10 * kMinute + 1'000, 12);
  trail.Record(10 * kMinute + 30'000, 31);
  trail.Record(10 * kMinute + 50'000, 20);  // faded a little since: the peak stays
  trail.Record(11 * kMinute, 25);
  auto samples = trail.Since(0);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].time_ms, 10 * kMinute);  // minutes are what is kept
  EXPECT_DOUBLE_EQ(samples[0].score, 31);
  EXPECT_EQ(samples[1].time_ms, 11 * kMinute);
  EXPECT_DOUBLE_EQ(samples[1].score, 25);
}

TEST(ScoreTrailTest, KeepsTheNewestSamplesOldestFirst) {
  ScoreTrail trail;
  const int64_t total = ScoreTrail::kCapacity + 7;
  for (int64_t i = 0; i < total; ++i) trail.Record(i * kMinute, static_cast<double>(i));
  auto samples = trail.Since(0);
  ASSERT_EQ(samples.size(), ScoreTrail::kCapacity);
  for (size_t i = 0; i < samples.size(); ++i)
    EXPECT_EQ(samples[i].time_ms, static_cast<int64_t>(7 + i) * kMinute) << i;
  EXPECT_EQ(trail.MemoryBytes(), ScoreTrail::kCapacity * 8);
}

TEST(ScoreTrailTest, SinceLeavesOutEarlierSamples) {
  ScoreTrail trail;
  EXPECT_TRUE(trail.Since(0).empty());
  EXPECT_EQ(trail.MemoryBytes(), 0u);  // an account that never scored
  for (int64_t i = 0; i < 5; ++i) trail.Record(i * kMinute, 1);
  auto samples = trail.Since(3 * kMinute);
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].time_ms, 3 * kMinute);
}

}  // namespace
}  // namespace medvault::detect
