#include "detect/platform_features.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace medvault::detect {
namespace {

constexpr int64_t kNoHour = std::numeric_limits<int64_t>::min();

struct Judgement {
  double usual = 0;
  double threshold = 0;
  double reach = 0;  // (value - usual) / (threshold - usual)
};

Judgement JudgeAgainst(const RunningBaseline& b, double value, double sds, double min_excess) {
  const double mean = b.mean();
  const double sd = std::max({b.sd(), std::sqrt(std::max(mean, 1.0)), 0.1 * mean});
  Judgement j;
  j.usual = mean;
  j.threshold = mean + std::max(sds * sd, min_excess);
  j.reach = (value - mean) / (j.threshold - mean);
  return j;
}

}  // namespace

PlatformFeatures::PlatformFeatures(PlatformFeatureOptions options)
    : options_(options), open_hour_(kNoHour), patients_(options.hll_precision) {}

size_t PlatformFeatures::MemoryBytes() const {
  return sizeof(*this) + patients_.MemoryBytes() +
         contributions_.size() * (sizeof(uint64_t) + sizeof(Contribution) + 32) +
         contributions_.bucket_count() * sizeof(void*);
}

PlatformFeatures::Contribution& PlatformFeatures::ContributionOf(uint64_t account, int64_t now_ms) {
  if (open_hour_ == kNoHour) open_hour_ = ToLocal(now_ms, options_.local_time_offset_ms).hour_index;
  return contributions_[account];
}

void PlatformFeatures::RecordPatients(uint64_t account, std::span<const uint64_t> patients,
                                      int new_patients, int64_t now_ms) {
  Contribution& c = ContributionOf(account, now_ms);
  for (uint64_t p : patients) patients_.Add(p);
  c.new_patients = static_cast<uint16_t>(std::min(65535, c.new_patients + new_patients));
}

void PlatformFeatures::RecordUnwritten(uint64_t account, int count, int64_t now_ms) {
  Contribution& c = ContributionOf(account, now_ms);
  c.unwritten = static_cast<uint16_t>(std::min(65535, c.unwritten + count));
}

std::vector<PlatformHour> PlatformFeatures::CloseHours(int64_t now_ms) {
  std::vector<PlatformHour> anomalous;
  const int64_t now_hour = ToLocal(now_ms, options_.local_time_offset_ms).hour_index;
  if (open_hour_ == kNoHour || now_hour <= open_hour_) return anomalous;
  // After a long silence, only the hour that had activity is judged.
  const int64_t last =
      now_hour - open_hour_ > options_.longest_quiet_hours ? open_hour_ + 1 : now_hour;
  for (; open_hour_ < last; ++open_hour_) {
    last_closed_ = Judge(open_hour_);
    if (last_closed_.patients_anomalous || last_closed_.unwritten_anomalous)
      anomalous.push_back(last_closed_);
    patients_.Clear();
    contributions_.clear();
  }
  open_hour_ = now_hour;
  return anomalous;
}

PlatformHour PlatformFeatures::Judge(int64_t hour_index) {
  PlatformHour h;
  h.start_ms = hour_index * kHourMs - options_.local_time_offset_ms;
  h.hour_of_week = ToLocal(h.start_ms, options_.local_time_offset_ms).hour_of_week();
  HourOfWeek& b = baselines_[static_cast<size_t>(h.hour_of_week)];

  h.patients = patients_.Estimate();
  std::vector<int> new_patients;
  new_patients.reserve(contributions_.size());
  for (const auto& [account, c] : contributions_) {
    h.unwritten += std::min<int>(c.unwritten, options_.unwritten_cap_per_account);
    new_patients.push_back(c.new_patients);
  }
  const size_t removed = std::min(options_.biggest_contributors_removed, new_patients.size());
  std::partial_sort(new_patients.begin(), new_patients.begin() + static_cast<long>(removed),
                    new_patients.end(), std::greater<>());
  double biggest = 0;
  for (size_t i = 0; i < removed; ++i) biggest += new_patients[i];

  const Judgement p =
      JudgeAgainst(b.patients, h.patients, options_.anomaly_sds, options_.min_patient_excess);
  const Judgement u =
      JudgeAgainst(b.unwritten, h.unwritten, options_.anomaly_sds, options_.min_unwritten_excess);
  h.patients_usual = p.usual;
  h.patients_threshold = p.threshold;
  h.unwritten_usual = u.usual;
  h.unwritten_threshold = u.threshold;
  h.judged = b.patients.samples() >= options_.min_weeks;
  h.patients_anomalous = h.judged && h.patients > p.threshold && h.patients - biggest > p.threshold;
  h.unwritten_anomalous = h.judged && h.unwritten > u.threshold;
  double reach = 0;
  if (h.patients_anomalous) reach = std::max(reach, p.reach);
  if (h.unwritten_anomalous) reach = std::max(reach, u.reach);
  h.severity = reach > 0 ? 0.5 + 0.5 * std::clamp(reach - 1.0, 0.0, 1.0) : 0.0;

  // An anomalous hour teaches at most the edge of normal, and slowly: an attack lasting
  // weeks must not become the platform's usual, while real growth (a practice joining)
  // still moves the baseline within weeks.
  auto alpha = [&](bool anomalous) {
    return options_.baseline_alpha * (anomalous ? options_.anomalous_hour_weight : 1.0);
  };
  b.patients.Learn(h.judged ? std::min(h.patients, p.threshold) : h.patients,
                   alpha(h.judged && h.patients > p.threshold));
  b.unwritten.Learn(h.judged ? std::min(h.unwritten, u.threshold) : h.unwritten,
                    alpha(h.judged && h.unwritten > u.threshold));

  if (h.patients_anomalous || h.unwritten_anomalous)
    for (const auto& [account, c] : contributions_)
      h.contributors.push_back(PlatformContributor{account, c.unwritten, c.new_patients});
  // In account order: the same events give the same escalations in the same order.
  std::sort(h.contributors.begin(), h.contributors.end(),
            [](const auto& x, const auto& y) { return x.account < y.account; });
  return h;
}

}  // namespace medvault::detect
