// An account's own habits, learned from its past: how many patients it sees on a working
// day and in a working hour, how many it reads without writing, and which hours of the
// week it works. Until it has enough of a past, its role's profile stands in.
#pragma once

#include <array>
#include <cstdint>

#include "detect/local_time.h"
#include "detect/role_profile.h"
#include "detect/streaming_stats.h"

namespace medvault::detect {

class AccountHabits {
 public:
  // A finished working day (one on which the account read patients), each figure with
  // its own weight.
  void LearnDay(double patients, double patients_alpha, double unwritten, double unwritten_alpha);
  // A finished hour in which the account was active: the patients it opened, and
  // whether the hour counts as worked (see AccountFeatures: a write, or a usual hour).
  void LearnHour(int hour_of_week, double new_patients, bool worked, double alpha);
  // Presence fades by `days` days' worth, so habits follow a change of timetable.
  void FadePresence(int64_t days, int64_t half_life_ms);

  // Whether the account works at this hour of the week: its own presence once it has
  // about `min_presence` weeks of it (at least `share` of its busiest hour), its
  // role's hours before.
  bool UsualHour(int hour_of_week, const RoleProfile& role, double min_presence,
                 double share) const;
  bool has_own_hours(double min_presence) const { return busiest_ >= min_presence; }

  const RunningBaseline& day_patients() const { return day_patients_; }
  const RunningBaseline& day_unwritten() const { return day_unwritten_; }
  const RunningBaseline& hour_patients() const { return hour_patients_; }
  int working_days() const { return day_patients_.samples(); }

 private:
  std::array<float, kHoursPerWeek> presence_{};  // faded count of weeks worked, per hour
  float busiest_ = 0;
  RunningBaseline day_patients_;
  RunningBaseline day_unwritten_;
  RunningBaseline hour_patients_;
};

}  // namespace medvault::detect
