// How the detector remembers the past in constant space: counts that fade with a
// half-life (recent evidence weighs fully, old evidence fades away), and running
// baselines (what is usual for a quantity observed once a period).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace medvault::detect {

// What is left after `elapsed_ms` of something with this half-life: 1 when no time
// passed (or time ran backwards, which must never inflate a count).
inline double FadeFactor(int64_t elapsed_ms, int64_t half_life_ms) {
  if (elapsed_ms <= 0) return 1.0;
  if (half_life_ms <= 0) return 0.0;
  return std::exp2(-static_cast<double>(elapsed_ms) / static_cast<double>(half_life_ms));
}

class FadingCount {
 public:
  double At(int64_t now_ms, int64_t half_life_ms) const {
    return value_ == 0 ? 0.0 : value_ * FadeFactor(now_ms - at_ms_, half_life_ms);
  }
  // Adds `amount` at `now_ms` and returns the count after it.
  double Add(double amount, int64_t now_ms, int64_t half_life_ms) {
    const double now_value = At(now_ms, half_life_ms) + amount;
    value_ = static_cast<float>(now_value);
    at_ms_ = std::max(at_ms_, now_ms);
    return now_value;
  }
  int64_t updated_ms() const { return at_ms_; }

 private:
  float value_ = 0;
  int64_t at_ms_ = 0;
};

// An exponentially weighted mean and variance. Each observation moves the mean by
// max(alpha, 1/n) of its difference: the first observations average exactly (a new
// account's first week counts fully), later ones weigh `alpha` (about the last 2/alpha
// periods matter).
class RunningBaseline {
 public:
  void Learn(double x, double alpha) {
    const double a = std::max(alpha, 1.0 / (static_cast<double>(samples_) + 1.0));
    const double d = x - mean_;
    mean_ += a * d;
    variance_ = (1.0 - a) * (variance_ + a * d * d);
    if (samples_ < std::numeric_limits<uint16_t>::max()) ++samples_;
  }
  double mean() const { return mean_; }
  double sd() const { return std::sqrt(std::max(0.0, variance_)); }
  int samples() const { return samples_; }

 private:
  double mean_ = 0;
  double variance_ = 0;
  uint16_t samples_ = 0;
};

}  // namespace medvault::detect
