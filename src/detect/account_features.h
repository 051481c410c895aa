// Per-account streaming features: what one account did, measured against its own habits
// (or its role's until it has some), in bounded memory. Each Observe or Advance appends
// FeatureReadings (new evidence in each feature's unit, with the figures behind it); the
// RiskScorer prices them. Time only comes in with the events and Advance calls.
//
// Memory per account: the recent-window episodes (about 3.6 KB), the directory-search
// ring, the hour-of-week presence, rings of clients, sessions and grants (about 3 KB
// together), the patients lists last showed (800 bytes), and one HyperLogLog of 256
// bytes per working day of the last 30.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "detect/account_habits.h"
#include "detect/detection_event.h"
#include "detect/feature.h"
#include "detect/hyperloglog.h"
#include "detect/listed_patients.h"
#include "detect/local_time.h"
#include "detect/patient_episodes.h"
#include "detect/role_profile.h"
#include "detect/search_follow_ups.h"
#include "detect/streaming_stats.h"

namespace medvault::detect {

struct AccountFeatureOptions {
  // Local time = clock time + this (the drill's clock is local time already).
  int64_t local_time_offset_ms = 0;
  // A read is unwritten when the account wrote nothing for that patient from this long
  // before the read to this long after it; a directory search is followed when a patient
  // it returned is opened within it.
  int64_t write_window_ms = 30 * kMinuteMs;
  // An episode read on and on is judged at the latest this long after its first read.
  int64_t longest_episode_ms = 2 * kHourMs;
  // Working days (days with reads) before the account's own baselines replace its role's,
  // and the weight of each new day in them (about the last 20 working days count).
  int warm_up_days = 10;
  double baseline_alpha = 0.1;
  // An unusual day (above its threshold) weighs this fraction of a usual one.
  double unusual_day_weight = 0.2;
  // A day's distinct patients are unusual above mean + day_sds sd, and never below
  // mean + day_min_excess (a steady account has a tiny sd).
  double day_sds = 4;
  double day_min_excess = 10;
  // An hour's distinct patients are unusual above mean + hour_sds sd and the role's ceiling.
  double hour_sds = 5;
  // Unwritten reads: a day is unusual above mean + unwritten_day_sds sd (and at least
  // unwritten_day_min_excess above the mean). Per hour, at most unwritten_hour_cap
  // reads above the allowance count: a block of reads without writes (results after a
  // holiday) is one exception; hour after hour of them is a pattern.
  double unwritten_day_sds = 3;
  double unwritten_day_min_excess = 3;
  double unwritten_hour_cap = 3;
  // Calendar days without reads after which the first working day is a return.
  int absence_days = 5;
  // Hour-of-week habits: presence fades with this half-life; own habits replace the
  // role's from this much presence in the busiest hour (about two weeks of regular
  // work); an hour is usual at this share of the busiest.
  int64_t habit_half_life_ms = 28 * kDayMs;
  double habit_min_presence = 2;
  double usual_hour_share = 0.25;
  // Out of hours: nights weigh this much more; a new stretch starts after this long
  // without out-of-hours activity; this many patients awaiting a write at once cost
  // nothing (one consultation on call at a time).
  double night_weight = 2;
  int64_t out_of_hours_stretch_ms = 6 * kHourMs;
  int open_unwritten_allowance = 2;
  // Refusals of reads by id, and unfollowed directory searches: faded counts.
  int64_t refusal_half_life_ms = kHourMs;
  double refusals_allowance = 4;
  int64_t search_half_life_ms = kHourMs;
  // Coverage: a share of the reachable base read in 30 days that counts.
  double coverage_share = 0.6;
  int64_t break_glass_window_ms = 7 * kDayMs;
  // A read opens a listed patient when a list of several patients showed it within this
  // long before (a week: opening last week's pages is still walking the list); this
  // many such patients a day, none written for, are a clinician checking a few names
  // from a list.
  int64_t listed_within_ms = 7 * kDayMs;
  int list_harvest_allowance = 2;

