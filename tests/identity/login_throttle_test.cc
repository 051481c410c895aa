// Backoff and lockout arithmetic of failed logins (RetryAfter, LockExpired) and the
// throttling subjects, without a store: the rows are built by hand.
#include "identity/login_throttle.h"

#include <gtest/gtest.h>

#include <string>

namespace medvault::identity {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

constexpr int64_t kT0 = 1'700'000'000'000;  // the last failure, in Unix milliseconds

store::LoginThrottleRow Failures(int64_t failures, int64_t last_failure_ms = kT0,
                                 int64_t locked_until_ms = 0) {
  return store::LoginThrottleRow{"account:dr.house", failures, last_failure_ms, locked_until_ms};
}

const ThrottlePolicy kPolicy;  // 2 free failures, 15 min cap, lock after 10 for 30 min

TEST(LoginThrottleTest, TheFreeFailuresCostNothing) {
  for (int64_t failures = 0; failures <= kPolicy.free_failures; ++failures) {
    SCOPED_TRACE(failures);
    EXPECT_EQ(RetryAfter(Failures(failures), kT0, kPolicy), 0ms);
  }
}

TEST(LoginThrottleTest, EachFailureBeyondTheFreeOnesDoublesTheWaitFromOneSecond) {
  struct Case {
    int64_t failures;
    milliseconds wait;
  };
  constexpr Case kCases[] = {
      {3, 1s},  {4, 2s},  {5, 4s},    {6, 8s},    {7, 16s},
      {8, 32s}, {9, 64s}, {10, 128s}, {11, 256s}, {12, 512s},
  };
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.failures);
    EXPECT_EQ(RetryAfter(Failures(c.failures), kT0, kPolicy), c.wait);
  }
}

