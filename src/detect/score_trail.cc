#include "detect/score_trail.h"

#include <algorithm>

namespace medvault::detect {

void ScoreTrail::Record(int64_t time_ms, double score) {
  const auto minute = static_cast<uint32_t>(std::max<int64_t>(0, time_ms) / kMinuteMs);
  if (!samples_.empty()) {
    Stored& last = samples_[(next_ + samples_.size() - 1) % samples_.size()];
    if (minute == last.minute) {
      last.score = std::max(last.score, static_cast<float>(score));
      return;
    }
  }
  const Stored sample{minute, static_cast<float>(score)};
  if (samples_.empty()) samples_.reserve(kCapacity);  // once: the trail never grows again
  if (samples_.size() < kCapacity) {
    samples_.push_back(sample);
    next_ = samples_.size() % kCapacity;
    return;
  }
  samples_[next_] = sample;
  next_ = (next_ + 1) % kCapacity;
}

std::vector<ScoreSample> ScoreTrail::Since(int64_t from_ms) const {
  std::vector<ScoreSample> out;
  const size_t n = samples_.size();
  const size_t oldest = n < kCapacity ? 0 : next_;
  for (size_t i = 0; i < n; ++i) {
    const Stored& s = samples_[(oldest + i) % n];
    const int64_t time_ms = static_cast<int64_t>(s.minute) * kMinuteMs;
    if (time_ms >= from_ms) out.push_back({time_ms, s.score});
  }
  return out;
}

}  // namespace medvault::detect