  std::array<RoleProfile, 5> roles = {DefaultRoleProfile(identity::Role::kPhysician),
                                      DefaultRoleProfile(identity::Role::kNurse),
                                      DefaultRoleProfile(identity::Role::kSecretary),
                                      DefaultRoleProfile(identity::Role::kSecurityOfficer),
                                      DefaultRoleProfile(identity::Role::kAdmin)};
  const RoleProfile& ProfileOf(identity::Role role) const {
    return roles[static_cast<size_t>(role)];
  }
};

// What one Observe or Advance found.
struct AccountUpdate {
  std::vector<FeatureReading> readings;
  int new_patients = 0;        // patient episodes opened (for the platform's hour)
  int unwritten_resolved = 0;  // reads resolved as unwritten (clinical roles only)
  void Clear() {
    readings.clear();
    new_patients = 0;
    unwritten_resolved = 0;
  }
};

class AccountFeatures {
 public:
  // `options` must outlive the account (the RiskScorer owns both).
  AccountFeatures(identity::Role role, const AccountFeatureOptions& options);

  // One event of this account; `patients` are the HashIds of event.patients, `session`
  // the HashId of its session. Time moves on to the event's first (see Advance).
  void Observe(const DetectionEvent& event, uint64_t session, std::span<const uint64_t> patients,
               AccountUpdate& update);
  // Time passes: episodes and searches whose windows ended are resolved in time order,
  // hours and days close (learning baselines and habits).
  void Advance(int64_t now_ms, AccountUpdate& update);
  // When Advance next has evidence to resolve (INT64_MAX when none).
  int64_t next_due_ms() const { return next_due_ms_; }

  // The patients the account can reach, when known (0: unknown; coverage then uses the
  // role's absolute figure).
  void set_reachable_patients(int64_t count) { reachable_ = count; }
  // The account's risk reached the alert level: today teaches its baselines nothing, so
  // that an attacker cannot make his own pattern usual.
  void MarkSuspicious() { suspicious_today_ = true; }
  // New patients in an hour past which this account is above its usual hour (for the
  // platform features' attribution).
  double NewPatientsPerHourThreshold() const;

  // The first working day after an absence: its catch-up is the account's own business
  // (the platform features leave its unwritten reads out).
  bool returning_today() const { return returning_today_; }
  identity::Role role() const { return role_; }
  int64_t last_activity_ms() const { return last_activity_ms_; }
  size_t MemoryBytes() const;

 private:
  struct EventContext {
    int64_t time_ms;
    int64_t audit_seq;
    uint64_t session;
  };
  struct SessionClient {
    uint64_t session = 0;
    uint64_t client = 0;
    bool moved = false;
  };
  static constexpr size_t kCoverageDays = 30;
  static constexpr int kDayPrecision = 8;  // 256 bytes a day, about 6.5 % error
  static constexpr size_t kClients = 8;
  static constexpr size_t kSessions = 8;
  static constexpr size_t kGrants = 8;

  void RollTo(int64_t now_ms);
  void CloseHour();
  void CloseDay(int64_t new_day);
  void StartWorkingDay();
  bool Warm() const { return habits_.working_days() >= options_->warm_up_days; }
  HyperLogLog& TodayPatients();
  void Emit(AccountUpdate& u, Feature f, double units, double value, double usual, double threshold,
            double detail, const EventContext& c) const;

