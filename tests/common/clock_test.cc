// The server's clock: the wall clock, held back from ever running backward.
#include "common/clock.h"

#include <gtest/gtest.h>

namespace medvault {
namespace {

using namespace std::chrono_literals;

const Time kStart = FromUnixMillis(1'700'000'000'000);

TEST(NonDecreasingClock, FollowsTheWallClockForward) {
  ManualClock wall(kStart);
  NonDecreasingClock clock(wall);
  EXPECT_EQ(clock.Now(), kStart);
  wall.Advance(90s);
  EXPECT_EQ(clock.Now(), kStart + 90s);
  wall.Advance(2h);  // a forward step is followed at once
  EXPECT_EQ(clock.Now(), kStart + 2h + 90s);
}

TEST(NonDecreasingClock, StandsStillWhenTheWallClockIsSetBackThenFollowsItAgain) {
  ManualClock wall(kStart);
  NonDecreasingClock clock(wall);
  wall.Advance(10min);
  EXPECT_EQ(clock.Now(), kStart + 10min);
  wall.Set(kStart - 40min);  // set back by 50 minutes
  EXPECT_EQ(clock.Now(), kStart + 10min);
  wall.Advance(40min);
  EXPECT_EQ(clock.Now(), kStart + 10min);  // still behind: standing still
  wall.Advance(11min);
  EXPECT_EQ(clock.Now(), kStart + 11min);  // caught up: following, with no offset
}

// Time frozen for days would freeze every timeout with it: past an hour of standing
// still, the clock follows the wall clock back, and says so.
TEST(NonDecreasingClock, FollowsAJumpBackOfMoreThanAnHour) {
  ManualClock wall(kStart);
  NonDecreasingClock clock(wall);
  EXPECT_EQ(clock.Now(), kStart);
  wall.Set(kStart - 1h);
  EXPECT_EQ(clock.Now(), kStart);  // an hour: still standing
  EXPECT_EQ(clock.followed_back(), 0u);
  wall.Set(kStart - 1h - 1ms);
  EXPECT_EQ(clock.Now(), kStart - 1h - 1ms);
  EXPECT_EQ(clock.followed_back(), 1u);
  wall.Advance(1s);
  EXPECT_EQ(clock.Now(), kStart - 1h + 999ms);

  NonDecreasingClock restarted(wall, kStart + 1h);  // a floor two hours ahead
  EXPECT_EQ(restarted.Now(), wall.Now());
  EXPECT_EQ(restarted.followed_back(), 1u);
}

TEST(NonDecreasingClock, NeverReturnsLessThanItsFloor) {
  ManualClock wall(kStart);
  NonDecreasingClock clock(wall, kStart + 5min);  // e.g. the latest time the database recorded
  EXPECT_EQ(clock.Now(), kStart + 5min);
  clock.Raise(kStart + 1min);  // a lower floor changes nothing
  EXPECT_EQ(clock.Now(), kStart + 5min);
  clock.Raise(kStart + 7min);
  EXPECT_EQ(clock.Now(), kStart + 7min);
  wall.Advance(8min);
  EXPECT_EQ(clock.Now(), kStart + 8min);
}

}  // namespace
}  // namespace medvault
