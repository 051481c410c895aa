// Backoff and lockout over HTTPS: failed logins slow down the one who fails, then lock
// the account name until an administrator unlocks it. A small configuration (lock after
// 4 failures, backoff from the second) keeps the test short.
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <thread>

#include "practice_fixture.h"

namespace medvault::testing {
namespace {

class LoginThrottleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    practice_ = StartPractice({{"lockout_after_failures = 10", "lockout_after_failures = 4"},
                               {"free_failures = 2", "free_failures = 1"},
                               {"max_backoff_seconds = 900", "max_backoff_seconds = 2"}})
                    .release();
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
};
Practice* LoginThrottleTest::practice_ = nullptr;

HttpResponse TryLogin(HttpsClient& c, const std::string& username, const std::string& password) {
  return c.Request("POST", "/auth/login",
                   R"({"username":")" + username + R"(","password":")" + password + R"("})",
                   {"Content-Type: application/json"});
}

void Sleep(double seconds) {
  std::this_thread::sleep_for(std::chrono::milliseconds(static_cast<int>(seconds * 1000)));
}

TEST_F(LoginThrottleTest, FailuresBackOffThenLockUntilAnAdministratorUnlocks) {
  auto c = practice_->NewClient();
  const std::string right = practice_->passwords.at("nurse");
  EXPECT_EQ(TryLogin(*c, "nurse", "wrong password 1").status, 401);  // free
  EXPECT_EQ(TryLogin(*c, "nurse", "wrong password 2").status, 401);
  // Now the account (and the address) must wait 1 s; even the right password waits.
  auto waiting = TryLogin(*c, "nurse", right);
  EXPECT_EQ(waiting.status, 429) << waiting.body;
  EXPECT_EQ(waiting.Header("retry-after"), "1");
  Sleep(1.2);
  EXPECT_EQ(TryLogin(*c, "nurse", "wrong password 3").status, 401);
  auto longer = TryLogin(*c, "nurse", right);
  EXPECT_EQ(longer.status, 429);
  EXPECT_EQ(longer.Header("retry-after"), "2");
  Sleep(2.2);
  EXPECT_EQ(TryLogin(*c, "nurse", "wrong password 4").status, 401);  // the 4th: locked
  Sleep(2.2);  // the backoff is over, the lock is not (30 minutes)
  auto locked = TryLogin(*c, "nurse", right);
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_GT(std::stoi(locked.Header("retry-after")), 1000);

  auto listed = RunMedvault({"user", "list", "--data", practice_->data_dir});
  EXPECT_NE(listed.out.find("nurse"), std::string::npos);
  bool shown_locked = false;
  std::istringstream lines(listed.out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("nurse ", 0) == 0) shown_locked = line.find(" yes ") != std::string::npos;
  EXPECT_TRUE(shown_locked) << listed.out;

  auto unlocked =
      RunMedvault({"user", "unlock", "--data", practice_->data_dir, "--username", "nurse"});
  EXPECT_EQ(unlocked.exit_code, 0) << unlocked.err;
  auto after = practice_->LoginAs("nurse");
  EXPECT_EQ(after->Get("/auth/me").status, 200);
}

TEST_F(LoginThrottleTest, UnknownNamesAreThrottledAndLockedLikeRealOnes) {
  auto c = practice_->NewClient();
  std::vector<long> real, unknown;
  for (int i = 0; i < 5; ++i) {
    // Apart by more than the longest backoff, so the address's own backoff (both
    // names come from 127.0.0.1) never answers in their place.
    real.push_back(TryLogin(*c, "secretary", "wrong password").status);
    Sleep(2.2);
    unknown.push_back(TryLogin(*c, "no.such.user", "wrong password").status);
    Sleep(2.2);
  }
  EXPECT_EQ(real, unknown) << "the answers must not tell which names exist";
  EXPECT_EQ(real.back(), 429);
  EXPECT_EQ(
      RunMedvault({"user", "unlock", "--data", practice_->data_dir, "--username", "secretary"})
          .exit_code,
      0);
}

}  // namespace
}  // namespace medvault::testing