TEST(LoginThrottleTest, TheWaitIsMeasuredFromTheLastFailure) {
  store::LoginThrottleRow row = Failures(5);  // 4 s after kT0
  EXPECT_EQ(RetryAfter(row, kT0, kPolicy), 4s);
  EXPECT_EQ(RetryAfter(row, kT0 + 1'500, kPolicy), 2'500ms);
  EXPECT_EQ(RetryAfter(row, kT0 + 3'999, kPolicy), 1ms);
  EXPECT_EQ(RetryAfter(row, kT0 + 4'000, kPolicy), 0ms);
  EXPECT_EQ(RetryAfter(row, kT0 + 3'600'000, kPolicy), 0ms);  // never negative
}

TEST(LoginThrottleTest, TheWaitIsCappedAtMaxDelay) {
  // 2^10 s = 1024 s is past the 15 min (900 s) cap.
  EXPECT_EQ(RetryAfter(Failures(13), kT0, kPolicy), 15min);
  EXPECT_EQ(RetryAfter(Failures(13), kT0 + 60'000, kPolicy), 14min);
  ThrottlePolicy tight;
  tight.max_delay = 3s;
  EXPECT_EQ(RetryAfter(Failures(4), kT0, tight), 2s);
  EXPECT_EQ(RetryAfter(Failures(5), kT0, tight), 3s);
  EXPECT_EQ(RetryAfter(Failures(50), kT0, tight), 3s);
}

TEST(LoginThrottleTest, HugeFailureCountsDoNotOverflow) {
  for (int64_t failures :
       {int64_t{33}, int64_t{64}, int64_t{65}, int64_t{10'000}, int64_t{1} << 40, INT64_MAX / 2}) {
    SCOPED_TRACE(failures);
    EXPECT_EQ(RetryAfter(Failures(failures), kT0, kPolicy), 15min);
  }
  // Even with a cap larger than any shift could reach, the wait stays positive.
  ThrottlePolicy uncapped;
  uncapped.max_delay = milliseconds(INT64_MAX / 4);
  auto wait = RetryAfter(Failures(10'000), kT0, uncapped);
  EXPECT_GT(wait, 0ms);
  EXPECT_GE(wait, 1'000ms * (int64_t{1} << 30));
}

TEST(LoginThrottleTest, FreeFailuresAreAPolicySetting) {
  ThrottlePolicy strict;
  strict.free_failures = 0;
  EXPECT_EQ(RetryAfter(Failures(0), kT0, strict), 0ms);
  EXPECT_EQ(RetryAfter(Failures(1), kT0, strict), 1s);
  EXPECT_EQ(RetryAfter(Failures(2), kT0, strict), 2s);
}

TEST(LoginThrottleTest, ALockedSubjectWaitsAtLeastUntilTheLockEnds) {
  // Locked with no backoff to speak of: the lock decides.
  store::LoginThrottleRow locked = Failures(1, kT0, kT0 + 30 * 60'000);
  EXPECT_EQ(RetryAfter(locked, kT0, kPolicy), 30min);
  EXPECT_EQ(RetryAfter(locked, kT0 + 10 * 60'000, kPolicy), 20min);
  // Locked after 10 failures: the lock (30 min) is longer than the backoff (128 s).
  store::LoginThrottleRow ten = Failures(10, kT0, kT0 + 30 * 60'000);
  EXPECT_EQ(RetryAfter(ten, kT0, kPolicy), 30min);
  // A short lock under a longer backoff: the longer of the two.
  store::LoginThrottleRow short_lock = Failures(13, kT0, kT0 + 1'000);
  EXPECT_EQ(RetryAfter(short_lock, kT0, kPolicy), 15min);
  EXPECT_FALSE(LockExpired(locked, kT0 + 30 * 60'000 - 1));
  EXPECT_GT(RetryAfter(locked, kT0 + 30 * 60'000 - 1, kPolicy), 0ms);
}

TEST(LoginThrottleTest, AnExpiredLockIsAFreshStart) {
  store::LoginThrottleRow locked = Failures(10'000, kT0, kT0 + 30 * 60'000);
  EXPECT_FALSE(LockExpired(locked, kT0));
  EXPECT_TRUE(LockExpired(locked, kT0 + 30 * 60'000));
  EXPECT_TRUE(LockExpired(locked, kT0 + 31 * 60'000));
  // The backoff of the failures before the lock is forgotten with it.
  EXPECT_EQ(RetryAfter(locked, kT0 + 30 * 60'000, kPolicy), 0ms);
  EXPECT_EQ(RetryAfter(locked, kT0 + 31 * 60'000, kPolicy), 0ms);
}

TEST(LoginThrottleTest, ANeverLockedSubjectHasNoExpiredLock) {
  EXPECT_FALSE(LockExpired(Failures(0, 0, 0), kT0));
  EXPECT_FALSE(LockExpired(Failures(50, kT0, 0), kT0 + 3'600'000));
}

TEST(LoginThrottleTest, SubjectsArePrefixedByKind) {
  EXPECT_EQ(AccountSubject("dr.house"), "account:dr.house");
  EXPECT_EQ(AddressSubject("10.0.0.1"), "address:10.0.0.1");
  EXPECT_EQ(AddressSubject("2001:db8::1"), "address:2001:db8::1");
  EXPECT_EQ(AccountSubject(""), "account:");
  // An account named like an address is still a different subject.
  EXPECT_NE(AccountSubject("10.0.0.1"), AddressSubject("10.0.0.1"));
}

TEST(LoginThrottleTest, SubjectsKeepAtMostSixtyFourCharacters) {
  std::string exactly64(64, 'a');
  std::string longer = exactly64 + "bcdef";
  EXPECT_EQ(AccountSubject(exactly64), "account:" + exactly64);
  EXPECT_EQ(AccountSubject(longer), "account:" + exactly64);
  EXPECT_EQ(AddressSubject(longer), "address:" + exactly64);
  EXPECT_EQ(AccountSubject(std::string(10'000, 'x')), "account:" + std::string(64, 'x'));
}

}  // namespace
}  // namespace medvault::identity
