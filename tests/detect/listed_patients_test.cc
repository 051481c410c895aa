// The patients an account was just shown in a list: remembered for the window asked,
// a whole page of the largest size at least, and no longer.
#include "detect/listed_patients.h"

#include <gtest/gtest.h>

#include <vector>

#include "detect/local_time.h"

namespace medvault::detect {
namespace {

constexpr int64_t kT = 1'780'000'000'000;

TEST(ListedPatients, AListedPatientIsKnownWithinTheWindowOnly) {
  ListedPatients listed;
  std::vector<uint64_t> page{11, 12, 13};
  listed.Listed(page, kT);
  EXPECT_TRUE(listed.WasListed(12, kT + kHourMs, kDayMs));
  EXPECT_FALSE(listed.WasListed(14, kT + kHourMs, kDayMs));
  EXPECT_FALSE(listed.WasListed(12, kT + kDayMs + kMinuteMs, kDayMs));
  EXPECT_FALSE(listed.WasListed(12, kT - kHourMs, kDayMs)) << "not before it was listed";
  // Listed again: the window starts again.
  listed.Listed(page, kT + kDayMs);
  EXPECT_TRUE(listed.WasListed(12, kT + kDayMs + kHourMs, kDayMs));
}

TEST(ListedPatients, AWholePageOfAHundredIsKeptThenTheOldestGo) {
  ListedPatients listed;
  std::vector<uint64_t> first, second;
  for (uint64_t i = 0; i < ListedPatients::kCapacity; ++i) first.push_back(1000 + i);
  listed.Listed(first, kT);
  for (uint64_t p : first) EXPECT_TRUE(listed.WasListed(p, kT, kDayMs)) << p;
  for (uint64_t i = 0; i < 10; ++i) second.push_back(5000 + i);
  listed.Listed(second, kT + kMinuteMs);
  EXPECT_FALSE(listed.WasListed(1000, kT + kMinuteMs, kDayMs));
  EXPECT_FALSE(listed.WasListed(1009, kT + kMinuteMs, kDayMs));
  EXPECT_TRUE(listed.WasListed(1010, kT + kMinuteMs, kDayMs));
  EXPECT_TRUE(listed.WasListed(5009, kT + kMinuteMs, kDayMs));
}

}  // namespace
}  // namespace medvault::detect
