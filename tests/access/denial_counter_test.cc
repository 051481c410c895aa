#include "access/denial_counter.h"

#include <gtest/gtest.h>

namespace medvault::access {
namespace {

TEST(DenialCounter, CountsPerAccountWithinTheWindow) {
  DenialCounter counter(/*window_ms=*/1000, /*alert_every=*/3);
  EXPECT_EQ(counter.Record("a", 0), 1);
  EXPECT_EQ(counter.Record("a", 500), 2);
  EXPECT_EQ(counter.Record("b", 500), 1);
  EXPECT_EQ(counter.Count("a", 999), 2);
  EXPECT_EQ(counter.Count("a", 1000), 1);  // the refusal at 0 left the window
  EXPECT_EQ(counter.Count("a", 1500), 0);
  EXPECT_EQ(counter.Count("nobody", 0), 0);
}

TEST(DenialCounter, AlertsAtTheThresholdAndEveryMultiple) {
  DenialCounter counter(60'000, 3);
  std::vector<int64_t> alerted;
  for (int i = 0; i < 10; ++i) {
    int64_t n = counter.Record("a", i);
    if (counter.ShouldAlert(n)) alerted.push_back(n);
  }
  EXPECT_EQ(alerted, (std::vector<int64_t>{3, 6, 9}));
}

TEST(DenialCounter, ForgetsQuietAccounts) {
  DenialCounter counter(10, 100);
  for (int i = 0; i < 2000; ++i) counter.Record("account-" + std::to_string(i), 0);
  // Long after, one more refusal prunes the emptied windows on the way.
  EXPECT_EQ(counter.Record("late", 1000), 1);
  EXPECT_EQ(counter.Count("account-1", 1000), 0);
}

}  // namespace
}  // namespace medvault::access
