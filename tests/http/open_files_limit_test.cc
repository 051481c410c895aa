// How the server fits its connections to the open-files limit (http/open_files_limit.h).
#include "http/open_files_limit.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

namespace medvault::http {
namespace {

TEST(OpenFilesLimit, TheSoftLimitIsRaisedAsFarAsTheConnectionsNeed) {
  // Linux's usual start: soft 1,024, hard 524,288 (systemd) or 1,048,576.
  OpenFilesPlan plan = PlanOpenFiles(1024, 524288, 1024, 128);
  EXPECT_EQ(plan.soft, 1152u);
  EXPECT_EQ(plan.connections, 1024u);
  // No limit at all.
  plan = PlanOpenFiles(1024, RLIM_INFINITY, 5000, 128);
  EXPECT_EQ(plan.soft, 5128u);
  EXPECT_EQ(plan.connections, 5000u);
}

TEST(OpenFilesLimit, ALimitThatAlreadyFitsIsLeftAlone) {
  OpenFilesPlan plan = PlanOpenFiles(65536, 65536, 1024, 128);
  EXPECT_EQ(plan.soft, 65536u);  // never lowered
  EXPECT_EQ(plan.connections, 1024u);
}

TEST(OpenFilesLimit, AHardLimitTooLowCapsTheConnections) {
  OpenFilesPlan plan = PlanOpenFiles(256, 1024, 1024, 128);
  EXPECT_EQ(plan.soft, 1024u);
  EXPECT_EQ(plan.connections, 896u);  // 1,024 - 128: the rest would fail in accept()
  // Even a limit below the reserve leaves the server one connection.
  EXPECT_EQ(PlanOpenFiles(64, 64, 1024, 128).connections, 1u);
}

TEST(OpenFilesLimit, FitRaisesThisProcesssSoftLimit) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  if (saved.rlim_max != RLIM_INFINITY && saved.rlim_max < 1024 + kReservedDescriptors)
    GTEST_SKIP() << "hard open-files limit " << saved.rlim_max << " is too low to test";
  rlimit low = saved;
  low.rlim_cur = 256;
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  OpenFilesFit fit = FitOpenFilesLimit(1024);
  rlimit now{};
  getrlimit(RLIMIT_NOFILE, &now);
  setrlimit(RLIMIT_NOFILE, &saved);
  EXPECT_EQ(fit.soft_before, 256u);
  EXPECT_EQ(fit.soft_after, 1024 + kReservedDescriptors);
  EXPECT_EQ(now.rlim_cur, 1024 + kReservedDescriptors);
  EXPECT_EQ(fit.connections, 1024u);
}

}  // namespace
}  // namespace medvault::http
