// Per-account features: what counts as an unwritten read and when, which baseline an
// account is judged against, and what each feature reads as evidence.
#include "detect/account_features.h"

#include <gtest/gtest.h>

#include "detect/clinic_simulation.h"

namespace medvault::detect {
namespace {

using namespace clinic;  // NOLINT(google-build-using-namespace): the test's vocabulary

// One account's features, fed events of a clinician.
class OneAccount {
 public:
  explicit OneAccount(Role role, AccountFeatureOptions options = {})
      : options_(std::move(options)), features_(role, options_) {
    who_.role = role;
    who_.account = "account";
  }

  Clinician& who() { return who_; }
  AccountFeatures& features() { return features_; }

  void Feed(DetectionEvent e) {
    std::vector<uint64_t> hashes;
    for (const auto& p : e.patients) hashes.push_back(HashId(p.id));
    e.audit_seq = ++seq_;
    features_.Observe(e, static_cast<uint32_t>(HashId(e.session_id)), hashes, update_);
    Take();
  }
  void Feed(Kind kind, int64_t t, std::vector<int> patients = {}, int status = 200) {
    Feed(Event(who_, t, kind, std::move(patients), status));
  }
  void AdvanceTo(int64_t t) {
    features_.Advance(t, update_);
    Take();
  }
  // Evidence of `f` seen since the last call (units summed), and clears it.
  double Units(Feature f) {
    double units = 0;
    for (const FeatureReading& r : readings_)
      if (r.feature == f) units += r.units;
    std::erase_if(readings_, [&](const FeatureReading& r) { return r.feature == f; });
    return units;
  }
  const FeatureReading* Last(Feature f) const {
    for (auto it = readings_.rbegin(); it != readings_.rend(); ++it)
      if (it->feature == f) return &*it;
    return nullptr;
  }
  int unwritten() const { return unwritten_; }
  int new_patients() const { return new_patients_; }

 private:
  void Take() {
    readings_.insert(readings_.end(), update_.readings.begin(), update_.readings.end());
    unwritten_ += update_.unwritten_resolved;
    new_patients_ += update_.new_patients;
    update_.Clear();
  }

