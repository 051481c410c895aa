// Platform features: each hour against the same hour of past weeks, looking for breadth
// (many accounts a little) rather than one account a lot.
#include "detect/platform_features.h"

#include <gtest/gtest.h>

#include "detect/clinic_simulation.h"

namespace medvault::detect {
namespace {

using clinic::At;

// One hour of platform activity: `accounts` accounts from `first_account`, each opening
// `patients` patients of its own and leaving `unwritten` of them unwritten.
void Hour(PlatformFeatures& platform, int64_t start, int first_account, int accounts, int patients,
          int unwritten, int patient_offset = 0) {
  for (int a = first_account; a < first_account + accounts; ++a) {
    std::vector<uint64_t> hashes;
    for (int p = 0; p < patients; ++p)
      hashes.push_back(HashId(clinic::PatientId(patient_offset + a * 1000 + p)));
    platform.RecordPatients(static_cast<uint64_t>(a), hashes, patients, start + kMinuteMs);
    if (unwritten > 0)
      platform.RecordUnwritten(static_cast<uint64_t>(a), unwritten, start + 2 * kMinuteMs);
  }
}

// Four past weeks: every Monday at 10:00, 100 accounts open 3 patients each and ten of
// them leave one unwritten; the platform is quiet otherwise, but up (hours close).
PlatformFeatures WithFourWeeksOfMondayTen() {
  PlatformFeatures platform{PlatformFeatureOptions{}};
  for (int64_t hour = At(0, 0); hour < At(28, 0); hour += kHourMs) {
    EXPECT_TRUE(platform.CloseHours(hour).empty());
    if (clinic::At((hour - clinic::kMonday) / kDayMs / 7 * 7, 10) != hour) continue;
    Hour(platform, hour, 0, 100, 3, 0, static_cast<int>(hour / kHourMs));
    Hour(platform, hour, 0, 10, 0, 1);
  }
  return platform;
}

TEST(PlatformFeatures, AnHourIsJudgedOnlyOnceItsHourOfWeekHasHistory) {
  PlatformFeatures platform{PlatformFeatureOptions{}};
  // The first Monday: a flood, but nothing to compare it with.
  platform.CloseHours(At(0, 10));
  Hour(platform, At(0, 10), 0, 100, 3, 3);
  EXPECT_TRUE(platform.CloseHours(At(0, 11)).empty());
  EXPECT_FALSE(platform.last_closed().judged);
}

TEST(PlatformFeatures, FiftyAccountsEachAFewUnwrittenReadsMakeAnAnomalousHour) {
  PlatformFeatures platform = WithFourWeeksOfMondayTen();
  const int64_t ten = At(28, 10);
  platform.CloseHours(ten);
  Hour(platform, ten, 0, 100, 3, 0, 9'000'000);
  Hour(platform, ten, 0, 50, 0, 2);  // fifty accounts, two unwritten reads each
  const auto anomalous = platform.CloseHours(ten + kHourMs);
  ASSERT_EQ(anomalous.size(), 1u);
  const PlatformHour& h = anomalous[0];
  EXPECT_TRUE(h.unwritten_anomalous);
  EXPECT_FALSE(h.patients_anomalous);
  EXPECT_DOUBLE_EQ(h.unwritten, 100);
  EXPECT_NEAR(h.unwritten_usual, 10, 0.01);
  EXPECT_GT(h.severity, 0.5);
  int contributing = 0;
  for (const PlatformContributor& c : h.contributors) contributing += c.unwritten > 0;
  EXPECT_EQ(contributing, 50);
}

TEST(PlatformFeatures, OneAccountALotIsNotAPlatformAnomaly) {
  PlatformFeatures platform = WithFourWeeksOfMondayTen();
  const int64_t ten = At(28, 10);
  platform.CloseHours(ten);
  Hour(platform, ten, 0, 100, 3, 0, 9'000'000);
  Hour(platform, ten, 0, 1, 0, 200);    // one account: its own features judge it
  Hour(platform, ten, 200, 3, 150, 0);  // three accounts with 150 new patients each
  EXPECT_TRUE(platform.CloseHours(ten + kHourMs).empty());
  EXPECT_DOUBLE_EQ(platform.last_closed().unwritten, 3 + 10 * 0) << "capped at 3 per account";
  EXPECT_GT(platform.last_closed().patients, platform.last_closed().patients_threshold)
      << "over the threshold, but not without its three biggest contributors";
}

TEST(PlatformFeatures, ManyAccountsReadingMoreThanUsualMakeAVolumeAnomaly) {
  PlatformFeatures platform = WithFourWeeksOfMondayTen();
  const int64_t ten = At(28, 10);
  platform.CloseHours(ten);
  Hour(platform, ten, 0, 100, 6, 0, 9'000'000);  // every account twice its usual
  const auto anomalous = platform.CloseHours(ten + kHourMs);
  ASSERT_EQ(anomalous.size(), 1u);
  EXPECT_TRUE(anomalous[0].patients_anomalous);
  EXPECT_NEAR(anomalous[0].patients, 600, 30);
  EXPECT_NEAR(anomalous[0].patients_usual, 300, 15);
  EXPECT_EQ(anomalous[0].contributors.size(), 100u);
}

TEST(PlatformFeatures, AnAnomalousHourTeachesAtMostTheEdgeOfNormal) {
  PlatformFeatures platform = WithFourWeeksOfMondayTen();
  for (int week = 4; week < 8; ++week) {
    const int64_t ten = At(week * 7, 10);
    platform.CloseHours(ten);
    Hour(platform, ten, 0, 100, 3, 0, week * 1'000'000);
    Hour(platform, ten, 0, 50, 0, 2);
    // Week after week the same attack is still unusual.
    EXPECT_EQ(platform.CloseHours(ten + kHourMs).size(), 1u) << "week " << week;
  }
}

TEST(PlatformFeatures, QuietHoursTeachZerosButADownServerTeachesNothing) {
  PlatformFeatures platform = WithFourWeeksOfMondayTen();
  // Monday 3:00 was quiet four weeks running: 35 unwritten reads from 20 accounts then
  // stand out (above the floor of 15 over the usual).
  const int64_t night = At(28, 3);
  platform.CloseHours(night);
  Hour(platform, night, 0, 20, 0, 2);
  ASSERT_EQ(platform.CloseHours(night + kHourMs).size(), 1u);
  EXPECT_DOUBLE_EQ(platform.last_closed().unwritten_usual, 0);
  // Two weeks of silence are the server down, not two quiet Mondays: learned as zeros,
  // they would blunt Monday 10:00 (a lower mean, a much wider sd) and every account
  // reading twice its usual would pass unseen.
  platform.CloseHours(At(42, 10));
  Hour(platform, At(42, 10), 0, 100, 6, 0, 42'000'000);
  const auto anomalous = platform.CloseHours(At(42, 11));
  ASSERT_EQ(anomalous.size(), 1u);
  EXPECT_TRUE(anomalous[0].patients_anomalous);
}

}  // namespace
}  // namespace medvault::detect
