// The budgets count distinct patients per account over sliding windows, ask for a
// step-up when one runs out, extend once after a fresh code, then refuse.
#include "detect/budgets.h"

#include <gtest/gtest.h>

#include "identity/principal_test_peer.h"

namespace medvault::detect {
namespace {

using identity::PrincipalTestPeer;
using identity::Role;

constexpr int64_t kHour = 3'600'000;

std::vector<std::string> Patients(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("p" + std::to_string(i));
  return out;
}

BudgetOptions Small() {
  BudgetOptions o;
  o.physician = RoleBudget{5, 8, 2};
  return o;
}

TEST(BudgetLedger, CountsDistinctPatientsAndAsksForAStepUpWhenTheHourRunsOut) {
  BudgetLedger ledger(Small());
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  EXPECT_EQ(ledger.Charge(doctor, Patients(0, 3), false, 1000).verdict, BudgetVerdict::kWithin);
  // The same patients again cost nothing.
  EXPECT_EQ(ledger.Charge(doctor, Patients(0, 3), false, 2000).verdict, BudgetVerdict::kWithin);
  EXPECT_EQ(ledger.Charge(doctor, Patients(3, 5), false, 3000).verdict, BudgetVerdict::kWithin);
  auto sixth = ledger.Charge(doctor, Patients(5, 6), false, 4000);
  EXPECT_EQ(sixth.verdict, BudgetVerdict::kStepUp);
  EXPECT_EQ(sixth.budget, "patients per hour");
  EXPECT_EQ(sixth.used, 6);
  EXPECT_EQ(sixth.limit, 5);
  EXPECT_TRUE(sixth.newly_exhausted);
  // Still not stepped up: asked again, but the security officer already knows.
  auto again = ledger.Charge(doctor, Patients(5, 6), false, 5000);
  EXPECT_EQ(again.verdict, BudgetVerdict::kStepUp);
  EXPECT_FALSE(again.newly_exhausted);
  EXPECT_EQ(ledger.Usage(doctor, 5000).patients_last_hour, 5);  // refused ones are not counted
  // An hour after the first reads, the window has room again.
  EXPECT_EQ(ledger.Charge(doctor, Patients(5, 6), false, 1000 + kHour).verdict,
            BudgetVerdict::kWithin);
}

TEST(BudgetLedger, AStepUpExtendsOnceThenTheAccountIsRefused) {
  BudgetLedger ledger(Small());
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  ASSERT_EQ(ledger.Charge(doctor, Patients(0, 5), false, 1000).verdict, BudgetVerdict::kWithin);
  ASSERT_EQ(ledger.Charge(doctor, Patients(5, 6), false, 2000).verdict, BudgetVerdict::kStepUp);
  // A fresh code after the request: the budget doubles, once.
  auto stepped = PrincipalTestPeer::Make(Role::kPhysician);
  PrincipalTestPeer::SetSteppedUpAt(stepped, 2500);
  auto extended = ledger.Charge(stepped, Patients(5, 6), false, 3000);
  EXPECT_EQ(extended.verdict, BudgetVerdict::kWithin);
  EXPECT_TRUE(extended.newly_extended);
  EXPECT_TRUE(ledger.Usage(stepped, 3000).extended);
  EXPECT_EQ(ledger.Charge(stepped, Patients(6, 8), false, 4000).verdict, BudgetVerdict::kWithin);
  // The day budget (8, now 16) is not the limit: the hour's 10 is.
  EXPECT_EQ(ledger.Charge(stepped, Patients(8, 10), false, 5000).verdict, BudgetVerdict::kWithin);
  auto refused = ledger.Charge(stepped, Patients(10, 11), false, 6000);
  EXPECT_EQ(refused.verdict, BudgetVerdict::kRefuse);
  EXPECT_TRUE(refused.newly_exhausted);
  EXPECT_GT(refused.retry_after_ms, 0);
  EXPECT_LE(refused.retry_after_ms, kHour);
  // Another step-up does not help.
  PrincipalTestPeer::SetSteppedUpAt(stepped, 7000);
  EXPECT_EQ(ledger.Charge(stepped, Patients(10, 11), false, 8000).verdict, BudgetVerdict::kRefuse);
}

TEST(BudgetLedger, DayBudgetAndDirectorySearchesAndAccountsAreSeparate) {
  BudgetLedger ledger(Small());
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician, "org-a", "doctor");
  auto other = PrincipalTestPeer::Make(Role::kPhysician, "org-a", "other");
  // 5 patients in each of two hours: the day's 8 runs out in the second.
  ASSERT_EQ(ledger.Charge(doctor, Patients(0, 5), false, 0).verdict, BudgetVerdict::kWithin);
  auto day = ledger.Charge(doctor, Patients(5, 9), false, kHour + 1);
  EXPECT_EQ(day.verdict, BudgetVerdict::kStepUp);
  EXPECT_EQ(day.budget, "patients per day");
  // Directory searches: 2 per hour, counted even when they return nobody.
  EXPECT_EQ(ledger.Charge(other, {}, true, 0).verdict, BudgetVerdict::kWithin);
  EXPECT_EQ(ledger.Charge(other, {}, true, 1).verdict, BudgetVerdict::kWithin);
  auto third = ledger.Charge(other, {}, true, 2);
  EXPECT_EQ(third.verdict, BudgetVerdict::kStepUp);
  EXPECT_EQ(third.budget, "directory searches per hour");
  EXPECT_EQ(ledger.Usage(other, 2).patients_last_day, 0);
}

TEST(BudgetLedger, ABurstRunsOutBeforeTheHour) {
  BudgetOptions o;
  o.physician = RoleBudget{40, 150, 40, 15};
  BudgetLedger ledger(o);
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  // A scraper: one patient a second. The 16th in ten minutes asks for a fresh code.
  int64_t t = 0;
  for (int i = 0; i < 15; ++i, t += 1000)
    ASSERT_EQ(ledger.Charge(doctor, Patients(i, i + 1), false, t).verdict, BudgetVerdict::kWithin);
  auto burst = ledger.Charge(doctor, Patients(15, 16), false, t);
  EXPECT_EQ(burst.verdict, BudgetVerdict::kStepUp);
  EXPECT_EQ(burst.budget, "patients per 10 minutes");
  // A clinician's pace, one patient every 15 minutes, never meets it.
  BudgetLedger honest(o);
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(honest.Charge(doctor, Patients(i, i + 1), false, i * 900'000).verdict,
              BudgetVerdict::kWithin);
}

TEST(BudgetLedger, RolesWithoutPatientDataHaveNoBudgetToCharge) {
  BudgetLedger ledger(Small());
  auto admin = PrincipalTestPeer::Make(Role::kAdmin);
  EXPECT_EQ(ledger.Charge(admin, Patients(0, 100), false, 0).verdict, BudgetVerdict::kWithin);
}

TEST(BudgetLedger, MemoryStaysBoundedByTheBudget) {
  BudgetLedger ledger(Small());
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  for (int i = 0; i < 1000; ++i) (void)ledger.Charge(doctor, Patients(i, i + 1), false, i);
  // Refused patients are never stored: at most the extended day budget is.
  EXPECT_LE(ledger.Usage(doctor, 1000).patients_last_day, 16);
  EXPECT_EQ(ledger.accounts(), 1u);
}

}  // namespace
}  // namespace medvault::detect