  AccountFeatureOptions options_;
  AccountFeatures features_;
  Clinician who_;
  AccountUpdate update_;
  std::vector<FeatureReading> readings_;
  int64_t seq_ = 0;
  int unwritten_ = 0;
  int new_patients_ = 0;
};

TEST(AccountFeatures, AReadIsUnwrittenOnlyOnceHalfAnHourHasPassedWithoutAWrite) {
  OneAccount gp(Role::kPhysician);
  const int64_t t = At(0, 10);
  gp.Feed(Kind::kRead, t, {1});
  gp.Feed(Kind::kSearch, t + kMinuteMs, {1});  // the same episode
  gp.AdvanceTo(t + 30 * kMinuteMs);
  EXPECT_EQ(gp.unwritten(), 0) << "the window after the last read has not passed";
  gp.AdvanceTo(t + 32 * kMinuteMs);
  EXPECT_EQ(gp.unwritten(), 1);
  EXPECT_EQ(gp.new_patients(), 1);
}

TEST(AccountFeatures, AWriteWithinHalfAnHourBeforeOrAfterMakesAReadWritten) {
  OneAccount gp(Role::kPhysician);
  // Events come in time order; each patient's story is two hours apart from the next.
  gp.Feed(Kind::kWrite, At(0, 8, 40), {1});  // wrote, then re-read 20 minutes later
  gp.Feed(Kind::kRead, At(0, 9), {1});
  gp.Feed(Kind::kRead, At(0, 11), {2});  // read, then wrote 25 minutes later
  gp.Feed(Kind::kWrite, At(0, 11, 25), {2});
  gp.Feed(Kind::kRead, At(0, 13), {3});  // read, wrote 40 minutes later: too late
  gp.Feed(Kind::kWrite, At(0, 13, 40), {3});
  gp.Feed(Kind::kWrite, At(0, 14, 15), {4});  // wrote 45 minutes before reading: too early
  gp.Feed(Kind::kRead, At(0, 15), {4});
  gp.AdvanceTo(At(0, 18));
  EXPECT_EQ(gp.unwritten(), 2);
}

TEST(AccountFeatures, SecretariesReadWithoutWritingByDesign) {
  OneAccount secretary(Role::kSecretary);
  for (int i = 0; i < 40; ++i) secretary.Feed(Kind::kRead, At(0, 9) + i * 5 * kMinuteMs, {i});
  secretary.AdvanceTo(At(0, 18));
  EXPECT_EQ(secretary.unwritten(), 0);
  EXPECT_EQ(secretary.Units(Feature::kUnwrittenReads), 0);
  EXPECT_EQ(secretary.Units(Feature::kUnwrittenDays), 0);
}

TEST(AccountFeatures, UnwrittenReadsHourAfterHourWeighMoreThanOneBlock) {
  OneAccount block(Role::kPhysician), spread(Role::kPhysician);
  for (int i = 0; i < 30; ++i) {
    block.Feed(Kind::kRead, At(0, 9) + i * kMinuteMs, {i});
    spread.Feed(Kind::kRead, At(0, 8) + i * 20 * kMinuteMs, {i});  // 3 an hour for 10 hours
  }
  block.AdvanceTo(At(0, 20));
  spread.AdvanceTo(At(0, 20));
  EXPECT_EQ(block.unwritten(), 30);
  EXPECT_EQ(spread.unwritten(), 30);
  // An hour counts at most 3 reads above the allowance of 1.
  EXPECT_DOUBLE_EQ(block.Units(Feature::kUnwrittenReads), 3);
  EXPECT_DOUBLE_EQ(spread.Units(Feature::kUnwrittenReads), 20);
}

TEST(AccountFeatures, TheNthUnusualDayOfAWeekWeighsMore) {
  OneAccount gp(Role::kPhysician);
  std::vector<double> units;
  for (int day = 0; day < 4; ++day) {
    for (int i = 0; i < 8; ++i) gp.Feed(Kind::kRead, At(day, 9) + i * kHourMs, {day * 100 + i});
    gp.AdvanceTo(At(day, 23));
    units.push_back(gp.Units(Feature::kUnwrittenDays));
  }
  // The first is free (the hour feature already weighed it), then 1, 2, 3.
  EXPECT_EQ(units, (std::vector<double>{0, 1, 2, 3}));
}

TEST(AccountFeatures, TheRoleBaselineStandsInUntilTheAccountHasItsOwn) {
  OneAccount fresh(Role::kPhysician);
  // A new physician: usual 22 a day, unusual above 22 + 4 x 6 = 46.
  for (int i = 0; i < 50; ++i) fresh.Feed(Kind::kRead, At(0, 8) + i * 10 * kMinuteMs, {i});
  const FeatureReading* role = fresh.Last(Feature::kVolumeDay);
  ASSERT_NE(role, nullptr);
  EXPECT_DOUBLE_EQ(role->usual, 22);
  EXPECT_DOUBLE_EQ(role->threshold, 46);
  // Twelve working days of 10 patients: the account's own usual replaces the role's.
  OneAccount quiet(Role::kPhysician);
  for (int day = 0; day < 12; ++day)
    for (int i = 0; i < 10; ++i) {
      quiet.Feed(Kind::kRead, At(day, 9) + i * 30 * kMinuteMs, {day * 100 + i});
      quiet.Feed(Kind::kWrite, At(day, 9) + i * 30 * kMinuteMs + kMinuteMs, {day * 100 + i});
    }
  EXPECT_EQ(quiet.Units(Feature::kVolumeDay), 0);
  for (int i = 0; i < 25; ++i) quiet.Feed(Kind::kRead, At(12, 8) + i * 10 * kMinuteMs, {5000 + i});
  const FeatureReading* own = quiet.Last(Feature::kVolumeDay);
  ASSERT_NE(own, nullptr);
  EXPECT_NEAR(own->usual, 10, 1);
  EXPECT_DOUBLE_EQ(own->threshold, own->usual + 10) << "a steady account: the minimum excess";
}

TEST(AccountFeatures, ADayFarAboveUsualDoesNotWidenTheBaseline) {
  OneAccount gp(Role::kPhysician);
  auto working_day = [&](int day, int patients) {
    for (int i = 0; i < patients; ++i) {
      gp.Feed(Kind::kRead, At(day, 8) + i * 5 * kMinuteMs, {day * 1000 + i});
      gp.Feed(Kind::kWrite, At(day, 8) + i * 5 * kMinuteMs + kMinuteMs, {day * 1000 + i});
    }
  };
  for (int day = 0; day < 14; ++day) working_day(day, 20);
  working_day(14, 140);  // a scrape that wrote (the volume feature's case)
  gp.Units(Feature::kVolumeDay);
  working_day(15, 45);
  const FeatureReading* after = gp.Last(Feature::kVolumeDay);
  ASSERT_NE(after, nullptr) << "45 is still unusual the day after a day of 140";
  EXPECT_LT(after->threshold, 40);
}

TEST(AccountFeatures, OutOfHoursFollowsTheRoleForANewAccountThenItsOwnHabits) {
  OneAccount fresh(Role::kPhysician);
  fresh.Feed(Kind::kRead, At(6, 10), {1});  // Sunday morning: no physician works then
  EXPECT_GT(fresh.Units(Feature::kOutOfHours), 0);

  OneAccount sunday_worker(Role::kPhysician);
  for (int week = 0; week < 4; ++week)
    for (int hour = 9; hour < 12; ++hour) {
      const int p = week * 100 + hour;
      sunday_worker.Feed(Kind::kRead, At(week * 7 + 6, hour), {p});
      sunday_worker.Feed(Kind::kWrite, At(week * 7 + 6, hour, 10), {p});
    }
  sunday_worker.Units(Feature::kOutOfHours);
  sunday_worker.Feed(Kind::kRead, At(28 + 6, 10), {999});
  EXPECT_EQ(sunday_worker.Units(Feature::kOutOfHours), 0) << "its own Sundays are usual";
  sunday_worker.Feed(Kind::kRead, At(28 + 7, 3), {998});
  EXPECT_GT(sunday_worker.Units(Feature::kOutOfHours), 0) << "its nights are not";
}

TEST(AccountFeatures, NightReadsPilingUpWithoutWritesCountAsTheyCome) {
  OneAccount gp(Role::kPhysician);
  gp.Feed(Kind::kRead, At(1, 2), {1});
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kOutOfHours), 4) << "a night stretch opens: 2 units x 2";
  gp.Feed(Kind::kRead, At(1, 2, 2), {2});
  EXPECT_EQ(gp.Units(Feature::kOutOfHours), 0) << "two open at once, as on call";
  gp.Feed(Kind::kRead, At(1, 2, 4), {3, 4});
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kOutOfHours), 4) << "two more awaiting a write, x 2";
  gp.AdvanceTo(At(1, 4));
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kOutOfHours), 8) << "four resolved unwritten, 1 x 2 each";
}

