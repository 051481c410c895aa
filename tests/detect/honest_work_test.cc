// Honest work against the risk scorer: a practice's ordinary months, DRILL.md's rare
// honest exceptions (a catch-up after holidays, a night on call, a locum's day, a
// justified break-the-glass) and the targets: at most one step-up per 100 clinician-days,
// one suspension per 10,000.
#include <gtest/gtest.h>

#include <cstdio>

#include "detect/clinic_simulation.h"
#include "detect/risk_scorer.h"

namespace medvault::detect {
namespace {

using namespace clinic;  // NOLINT(google-build-using-namespace): the test's vocabulary

TEST(HonestWork, AnHonestPracticeRaisesNothingAboveAnAlertInTwoMonths) {
  RiskScorer scorer;
  Feeder feeder(scorer);
  Rng rng(1);
  std::vector<Clinician> practice = Practice();
  for (int n = 3; n < 12; ++n) practice.push_back(Gp(n));
  const auto escalations = HonestHistory(feeder, practice, 56, rng);
  for (const Clinician& c : practice)
    EXPECT_LE(HighestLevel(escalations, c.account), Level::kAlert) << c.account;
  EXPECT_EQ(scorer.accounts(), practice.size());
}

TEST(HonestWork, AHolidayCatchUpRaisesAtMostAnAlert) {
  PracticeAfter practice(7);
  const Clinician& gp = practice.staff[0];
  for (int day = kHistory; day < kHistory + 21; ++day) {
    // Two weeks away, then a Monday catching up on 60 patients' results.
    std::vector<DetectionEvent> catch_up;
    if (day == kHistory + 14) HolidayCatchUp(gp, day, practice.rng, catch_up);
    const bool away = day <= kHistory + 14;
    practice.Day(day, std::move(catch_up), nullptr,
                 away ? std::set<std::string>{gp.account} : std::set<std::string>{});
  }
  EXPECT_LE(practice.Highest(gp), Level::kAlert);
  // Not vacuous: the catch-up was seen.
  EXPECT_TRUE(Names(practice.scorer.Assess(gp.account, At(kHistory + 14, 11)).explanation,
                    "unwritten-reads"));
}

TEST(HonestWork, ANightOnCallWithWritesIsNotSteppedUp) {
  PracticeAfter practice(8);
  const Clinician& gp = practice.staff[0];
  for (int day = kHistory; day < kHistory + 3; ++day) {
    std::vector<DetectionEvent> night;
    if (day == kHistory + 1) NightOnCall(gp, day, 10, practice.rng, night);
    practice.Day(day, std::move(night));
  }
  EXPECT_LT(practice.Highest(gp), Level::kStepUp);
  EXPECT_TRUE(
      Names(practice.scorer.Assess(gp.account, At(kHistory + 2, 2)).explanation, "out-of-hours"));
}

TEST(HonestWork, ALocumCoveringAColleagueIsNotSteppedUp) {
  PracticeAfter practice(9);
  const Clinician& locum = practice.staff[0];
  for (int day = kHistory; day < kHistory + 5; ++day) {
    std::vector<DetectionEvent> cover;
    LocumDay(locum, Gp(7), day, practice.rng, cover);  // a colleague away all week
    practice.Day(day, std::move(cover), nullptr, {locum.account});
  }
  EXPECT_LT(practice.Highest(locum), Level::kStepUp);
  EXPECT_TRUE(Names(practice.scorer.Assess(locum.account, At(kHistory + 4, 19)).explanation,
                    "out-of-care"));
}

// DRILL.md's honest targets: at most one step-up per 100 clinician-days, one suspension
// per 10,000. Forty GPs and four secretaries work sixteen weeks with their rare
// exceptions at plausible rates: a holiday of one or two weeks each and the catch-up
// after it, nights on call, justified break-the-glass, locum days, a new device, an
// afternoon reviewing results without writing.
TEST(HonestWork, HonestCliniciansAreRarelySteppedUpAndNeverSuspended) {
  RiskScorer scorer;
  Feeder feeder(scorer);
  Rng rng(14);
  std::vector<Clinician> staff;
  for (int n = 0; n < 40; ++n) staff.push_back(Gp(n));
  for (int n = 0; n < 4; ++n) staff.push_back(Secretary(n));
  constexpr int kDays = 112;
  std::vector<int> holiday_start, holiday_days;
  for (size_t i = 0; i < staff.size(); ++i) {
    holiday_start.push_back(7 * rng.Between(4, 13));
    holiday_days.push_back(rng.Chance(0.5) ? 9 : 16);  // to the Monday after 1 or 2 weeks
  }
  int clinician_days = 0, exceptions = 0;
  std::vector<Escalation> escalations;
  for (int day = 0; day < kDays; ++day) {
    std::vector<DetectionEvent> events;
    for (size_t i = 0; i < staff.size(); ++i) {
      Clinician c = staff[i];
      const int since_holiday = day - holiday_start[i];
      if (since_holiday >= 0 && since_holiday < holiday_days[i]) continue;
      const bool gp = c.role == Role::kPhysician;
      const bool weekday = Working(day);
      clinician_days += gp && weekday;
      if (gp && since_holiday == holiday_days[i]) {
        HolidayCatchUp(c, day, rng, events);
        ++exceptions;
        continue;
      }
      if (gp && weekday && rng.Chance(1.0 / 50)) c.address = "192.168.1." + std::to_string(i);
      if (gp && weekday && rng.Chance(1.0 / 40)) {
        LocumDay(c, staff[(i + 1) % 40], day, rng, events);
        ++exceptions;
      } else {
        HonestDay(c, day, rng, events);
      }
      if (!gp || !weekday) continue;
      if (rng.Chance(1.0 / 20)) {
        NightOnCall(c, day, rng.Between(4, 12), rng, events);
        ++exceptions;
      }
      if (rng.Chance(1.0 / 30)) {
        JustifiedBreakGlass(c, 900'000 + day, At(day, 15), rng, events);
        ++exceptions;
      }
      if (rng.Chance(1.0 / 30)) {
        for (int64_t t : Spread(day, 14, 16, rng.Between(15, 25), rng))
          UnwrittenRead(c, c.RandomPatient(rng), t, events);
        ++exceptions;
      }
    }
    for (Escalation& e : feeder.Feed(events)) escalations.push_back(std::move(e));
  }
  int alerts = 0, step_ups = 0, suspensions = 0;
  for (const Escalation& e : escalations) {
    if (e.level >= Level::kStepUp) {  // rare: say why
      std::printf("[honest %s] %s on day %lld:\n", std::string(NameOf(e.level)).c_str(),
                  e.account_id.c_str(), static_cast<long long>((e.time_ms - kMonday) / kDayMs));
      for (const ExplanationLine& l : e.explanation)
        std::printf("  %s, %.1f points: %s\n", std::string(l.feature).c_str(), l.points,
                    l.sentence.c_str());
    }
    alerts += e.level == Level::kAlert;
    step_ups += e.level >= Level::kStepUp;
    suspensions += e.level >= Level::kSuspendSession;
  }
  std::printf(
      "[figures] honest: %d clinician-days, %d exceptions; %d alerts, %d step-ups, %d "
      "suspensions (per 1,000 clinician-days: %.1f alerts, %.1f step-ups)\n",
      clinician_days, exceptions, alerts, step_ups, suspensions, 1000.0 * alerts / clinician_days,
      1000.0 * step_ups / clinician_days);
  EXPECT_LE(step_ups * 100, clinician_days);
  EXPECT_EQ(suspensions, 0);
}

}  // namespace
}  // namespace medvault::detect
