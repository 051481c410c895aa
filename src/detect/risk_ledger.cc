#include "detect/risk_ledger.h"

#include <algorithm>

#include "detect/local_time.h"

namespace medvault::detect {
namespace {

// Events are ranked by their contribution faded over a day.
constexpr int64_t kEventHalfLifeMs = kDayMs;

}  // namespace

FeatureWeights DefaultFeatureWeights() {
  FeatureWeights w{};
  auto set = [&](Feature f, double points, int64_t half_life_ms) {
    w[static_cast<size_t>(f)] = FeatureWeight{points, half_life_ms};
  };
  // Volume alone is weak evidence (busy days happen): half a point a patient over.
  set(Feature::kVolumeDay, 0.5, kDayMs);
  set(Feature::kVolumeHour, 0.5, 6 * kHourMs);
  // The core of low-and-slow: up to 3 units an hour, 6 points; a whole day of it passes
  // the step-up by early afternoon, a 3-hour block stays at an alert. Remembered a day,
  // so the next day starts where this one left off.
  set(Feature::kUnwrittenReads, 2, kDayMs);
  // The n-th unusual day in a week is n units: 5, then 10, then 15 points.
  set(Feature::kUnwrittenDays, 5, 3 * kDayMs);
  // A night stretch opens at 6 points; every patient read at night awaiting a write past
  // the second is 3 more, and 3 more if it stays unwritten.
  set(Feature::kOutOfHours, 1.5, 6 * kHourMs);
  set(Feature::kCoverage, 1, 3 * kDayMs);
  set(Feature::kRefusals, 1.5, 2 * kHourMs);
  set(Feature::kDirectorySweep, 2, 2 * kHourMs);
  // A session used from two clients is someone else's token: straight to suspension
  // (the synchronous half already ends that session).
  set(Feature::kSessionMoved, 60, kDayMs);
  // A new device alone is routine; with anything else it counts.
  set(Feature::kNewClient, 5, kDayMs);
  // The n-th grant in a week is n units: 5, 10, 15 points: three in a day is a step-up.
  set(Feature::kBreakGlass, 5, 2 * kDayMs);
  set(Feature::kOutOfCare, 2, 12 * kHourMs);
  set(Feature::kConfidential, 4, kDayMs);
  set(Feature::kSnooping, 6, 2 * kDayMs);
  // Opening a listed patient after patient without writing is harvesting, past the
  // few a clinician checks from a list in a day.
  set(Feature::kListHarvest, 6, 2 * kDayMs);
  // An account's part in a platform-wide anomaly: up to 3 unwritten reads an hour, 3
  // points each at full severity.
  set(Feature::kPlatformVolume, 3, kDayMs);
  set(Feature::kPlatformUnwritten, 3, kDayMs);
  return w;
}

double RiskLedger::Book(const FeatureReading& r, const FeatureWeights& weights,
                        int64_t session_half_life_ms) {
  const FeatureWeight& w = weights[static_cast<size_t>(r.feature)];
  const double points = r.units * w.points_per_unit;
  if (points <= 0) return 0;
  FeaturePoints& f = features_[static_cast<size_t>(r.feature)];
  f.points.Add(points, r.time_ms, w.half_life_ms);
  f.value = static_cast<float>(r.value);
  f.usual = static_cast<float>(r.usual);
  f.threshold = static_cast<float>(r.threshold);
  f.detail = static_cast<float>(r.detail);
  for (Session& s : sessions_)
    if (s.session == r.session && r.session != 0)
      s.points.Add(points, r.time_ms, session_half_life_ms);
  if (r.audit_seq >= 0) {
    EventPoints* slot = nullptr;
    for (EventPoints& e : events_)
      if (e.audit_seq == r.audit_seq) slot = &e;
    if (slot == nullptr) {
      // The event contributing least now makes room, unless it outweighs the new one.
      slot = &*std::min_element(events_.begin(), events_.end(), [&](const auto& a, const auto& b) {
        return a.points.At(r.time_ms, kEventHalfLifeMs) < b.points.At(r.time_ms, kEventHalfLifeMs);
      });
      if (slot->audit_seq >= 0 && slot->points.At(r.time_ms, kEventHalfLifeMs) >= points)
        return points;
      *slot = EventPoints{r.audit_seq, FadingCount{}};
    }
    slot->points.Add(points, r.time_ms, kEventHalfLifeMs);
  }
  return points;
}

void RiskLedger::NameSession(uint64_t session, std::string_view id, int64_t now_ms,
                             int64_t session_half_life_ms) {
  for (const Session& s : sessions_)
    if (s.session == session) return;
  Session& slot =
      *std::min_element(sessions_.begin(), sessions_.end(), [&](const auto& a, const auto& b) {
        return a.points.At(now_ms, session_half_life_ms) <
               b.points.At(now_ms, session_half_life_ms);
      });
  slot = Session{session, std::string(id), FadingCount{}};
}

double RiskLedger::Score(int64_t now_ms, const FeatureWeights& weights) const {
  double score = 0;
  for (size_t i = 0; i < kFeatureCount; ++i)
    score += features_[i].points.At(now_ms, weights[i].half_life_ms);
  return score;
}

std::vector<ExplanationLine> RiskLedger::Explain(int64_t now_ms,
                                                 const FeatureWeights& weights) const {
  std::vector<ExplanationLine> lines;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    const double points = features_[i].points.At(now_ms, weights[i].half_life_ms);
    if (points < 0.5) continue;
    const FeaturePoints& f = features_[i];
    FeatureReading r;
    r.feature = static_cast<Feature>(i);
    r.value = f.value;
    r.usual = f.usual;
    r.threshold = f.threshold;
    r.detail = f.detail;
    lines.push_back(
        ExplanationLine{NameOf(r.feature), r.value, r.usual, r.threshold, points, Describe(r)});
  }
  std::sort(lines.begin(), lines.end(),
            [](const auto& a, const auto& b) { return a.points > b.points; });
  return lines;
}

std::vector<SessionRisk> RiskLedger::Sessions(int64_t now_ms, int64_t session_half_life_ms) const {
  std::vector<SessionRisk> out;
  for (const Session& s : sessions_)
    if (s.session != 0) out.push_back(SessionRisk{s.id, s.points.At(now_ms, session_half_life_ms)});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  return out;
}

std::vector<int64_t> RiskLedger::TopEvents(int64_t now_ms) const {
  std::vector<std::pair<double, int64_t>> ranked;
  for (const EventPoints& e : events_)
    if (e.audit_seq >= 0) ranked.emplace_back(e.points.At(now_ms, kEventHalfLifeMs), e.audit_seq);
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  std::vector<int64_t> out;
  for (const auto& [points, seq] : ranked) out.push_back(seq);
  return out;
}

size_t RiskLedger::MemoryBytes() const {
  size_t bytes = sizeof(*this);
  for (const Session& s : sessions_)
    if (s.id.capacity() > 15) bytes += s.id.capacity() + 1;  // beyond the small-string buffer
  return bytes;
}

}  // namespace medvault::detect