TEST(AccountFeatures, RefusalsBeyondFourInAboutAnHourCount) {
  OneAccount gp(Role::kPhysician);
  for (int i = 0; i < 4; ++i) gp.Feed(Kind::kRead, At(0, 10, i), {i}, 403);
  EXPECT_EQ(gp.Units(Feature::kRefusals), 0);
  gp.Feed(Kind::kRead, At(0, 10, 5), {5}, 404);
  gp.Feed(Kind::kRead, At(0, 10, 6), {6}, 403);
  EXPECT_GT(gp.Units(Feature::kRefusals), 1);
  EXPECT_EQ(gp.new_patients(), 0) << "refused reads deliver nobody";
}

TEST(AccountFeatures, DirectorySearchesThatOpenNobodyAreASweep) {
  OneAccount sweeper(Role::kPhysician), honest(Role::kPhysician);
  for (int i = 0; i < 10; ++i) {
    const int64_t t = At(0, 10) + i * 2 * kMinuteMs;
    sweeper.Feed(Kind::kDirectorySearch, t, {i * 10, i * 10 + 1});
    honest.Feed(Kind::kDirectorySearch, t, {i * 10, i * 10 + 1});
    honest.Feed(Kind::kRead, t + kMinuteMs, {i * 10 + 1});
  }
  sweeper.AdvanceTo(At(0, 12));
  honest.AdvanceTo(At(0, 12));
  EXPECT_GT(sweeper.Units(Feature::kDirectorySweep), 4);
  EXPECT_EQ(honest.Units(Feature::kDirectorySweep), 0);
}

