#include "detect/account_habits.h"

#include <algorithm>

namespace medvault::detect {

void AccountHabits::LearnDay(double patients, double patients_alpha, double unwritten,
                             double unwritten_alpha) {
  day_patients_.Learn(patients, patients_alpha);
  day_unwritten_.Learn(unwritten, unwritten_alpha);
}

void AccountHabits::LearnHour(int hour_of_week, double new_patients, bool worked, double alpha) {
  if (new_patients > 0) hour_patients_.Learn(new_patients, alpha);
  if (!worked || hour_of_week < 0 || hour_of_week >= kHoursPerWeek) return;
  float& p = presence_[static_cast<size_t>(hour_of_week)];
  p += 1.0f;
  busiest_ = std::max(busiest_, p);
}

void AccountHabits::FadePresence(int64_t days, int64_t half_life_ms) {
  if (days <= 0) return;
  const auto factor = static_cast<float>(FadeFactor(days * kDayMs, half_life_ms));
  for (float& p : presence_) p *= factor;
  busiest_ *= factor;
}

bool AccountHabits::UsualHour(int hour_of_week, const RoleProfile& role, double min_presence,
                              double share) const {
  const auto h = static_cast<size_t>(std::clamp(hour_of_week, 0, kHoursPerWeek - 1));
  if (!has_own_hours(min_presence)) return role.usual_hours.test(h);
  return presence_[h] >= share * busiest_;
}

}  // namespace medvault::detect
