// The account's figures against what is usual for it: the thresholds its own baselines
// (or its role's, while it has none) set, and the readings when today's figures pass them.
#include <algorithm>
#include <bit>

#include "detect/account_features.h"

namespace medvault::detect {
namespace {

// Working hours in a day, to spread a day's figures over its hours.
constexpr double kWorkingHours = 8;

}  // namespace

double AccountFeatures::NewPatientsPerHourThreshold() const {
  const RunningBaseline& hour = habits_.hour_patients();
  if (hour.samples() >= options_->warm_up_days * 4) return hour.mean() + 2 * hour.sd();
  const double mean = profile_->patients_per_day / kWorkingHours;
  return mean + 2 * std::max(1.0, mean / 2);
}

AccountFeatures::DayThreshold AccountFeatures::VolumeDayThreshold() const {
  const RunningBaseline& own = habits_.day_patients();
  const double mean = Warm() ? own.mean() : profile_->patients_per_day;
  const double sd = Warm() ? own.sd() : profile_->patients_per_day_sd;
  return {mean, std::max(mean + options_->day_sds * sd, mean + options_->day_min_excess)};
}

AccountFeatures::DayThreshold AccountFeatures::UnwrittenDayThreshold() const {
  const RunningBaseline& own = habits_.day_unwritten();
  const double mean = Warm() ? own.mean() : 0.0;
  const double sd = Warm() ? own.sd() : 0.0;
  return {mean,
          std::max({profile_->unwritten_per_day_allowance, mean + options_->unwritten_day_sds * sd,
                    mean + options_->unwritten_day_min_excess})};
}

void AccountFeatures::CheckVolumeDay(const EventContext& c, AccountUpdate& u) {
  DayThreshold day = VolumeDayThreshold();
  if (returning_today_) day.threshold += profile_->return_catch_up_patients;
  const double excess = patients_today_ - day.threshold;
  if (excess - day_volume_emitted_ < 1) return;
  Emit(u, Feature::kVolumeDay, excess - day_volume_emitted_, patients_today_, day.usual,
       day.threshold, 0, c);
  day_volume_emitted_ = excess;
}

void AccountFeatures::CheckVolumeHour(const EventContext& c, AccountUpdate& u) {
  const RunningBaseline& own = habits_.hour_patients();
  const double mean = own.samples() > 0 ? own.mean() : profile_->patients_per_day / kWorkingHours;
  const double threshold =
      std::max(profile_->patients_per_hour_ceiling, mean + options_->hour_sds * own.sd());
  const double excess = new_patients_this_hour_ - threshold;
  if (excess - hour_volume_emitted_ < 1) return;
  Emit(u, Feature::kVolumeHour, excess - hour_volume_emitted_, new_patients_this_hour_, mean,
       threshold, 0, c);
  hour_volume_emitted_ = excess;
}

void AccountFeatures::CheckUnwrittenHours(const EventContext& c, AccountUpdate& u) {
  // An account that usually reads a few files a day without writing gets that much more
  // room in each hour.
  const double allowance = profile_->unwritten_per_hour_allowance +
                           (Warm() ? habits_.day_unwritten().mean() / kWorkingHours : 0.0);
  double units = 0;
  int hours = 0;
  for (uint8_t count : unwritten_by_hour_) {
    if (count <= allowance) continue;
    units += std::min(options_->unwritten_hour_cap, count - allowance);
    ++hours;
  }
  if (units <= unwritten_hour_units_emitted_) return;
  Emit(u, Feature::kUnwrittenReads, units - unwritten_hour_units_emitted_, unwritten_today_,
       allowance, allowance, hours, c);
  unwritten_hour_units_emitted_ = units;
}

void AccountFeatures::CheckUnwrittenDay(const EventContext& c, AccountUpdate& u) {
  if (unwritten_day_counted_) return;
  const DayThreshold day = UnwrittenDayThreshold();
  if (unwritten_today_ <= day.threshold) return;
  unwritten_day_counted_ = true;
  unwritten_days_ |= 1;
  // The n-th such day in a week is worth n - 1 units: one day of catching up is an
  // exception (the unwritten-reads feature already weighed it), day after day a pattern.
  const auto days =
      static_cast<double>(std::popcount(static_cast<unsigned>(unwritten_days_ & 0x7f)));
  Emit(u, Feature::kUnwrittenDays, days - 1, days, day.usual, day.threshold, unwritten_today_, c);
}

void AccountFeatures::CheckCoverage(const EventContext& c, AccountUpdate& u) {
  coverage_changes_ = 0;
  HyperLogLog month(kDayPrecision);
  for (size_t i = 0; i < kCoverageDays; ++i)
    if (day_of_slot_[i] > today_ - static_cast<int64_t>(kCoverageDays))
      month.Merge(day_patients_[i]);
  const double patients = month.Estimate();
  const bool known = reachable_ > 0;
  const double threshold = known ? options_->coverage_share * static_cast<double>(reachable_)
                                 : profile_->coverage_patients_30d;
  // A unit: 1 % of the reachable base, or 10 patients when the base is unknown.
  const double unit = known ? static_cast<double>(reachable_) / 100 : 10;
  const double excess = std::max(0.0, (patients - threshold) / unit);
  if (excess - coverage_emitted_ >= 1)
    Emit(u, Feature::kCoverage, excess - coverage_emitted_, patients,
         known ? static_cast<double>(reachable_) : 0, threshold, 0, c);
  // Days leaving the window lower the figure; a new rise counts again from there.
  if (excess - coverage_emitted_ >= 1 || excess < coverage_emitted_) coverage_emitted_ = excess;
}

}  // namespace medvault::detect