TEST(AccountFeatures, ASessionMovingAndAClientNeverSeen) {
  OneAccount gp(Role::kPhysician);
  for (int day = 0; day < 3; ++day) {
    gp.Feed(Kind::kLogin, At(day, 8));
    gp.Feed(Kind::kRead, At(day, 9), {day});
  }
  EXPECT_EQ(gp.Units(Feature::kNewClient), 0) << "the first clients of an account are its habits";
  gp.who().address = "198.51.100.7";
  gp.Feed(Kind::kRead, At(3, 9), {3});  // same session as... a new day's session: new client
  EXPECT_EQ(gp.Units(Feature::kNewClient), 1);
  EXPECT_EQ(gp.Units(Feature::kSessionMoved), 0);
  gp.who().address = "203.0.113.9";
  gp.Feed(Kind::kRead, At(3, 10), {4});  // the same day's session, from elsewhere
  EXPECT_EQ(gp.Units(Feature::kSessionMoved), 1);
}

TEST(AccountFeatures, BreakTheGlassGrantsCountUpOverAWeek) {
  OneAccount gp(Role::kPhysician);
  std::vector<double> units;
  for (int64_t t : {At(0, 10), At(0, 14), At(2, 10), At(9, 11)}) {
    gp.Feed(Kind::kBreakGlass, t, {7});
    units.push_back(gp.Units(Feature::kBreakGlass));
  }
  EXPECT_EQ(units, (std::vector<double>{1, 2, 3, 1}));
}

TEST(AccountFeatures, CoverageIsAShareOfTheReachableBaseWhenKnown) {
  OneAccount gp(Role::kPhysician);
  gp.features().set_reachable_patients(300);
  for (int day = 0; day < 10; ++day)
    for (int i = 0; i < 30; ++i) {
      const int p = day * 30 + i;  // 300 different patients in 10 days
      gp.Feed(Kind::kRead, At(day, 8) + i * 15 * kMinuteMs, {p});
      gp.Feed(Kind::kWrite, At(day, 8) + i * 15 * kMinuteMs + kMinuteMs, {p});
    }
  const FeatureReading* coverage = gp.Last(Feature::kCoverage);
  ASSERT_NE(coverage, nullptr);
  EXPECT_DOUBLE_EQ(coverage->threshold, 180);  // 60 % of 300
  EXPECT_GT(coverage->value, 180);
  OneAccount unknown(Role::kPhysician);
  for (int i = 0; i < 300; ++i)
    unknown.Feed(Kind::kRead, At(i / 30, 8) + (i % 30) * 15 * kMinuteMs, {i});
  EXPECT_EQ(unknown.Units(Feature::kCoverage), 0) << "300 in 30 days is a GP's month";
}

TEST(AccountFeatures, PatientsOutsideCareConfidentialOrCloseToTheClinician) {
  OneAccount gp(Role::kPhysician);
  DetectionEvent e = Event(gp.who(), At(0, 10), Kind::kRead, {1, 2, 3});
  e.patients[0].in_care = false;
  e.patients[1].confidential = true;
  e.patients[2].shares_clinician_name_or_home = true;
  gp.Feed(e);
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kOutOfCare), 0.25);
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kConfidential), 1);
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kSnooping), 1);
  gp.AdvanceTo(At(0, 11));
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kOutOfCare), 1.5) << "and it was not written for";
}

// Taking a namesake into one's own care counts as snooping (the reads that follow are
// in care); taking anyone else does not.
TEST(AccountFeatures, TakingANamesakeIntoCareIsSnooping) {
  OneAccount gp(Role::kPhysician);
  DetectionEvent start = Event(gp.who(), At(0, 10), Kind::kStartCare, {1, 2});
  start.patients[1].shares_clinician_name_or_home = true;
  gp.Feed(start);
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kSnooping), 1);
  DetectionEvent refused = Event(gp.who(), At(0, 11), Kind::kStartCare, {3}, 403);
  refused.patients[0].shares_clinician_name_or_home = true;
  gp.Feed(refused);
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kSnooping), 0);
}

