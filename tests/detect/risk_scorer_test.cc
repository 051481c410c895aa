// The risk scorer against DRILL.md's strategies 3 to 6, each contained within its patient
// target, and the ladder, the explanations and the memory they rely on. A simulated
// practice works four weeks first, so every account has its own baselines (honest work
// alone: honest_work_test.cc).
#include "detect/risk_scorer.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "detect/clinic_simulation.h"

namespace medvault::detect {
namespace {

using namespace clinic;  // NOLINT(google-build-using-namespace): the test's vocabulary

// Low and slow: `per_hour` patients an hour, 8:00–19:00, read and never written.
void LowAndSlowDay(const Clinician& victim, int day, int per_hour, Rng& rng, Attack& attack) {
  for (int hour = 8; hour < 19; ++hour)
    for (int i = 0; i < per_hour; ++i)
      UnwrittenRead(victim, victim.RandomPatient(rng), At(day, hour, rng.Between(0, 59)),
                    attack.events);
}

TEST(RiskScorer, LowAndSlowIsSteppedUpOnItsFirstDayAndSuspendedWhenItCarriesOn) {
  PracticeAfter practice(2);
  const Clinician& victim = practice.staff[0];
  // The thief shares the victim's live session: the victim answers the step-up, so only
  // a suspension stops him.
  Attack attack(Level::kSuspendSession);
  for (int day = kHistory; day < kHistory + 30 && !attack.Contained(victim.account); ++day) {
    if (Working(day)) LowAndSlowDay(victim, day, 5, practice.rng, attack);
    practice.Day(day, {}, &attack);
  }
  const Escalation* step_up = First(practice.escalations, victim.account, Level::kStepUp);
  ASSERT_NE(step_up, nullptr);
  EXPECT_LT(step_up->time_ms, At(kHistory + 1, 0)) << "stepped up on the attack's first day";
  EXPECT_TRUE(Names(step_up->explanation, "unwritten-reads"));
  ASSERT_TRUE(attack.Contained(victim.account));
  EXPECT_LE(attack.TakenAt(victim.account, Level::kSuspendSession), 100);
  // One step-up only: after it the ladder climbs.
  int step_ups = 0;
  for (const Escalation& e : practice.escalations)
    step_ups += e.account_id == victim.account && e.level == Level::kStepUp;
  EXPECT_EQ(step_ups, 1);
  for (size_t i = 1; i < practice.staff.size(); ++i)
    EXPECT_LE(practice.Highest(practice.staff[i]), Level::kAlert) << practice.staff[i].account;
  std::printf("[figures] low and slow 5/h: %ld patients at the step-up, %ld at the suspension\n",
              attack.TakenAt(victim.account, Level::kStepUp),
              attack.TakenAt(victim.account, Level::kSuspendSession));
}

TEST(RiskScorer, LowAndSlowFromSixPatientsADayIsSuspendedWithinAHundred) {
  // From about one patient an hour (the unwritten-days feature) to five an hour (the
  // unwritten-reads feature). Slower than six a day stays under the unwritten-days
  // threshold of a GP who reads about one file a day without writing: at five a day, 110
  // patients in 22 working days, at the edge of the target.
  for (int per_day : {6, 8, 16, 33, 55}) {
    PracticeAfter practice(2);
    const Clinician& victim = practice.staff[0];
    Attack attack(Level::kSuspendSession);
    for (int day = kHistory; day < kHistory + 30 && !attack.Contained(victim.account); ++day) {
      if (Working(day))
        for (int64_t t : Spread(day, 8, 19, per_day, practice.rng))
          UnwrittenRead(victim, victim.RandomPatient(practice.rng), t, attack.events);
      practice.Day(day, {}, &attack);
    }
    ASSERT_TRUE(attack.Contained(victim.account)) << per_day << " a day";
    EXPECT_LE(attack.TakenAt(victim.account, Level::kSuspendSession), 100) << per_day << " a day";
    std::printf(
        "[figures] low and slow %d a day: %ld patients at the step-up, %ld at the suspension\n",
        per_day, attack.TakenAt(victim.account, Level::kStepUp),
        attack.TakenAt(victim.account, Level::kSuspendSession));
  }
}

// A page of the account's own list: ten patients, shown as the practice's list shows them.
DetectionEvent ListPage(const Clinician& c, int64_t t, int first) {
  std::vector<int> page;
  for (int i = 0; i < 10; ++i) page.push_back(first + i);
  DetectionEvent e = Event(c, t, Kind::kSearch, page);
  e.patient_list = true;
  return e;
}

// Strategy 6's thief on one account: the victim's own list, page by page, each patient
// opened in turn (10 to 15 a day, 9:00–18:00), none written for. Beside the victim, a
// colleague looks at the practice's list (the same first page) every day and checks one
// to three patients from it.
TEST(RiskScorer, AListWalkerIsSuspendedWithinTwoPagesWhileListLooksStayQuiet) {
  PracticeAfter practice(4);
  const Clinician& victim = practice.staff[0];
  const Clinician& colleague = practice.staff[1];
  Attack attack(Level::kSuspendSession);
  int next = victim.first_patient;
  for (int day = kHistory; day < kHistory + 10 && !attack.Contained(victim.account); ++day) {
    std::vector<DetectionEvent> looks;
    if (Working(day)) {
      for (int64_t t : Spread(day, 9, 18, practice.rng.Between(10, 15), practice.rng)) {
        if ((next - victim.first_patient) % 10 == 0)
          attack.events.push_back(ListPage(victim, t - kMinuteMs, next));
        UnwrittenRead(victim, next++, t, attack.events);
      }
      const int64_t look = At(day, 11);
      looks.push_back(ListPage(colleague, look, colleague.first_patient));
      for (int i = practice.rng.Between(1, 3); i > 0; --i)
        UnwrittenRead(colleague, colleague.first_patient + i, look + i * 3 * kMinuteMs, looks);
    }
    practice.Day(day, std::move(looks), &attack);
  }
  ASSERT_TRUE(attack.Contained(victim.account));
  const Escalation* suspended = First(practice.escalations, victim.account, Level::kSuspendSession);
  ASSERT_NE(suspended, nullptr);
  EXPECT_TRUE(Names(suspended->explanation, "list-harvest"));
  EXPECT_LE(attack.TakenAt(victim.account, Level::kSuspendSession), 20);
  // Ten patients new on a list once are ten unwritten reads: at most an alert.
  EXPECT_LE(practice.Highest(colleague), Level::kAlert) << "the colleague's looks at the list";
  for (size_t i = 2; i < practice.staff.size(); ++i)
    EXPECT_LE(practice.Highest(practice.staff[i]), Level::kAlert) << practice.staff[i].account;
  std::printf("[figures] list walker: %ld patients at the step-up, %ld at the suspension\n",
              attack.TakenAt(victim.account, Level::kStepUp),
              attack.TakenAt(victim.account, Level::kSuspendSession));
}

TEST(RiskScorer, ASecondSurgeAfterAStepUpGoesToSuspensionNotToAnotherStepUp) {
  PracticeAfter practice(3);
  const Clinician& victim = practice.staff[0];
  // First surge: the thief stops for the day when the victim is asked for a code.
  Attack first(Level::kStepUp);
  LowAndSlowDay(victim, kHistory, 5, practice.rng, first);
  practice.Day(kHistory, {}, &first);
  ASSERT_TRUE(first.Contained(victim.account));
  const size_t before = practice.escalations.size();
  // Second surge, the next mornings, in the victim's new sessions.
  Attack second(Level::kSuspendSession);
  for (int day = kHistory + 1; day < kHistory + 5 && !second.Contained(victim.account); ++day) {
    LowAndSlowDay(victim, day, 5, practice.rng, second);
    practice.Day(day, {}, &second);
  }
  ASSERT_TRUE(second.Contained(victim.account));
  for (size_t i = before; i < practice.escalations.size(); ++i)
    if (practice.escalations[i].account_id == victim.account) {
      EXPECT_GT(practice.escalations[i].level, Level::kStepUp);
    }
  EXPECT_LE(first.Taken(victim.account) + second.TakenAt(victim.account, Level::kSuspendSession),
            100u);
}

TEST(RiskScorer, ANightHarvestIsSteppedUpWithinTwentyPatients) {
  struct Pace {
    const char* name;
    int page;
    int64_t every_ms;
  };
  for (const Pace pace : {Pace{"one file every 3 minutes", 1, 3 * kMinuteMs},
                          Pace{"pages of 10 every 30 seconds", 10, 30'000}}) {
    PracticeAfter practice(4);
    const Clinician& victim = practice.staff[1];
    // The victim is asleep: nobody answers a step-up.
    Attack attack(Level::kStepUp);
    int next = victim.first_patient;
    for (int64_t t = At(kHistory + 1, 1); t < At(kHistory + 1, 5); t += pace.every_ms) {
      std::vector<int> page;
      for (int i = 0; i < pace.page; ++i) page.push_back(next++);
      attack.events.push_back(Event(victim, t, Kind::kSearch, page));
    }
    practice.Day(kHistory + 1, {}, &attack);
    ASSERT_TRUE(attack.Contained(victim.account)) << pace.name;
    EXPECT_LE(attack.TakenAt(victim.account, Level::kStepUp), 20) << pace.name;
    const Escalation* step_up = First(practice.escalations, victim.account, Level::kStepUp);
    ASSERT_NE(step_up, nullptr);
    EXPECT_LT(step_up->time_ms, At(kHistory + 1, 6)) << "before the victim wakes";
    EXPECT_TRUE(Names(step_up->explanation, "out-of-hours")) << pace.name;
    std::printf("[figures] night harvest, %s: %ld patients at the step-up\n", pace.name,
                attack.TakenAt(victim.account, Level::kStepUp));
  }
}

TEST(RiskScorer, BreakTheGlassAbuseIsSteppedUpOnTheFirstDayAndSuspendedByTheSecond) {
  PracticeAfter practice(5);
  const Clinician& abuser = practice.staff[2];
  // A grant needs a fresh code: whoever does this has the second factor too.
  Attack attack(Level::kSuspendSession);
  int stranger = 900'000;
  for (int day = kHistory; day < kHistory + 2; ++day) {
    for (int hour : {10, 13, 16}) {
      attack.events.push_back(Event(abuser, At(day, hour), Kind::kBreakGlass, {stranger}));
      attack.events.back().patients[0].in_care = false;
      UnwrittenRead(abuser, stranger++, At(day, hour, 1), attack.events, /*in_care=*/false);
    }
    practice.Day(day, {}, &attack);
  }
  const Escalation* step_up = First(practice.escalations, abuser.account, Level::kStepUp);
  ASSERT_NE(step_up, nullptr);
  EXPECT_LT(step_up->time_ms, At(kHistory + 1, 0));
  EXPECT_TRUE(Names(step_up->explanation, "break-glass"));
  EXPECT_TRUE(attack.Contained(abuser.account));
  EXPECT_LE(attack.TakenAt(abuser.account, Level::kSuspendSession), 6);
}

// Strategy 6: fifty stolen accounts, each reading 15 more patients a day than its
// owner, never writing. Returns what each had taken when stepped up (-1: never).
std::vector<long> ManyAccounts(const ScoringOptions& options, int attack_days,
                               std::vector<Escalation>& victims_step_ups,
                               std::vector<Escalation>& others) {
  RiskScorer scorer(options);
  Feeder feeder(scorer);
  Rng rng(6);
  std::vector<Clinician> gps;
  for (int n = 0; n < 100; ++n) gps.push_back(Gp(n));
  // Three weeks: each hour of the week is then known to the platform features.
  constexpr int kPlatformHistory = 21;
  HonestHistory(feeder, gps, kPlatformHistory, rng);
  Attack attack(Level::kStepUp);  // stolen credentials: a fresh code stops the thief
  std::vector<Escalation> all;
  for (int day = kPlatformHistory; day < kPlatformHistory + attack_days; ++day) {
    std::vector<DetectionEvent> honest;
    for (const Clinician& c : gps) HonestDay(c, day, rng, honest);
    if (Working(day))
      for (int v = 0; v < 50; ++v)
        for (int64_t t : Spread(day, 8, 19, 15, rng))
          UnwrittenRead(gps[static_cast<size_t>(v)], gps[static_cast<size_t>(v)].RandomPatient(rng),
                        t, attack.events);
    for (Escalation& e : feeder.Feed(honest, &attack)) all.push_back(std::move(e));
  }
  std::vector<long> taken;
  for (int v = 0; v < 100; ++v) {
    const std::string& account = gps[static_cast<size_t>(v)].account;
    if (v < 50) {
      taken.push_back(attack.TakenAt(account, Level::kStepUp));
      if (const Escalation* e = First(all, account, Level::kStepUp)) victims_step_ups.push_back(*e);
    } else if (const Escalation* e = First(all, account, Level::kStepUp)) {
      others.push_back(*e);
    }
  }
  return taken;
}

TEST(RiskScorer, FiftyAccountsEachSlightlyAboveTheirOwnBaselineAreCaughtTogether) {
  std::vector<Escalation> step_ups, honest_step_ups;
  const std::vector<long> taken = ManyAccounts(ScoringOptions{}, 4, step_ups, honest_step_ups);
  long total = 0;
  int caught = 0, by_platform = 0;
  for (long t : taken)
    if (t >= 0) total += t, ++caught;
  for (const Escalation& e : step_ups) by_platform += Names(e.explanation, "platform-unwritten");
  EXPECT_EQ(caught, 50);
  EXPECT_LE(static_cast<double>(total) / std::max(caught, 1), 20.0);
  EXPECT_GE(by_platform, 45) << "the platform feature is what caught them";
  EXPECT_TRUE(honest_step_ups.empty()) << honest_step_ups.size() << " honest accounts stepped up";

  // Without the platform features, each account alone stays under every per-account
  // threshold for longer: the platform is what makes the difference.
  ScoringOptions alone;
  alone.weights[static_cast<size_t>(Feature::kPlatformUnwritten)].points_per_unit = 0;
  alone.weights[static_cast<size_t>(Feature::kPlatformVolume)].points_per_unit = 0;
  std::vector<Escalation> unused, unused_honest;
  const std::vector<long> taken_alone = ManyAccounts(alone, 4, unused, unused_honest);
  long total_alone = 0;
  int caught_alone = 0;
  for (long t : taken_alone)
    if (t >= 0) total_alone += t, ++caught_alone;
  std::printf(
      "[figures] 50 accounts +15/day: %d stepped up, %.1f patients each on average (%ld in "
      "all); without the platform features %d stepped up in 4 days, %.1f each\n",
      caught, static_cast<double>(total) / std::max(caught, 1), total, caught_alone,
      static_cast<double>(total_alone) / std::max(caught_alone, 1));
  EXPECT_GT(static_cast<double>(total_alone) / std::max(caught_alone, 1),
            static_cast<double>(total) / std::max(caught, 1));
}

TEST(RiskScorer, ASessionUsedFromTwoClientsIsSuspended) {
  PracticeAfter practice(10);
  Clinician thief = practice.staff[0];
  thief.address = "203.0.113.9";
  practice.Day(kHistory, {Event(thief, At(kHistory, 11), Kind::kRead, {thief.first_patient})});
  const Escalation* e = First(practice.escalations, thief.account, Level::kSuspendSession);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->session_id, thief.Session(kHistory));
  EXPECT_EQ(e->severity, "high");
  EXPECT_TRUE(Names(e->explanation, "session-moved"));
}

TEST(RiskScorer, ExplanationsNameFeaturesAndCountsAndNeverAPatient) {
  PracticeAfter practice(11);
  const Clinician& gp = practice.staff[0];
  std::vector<DetectionEvent> night;
  for (int i = 0; i < 30; ++i) {
    night.push_back(
        Event(gp, At(kHistory, 2) + i * 4 * kMinuteMs, Kind::kRead, {gp.first_patient + i}));
    night.back().patients[0].confidential = i % 5 == 0;
    night.back().patients[0].shares_clinician_name_or_home = i % 7 == 0;
  }
  const auto escalations = practice.feeder.Feed(night);
  ASSERT_FALSE(escalations.empty());
  for (const Escalation& e : escalations) {
    EXPECT_FALSE(e.explanation.empty());
    EXPECT_LE(e.audit_seqs.size(), 20u);
    EXPECT_FALSE(e.audit_seqs.empty());
    for (const ExplanationLine& line : e.explanation) {
      EXPECT_FALSE(line.sentence.empty());
      EXPECT_EQ(line.sentence.find("8f2c1a5e"), std::string::npos) << line.sentence;
      EXPECT_GT(line.points, 0);
    }
  }
  const RiskAssessment r = practice.scorer.Assess(gp.account, At(kHistory, 4));
  EXPECT_TRUE(Names(r.explanation, "out-of-hours"));
  EXPECT_TRUE(Names(r.explanation, "confidential"));
  EXPECT_TRUE(Names(r.explanation, "snooping"));
  EXPECT_GE(r.level, Level::kStepUp);
}

TEST(RiskScorer, LevelsFallBackAfterAQuietPeriod) {
  PracticeAfter practice(12);
  const Clinician& gp = practice.staff[0];
  Attack attack(Level::kLockAccount);
  LowAndSlowDay(gp, kHistory, 5, practice.rng, attack);
  std::vector<DetectionEvent> none;
  practice.feeder.Feed(none, &attack);
  practice.feeder.AdvanceTo(At(kHistory + 1, 0));
  EXPECT_GE(practice.scorer.Assess(gp.account, At(kHistory + 1, 0)).level, Level::kStepUp);
  // Days without new points, score below the alert: back to none.
  practice.feeder.AdvanceTo(At(kHistory + 6, 0));
  EXPECT_EQ(practice.scorer.Assess(gp.account, At(kHistory + 6, 0)).level, Level::kNone);
}

TEST(RiskScorer, MemoryStaysBoundedWithTenThousandAccounts) {
  RiskScorer scorer;
  Feeder feeder(scorer);
  Rng rng(13);
  std::vector<DetectionEvent> events;
  for (int n = 0; n < 10'000; ++n) {
    const Clinician c = Gp(n);
    for (int64_t t : Spread(0, 8, 19, 2, rng))
      Consultation(c, c.RandomPatient(rng), t, rng, events);
  }
  feeder.Feed(events);
  EXPECT_EQ(scorer.accounts(), 10'000u);
  const double per_account = static_cast<double>(scorer.MemoryBytes()) / 10'000;
  EXPECT_LT(per_account, 8 * 1024.0);
  // A busy account's memory stops growing once its 30 day sketches are in use.
  RiskScorer one;
  Feeder one_feeder(one);
  const Clinician c = Gp(0);
  size_t after_two_months = 0;
  for (int day = 0; day < 100; ++day) {
    HonestDay(c, day, rng, events);
    one_feeder.Feed(events);
    if (day == 60) after_two_months = one.MemoryBytes();
    if (day > 60) {
      EXPECT_LE(one.MemoryBytes(), after_two_months + 256) << "day " << day;
    }
  }
  // Idle accounts are forgotten.
  feeder.AdvanceTo(At(60, 0));
  EXPECT_EQ(scorer.accounts(), 0u);
  std::printf(
      "[figures] %.0f bytes per account after a day (estimate); one busy account's "
      "scorer after two months: %zu bytes\n",
      per_account, after_two_months);
}

}  // namespace
}  // namespace medvault::detect