namespace medvault::detect {
namespace {

// Several nodes: what another node delivered is counted here without a verdict, and the
// account's next request on this node is charged on top of it.
TEST(BudgetLedger, AnotherNodesDeliveriesCountTowardsTheBudgetHere) {
  BudgetLedger ledger(Small());
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  ASSERT_EQ(ledger.Charge(doctor, Patients(0, 2), false, 1000).verdict, BudgetVerdict::kWithin);
  // Another node's deliveries, one a little older than this node's newest.
  ledger.Count(doctor.account_id(), Patients(2, 4), false, 900, 1100);
  ledger.Count(doctor.account_id(), Patients(0, 1), false, 1050, 1100);  // counted already
  EXPECT_EQ(ledger.Usage(doctor, 1100).patients_last_hour, 4);
  EXPECT_EQ(ledger.Charge(doctor, Patients(4, 5), false, 1200).verdict, BudgetVerdict::kWithin);
  EXPECT_EQ(ledger.Charge(doctor, Patients(5, 6), false, 1300).verdict, BudgetVerdict::kStepUp);
  // Counting never refuses: the other node gave its own verdict.
  ledger.Count(doctor.account_id(), Patients(6, 9), false, 1400, 1400);
  EXPECT_EQ(ledger.Usage(doctor, 1400).patients_last_hour, 8);
  // The windows stay in time order: the oldest leave first.
  EXPECT_EQ(ledger.Usage(doctor, 900 + kHour).patients_last_hour, 6);
  // Directory searches, and nothing older than a day.
  ledger.Count(doctor.account_id(), {}, true, 1500, 1500);
  EXPECT_EQ(ledger.Usage(doctor, 1500).directory_searches_last_hour, 1);
  ledger.Count(doctor.account_id(), Patients(9, 10), false, 1, 1 + 25 * kHour);
  EXPECT_EQ(ledger.Usage(doctor, 1 + 25 * kHour).patients_last_day, 0);
}

}  // namespace
}  // namespace medvault::detect