// A list shows patients: new ones are read, the same list looked at again is not new
// ground. Patients opened one by one from it and never written for are harvesting, past
// a couple a day, except on the day back from an absence.
TEST(AccountFeatures, PatientsOpenedFromAListWithoutWritesAreHarvested) {
  auto page = [](const Clinician& c, int64_t t) {
    DetectionEvent e = Event(c, t, Kind::kSearch, {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    e.patient_list = true;
    return e;
  };
  OneAccount gp(Role::kPhysician);
  gp.Feed(page(gp.who(), At(0, 9)));
  gp.AdvanceTo(At(0, 10));
  EXPECT_EQ(gp.unwritten(), 10) << "ten patients shown for the first time";
  gp.Feed(page(gp.who(), At(1, 9)));
  gp.AdvanceTo(At(1, 10));
  EXPECT_EQ(gp.unwritten(), 10) << "the same list again the next day";
  // Opened one by one, the first two free, the next six harvested; one written for.
  for (int p = 1; p <= 9; ++p) gp.Feed(Kind::kRead, At(1, 10) + p * 10 * kMinuteMs, {p});
  gp.Feed(Kind::kWrite, At(1, 10) + 9 * 10 * kMinuteMs + kMinuteMs, {9});
  gp.AdvanceTo(At(1, 14));
  EXPECT_EQ(gp.unwritten(), 18);
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kListHarvest), 6);
  // A patient no list showed: no harvest.
  gp.Feed(Kind::kRead, At(1, 15), {42});
  gp.AdvanceTo(At(1, 16));
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kListHarvest), 0);
  // More than a week later (the account working in between) the list is new ground
  // again, and what is opened from it is harvest again.
  gp.Feed(Kind::kRead, At(5, 9), {50});
  gp.Feed(Kind::kWrite, At(5, 9) + kMinuteMs, {50});
  gp.Feed(page(gp.who(), At(9, 9)));
  for (int p = 1; p <= 3; ++p) gp.Feed(Kind::kRead, At(9, 10) + p * 10 * kMinuteMs, {p});
  gp.AdvanceTo(At(9, 12));
  EXPECT_EQ(gp.unwritten(), 32) << "19, the list's 10 and the 3 opened after its window";
  EXPECT_DOUBLE_EQ(gp.Units(Feature::kListHarvest), 1);

  // Back after a week away: the day's catch-up from the list is its own business.
  OneAccount back(Role::kPhysician);
  back.Feed(Kind::kRead, At(0, 9), {100});
  back.Feed(Kind::kWrite, At(0, 9) + kMinuteMs, {100});
  back.Feed(page(back.who(), At(8, 8)));
  for (int p = 1; p <= 10; ++p) back.Feed(Kind::kRead, At(8, 8) + p * 5 * kMinuteMs, {p});
  back.AdvanceTo(At(8, 12));
  EXPECT_DOUBLE_EQ(back.Units(Feature::kListHarvest), 0);
}

TEST(AccountFeatures, AScraperFillsTheWindowButNotTheMemory) {
  OneAccount scraper(Role::kPhysician);
  const size_t before = scraper.features().MemoryBytes();
  for (int i = 0; i < 5000; ++i) scraper.Feed(Kind::kSearch, At(0, 10) + i * 100, {i});
  // The window holds kCapacity patients; the rest were resolved early, all unwritten.
  EXPECT_GE(scraper.unwritten(), 5000 - static_cast<int>(PatientEpisodes::kCapacity));
  scraper.AdvanceTo(At(0, 12));
  EXPECT_EQ(scraper.unwritten(), 5000);
  EXPECT_LE(scraper.features().MemoryBytes(),
            before + 256 + PatientEpisodes::kCapacity * sizeof(EpisodeResolution));
}

}  // namespace
}  // namespace medvault::detect