  void CheckClient(const DetectionEvent& e, const EventContext& c, AccountUpdate& u);
  void OutOfHoursActivity(const LocalTime& t, const EventContext& c, AccountUpdate& u);
  void ListedOrOpened(std::span<const uint64_t> patients, bool list, int64_t now_ms);
  void PatientRead(const DetectionEvent::Patient& p, uint64_t hash, const LocalTime& t, bool usual,
                   bool listed_again, const EventContext& c, AccountUpdate& u);
  void ProcessResolutions(AccountUpdate& u);
  void Resolved(const EpisodeResolution& r, AccountUpdate& u);
  void Refused(const EventContext& c, AccountUpdate& u);
  void Unfollowed(double weight, const EventContext& c, AccountUpdate& u);
  void BreakGlass(const EventContext& c, AccountUpdate& u);
  // Today's thresholds: distinct patients (without the return allowance) and unwritten
  // reads, from the account's own baselines once warm, its role's before.
  struct DayThreshold {
    double usual;
    double threshold;
  };
  DayThreshold VolumeDayThreshold() const;
  DayThreshold UnwrittenDayThreshold() const;
  void CheckVolumeDay(const EventContext& c, AccountUpdate& u);
  void CheckVolumeHour(const EventContext& c, AccountUpdate& u);
  void CheckUnwrittenHours(const EventContext& c, AccountUpdate& u);
  void CheckUnwrittenDay(const EventContext& c, AccountUpdate& u);
  void CheckCoverage(const EventContext& c, AccountUpdate& u);

  const AccountFeatureOptions* options_;
  const RoleProfile* profile_;
  identity::Role role_;
  AccountHabits habits_;
  PatientEpisodes episodes_;
  SearchFollowUps searches_;
  ListedPatients listed_;
  std::vector<EpisodeResolution> resolutions_;  // scratch, empty between calls

  void UpdateNextDue() {
    next_due_ms_ = std::min(episodes_.next_resolution_ms(), searches_.next_resolution_ms());
  }

  int64_t next_due_ms_ = std::numeric_limits<int64_t>::max();
  int64_t last_ms_ = 0;
  int64_t last_activity_ms_ = 0;
  int64_t reachable_ = 0;

  // The calendar position the state below belongs to.
  int64_t hour_index_ = PatientEpisode::kNever;
  int hour_of_week_ = 0;
  int64_t today_ = PatientEpisode::kNever;
  int64_t last_working_day_ = PatientEpisode::kNever;

  // This hour.
  bool active_this_hour_ = false;
  bool wrote_this_hour_ = false;
  uint16_t new_patients_this_hour_ = 0;
  double hour_volume_emitted_ = 0;

  // Today.
  bool working_today_ = false;  // read patients today
  bool returning_today_ = false;
  bool suspicious_today_ = false;
  double patients_today_ = 0;  // distinct, estimated
  double day_volume_emitted_ = 0;
  uint16_t unwritten_today_ = 0;
  std::array<uint8_t, 24> unwritten_by_hour_{};
  double unwritten_hour_units_emitted_ = 0;
  bool unwritten_day_counted_ = false;
  uint8_t unwritten_days_ = 0;  // bit i: i days ago had unusual unwritten reads
  uint16_t out_of_care_today_ = 0;
  uint16_t out_of_care_unwritten_today_ = 0;
  uint16_t confidential_today_ = 0;
  uint16_t confidential_out_of_care_today_ = 0;
  uint16_t snooping_today_ = 0;
  uint16_t list_harvest_today_ = 0;

  // The current out-of-hours stretch.
  int64_t last_out_of_hours_ms_ = PatientEpisode::kNever;
  int stretch_start_hour_ = 0;
  uint16_t out_of_hours_patients_ = 0;
  int open_unwritten_high_water_ = 0;

  FadingCount refusals_;
  FadingCount unfollowed_searches_;

  // Distinct patients per day for the last 30 days, and what coverage last found.
  std::array<HyperLogLog, kCoverageDays> day_patients_;
  std::array<int32_t, kCoverageDays> day_of_slot_;  // the local day each sketch counts
  uint16_t coverage_changes_ = 0;
  double coverage_emitted_ = 0;

  std::array<uint64_t, kClients> known_clients_{};  // most recent first; 0 = empty
  std::array<SessionClient, kSessions> session_clients_{};
  size_t next_session_slot_ = 0;
  std::array<int64_t, kGrants> grants_;
  size_t next_grant_ = 0;
};

}  // namespace medvault::detect
