// The risk one account carries: each feature's points, fading with that feature's
// half-life (a few hours for what a burst shows, days for what only a pattern shows),
// the same points per session, and the events that contributed most. What an
// explanation is built from: features and counts, never a patient.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "detect/feature.h"
#include "detect/streaming_stats.h"

namespace medvault::detect {

struct FeatureWeight {
  double points_per_unit = 1;
  int64_t half_life_ms = 0;
};
using FeatureWeights = std::array<FeatureWeight, kFeatureCount>;
// The defaults, with the reasoning behind each (risk_ledger.cc).
FeatureWeights DefaultFeatureWeights();

struct ExplanationLine {
  std::string_view feature;  // NameOf(Feature)
  double value = 0;
  double usual = 0;
  double threshold = 0;
  double points = 0;  // faded to the time of the explanation
  std::string sentence;
};

struct SessionRisk {
  std::string session_id;
  double score = 0;
};

class RiskLedger {
 public:
  static constexpr size_t kSessions = 4;
  static constexpr size_t kEvents = 20;

  // Prices `reading` and books its points (to its feature, its session, its event);
  // returns the points.
  double Book(const FeatureReading& reading, const FeatureWeights& weights,
              int64_t session_half_life_ms);
  // The id behind a session's HashId, for escalations; the least risky of the
  // remembered sessions makes room.
  void NameSession(uint64_t session, std::string_view id, int64_t now_ms,
                   int64_t session_half_life_ms);

  double Score(int64_t now_ms, const FeatureWeights& weights) const;
  // Features worth at least half a point now, the most first.
  std::vector<ExplanationLine> Explain(int64_t now_ms, const FeatureWeights& weights) const;
  std::vector<SessionRisk> Sessions(int64_t now_ms, int64_t session_half_life_ms) const;
  // The audit sequence numbers of the events that contributed most, the most first.
  std::vector<int64_t> TopEvents(int64_t now_ms) const;

  size_t MemoryBytes() const;

 private:
  struct FeaturePoints {
    FadingCount points;
    // The figures of the latest reading with points, for the explanation.
    float value = 0;
    float usual = 0;
    float threshold = 0;
    float detail = 0;
  };
  struct Session {
    uint64_t session = 0;
    std::string id;
    FadingCount points;
  };
  struct EventPoints {
    int64_t audit_seq = -1;
    FadingCount points;
  };

  std::array<FeaturePoints, kFeatureCount> features_{};
  std::array<Session, kSessions> sessions_{};
  std::array<EventPoints, kEvents> events_{};
};

}  // namespace medvault::detect
