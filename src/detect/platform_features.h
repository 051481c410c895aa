// Platform-wide features: what all accounts together did in each hour, against what the
// platform usually does in that hour of the week. One attacker spread over fifty stolen
// accounts keeps each under any per-account threshold, but the platform then reads more
// distinct patients, and many more without writing, than in the same hour of past
// weeks. When an hour is anomalous, its contributors are listed for the RiskScorer, which
// attributes risk to each account in proportion to its own part.
//
// The platform features look for breadth (many accounts a little), not for one account a
// lot, which the per-account features judge: each account's unwritten reads count up to a
// cap in an hour, and a volume anomaly must survive removing its biggest contributors.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "detect/hyperloglog.h"
#include "detect/local_time.h"
#include "detect/streaming_stats.h"

namespace medvault::detect {

struct PlatformFeatureOptions {
  int64_t local_time_offset_ms = 0;
  int hll_precision = 12;  // 4 KB, about 1.6 % error
  // Each new week's hour moves its hour-of-week baseline by this much; an hour-of-week is
  // judged once it was seen this many times.
  double baseline_alpha = 0.3;
  int min_weeks = 3;
  // An hour is anomalous above mean + anomaly_sds sd (the sd never below the Poisson
  // sqrt(mean) nor a tenth of the mean: a few weeks are a thin sample), and at least this
  // far above the mean.
  double anomaly_sds = 4;
  double min_unwritten_excess = 15;
  double min_patient_excess = 40;
  // Breadth: an account's unwritten reads count up to this many per hour, and a volume
  // anomaly must remain without the new patients of this many biggest contributors.
  int unwritten_cap_per_account = 3;
  size_t biggest_contributors_removed = 3;
  // An anomalous hour is learned at this fraction of the weight, clipped at the threshold.
  double anomalous_hour_weight = 0.2;
  // Hours without any activity (nights, Sundays) teach their baselines a zero, up to this
  // many in a row (a long weekend); a longer silence is the server being down, not the
  // platform being quiet.
  int64_t longest_quiet_hours = 80;
};

struct PlatformContributor {
  uint64_t account = 0;  // the caller's key of the account
  int unwritten = 0;     // unwritten reads resolved in the hour
  int new_patients = 0;  // patients opened in the hour
};

// A closed hour, judged.
struct PlatformHour {
  int64_t start_ms = 0;
  int hour_of_week = 0;
  double patients = 0;  // distinct patients read across the platform (estimated)
  double patients_usual = 0;
  double patients_threshold = 0;
  double unwritten = 0;  // unwritten reads, each account's capped
  double unwritten_usual = 0;
  double unwritten_threshold = 0;
  bool judged = false;  // its hour-of-week had enough weeks of history
  bool patients_anomalous = false;
  bool unwritten_anomalous = false;
  // How far past the threshold: 0.5 at it, 1 from twice its distance to the mean.
  double severity = 0;
  std::vector<PlatformContributor> contributors;  // filled for anomalous hours only
};

class PlatformFeatures {
 public:
  explicit PlatformFeatures(PlatformFeatureOptions options);

  // Patients whose data reached `account` at `now_ms` (HashIds), of which
  // `new_patients` opened new episodes for it. Call CloseHours(now_ms) first.
  void RecordPatients(uint64_t account, std::span<const uint64_t> patients, int new_patients,
                      int64_t now_ms);
  // `count` reads of `account` resolved as unwritten at `now_ms`.
  void RecordUnwritten(uint64_t account, int count, int64_t now_ms);

  // Closes every hour that ended by `now_ms`, judging each against its hour-of-week
  // baseline and teaching it; returns the anomalous ones.
  std::vector<PlatformHour> CloseHours(int64_t now_ms);
  // The last closed hour, judged (for the security officer's view).
  const PlatformHour& last_closed() const { return last_closed_; }

  size_t MemoryBytes() const;

 private:
  struct Contribution {
    uint16_t unwritten = 0;
    uint16_t new_patients = 0;
  };
  struct HourOfWeek {
    RunningBaseline patients;
    RunningBaseline unwritten;
  };
  Contribution& ContributionOf(uint64_t account, int64_t now_ms);
  PlatformHour Judge(int64_t hour_index);

  const PlatformFeatureOptions options_;
  int64_t open_hour_;  // local hour index being filled
  HyperLogLog patients_;
  std::unordered_map<uint64_t, Contribution> contributions_;
  std::array<HourOfWeek, kHoursPerWeek> baselines_{};
  PlatformHour last_closed_;
};

}  // namespace medvault::detect
