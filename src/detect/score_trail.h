// An account's risk score over time, for the security officer's plot: the score each
// time the scorer booked points for the account (the score only rises then; between
// two samples it fades). One sample per minute at most (the highest), the latest
// kCapacity kept: 8 bytes each, taken at once when the account first scores, so that an
// account that ever scored costs 384 bytes more however busy it is, and one that never
// did costs nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace medvault::detect {

struct ScoreSample {
  int64_t time_ms = 0;  // the start of the minute in which the score was reached
  double score = 0;
};

class ScoreTrail {
 public:
  static constexpr size_t kCapacity = 48;
  static constexpr int64_t kMinuteMs = 60'000;

  // The score reached at `time_ms` (not earlier than the last recorded).
  void Record(int64_t time_ms, double score);
  // Samples at or after `from_ms`, oldest first.
  std::vector<ScoreSample> Since(int64_t from_ms) const;

  size_t MemoryBytes() const { return samples_.capacity() * sizeof(Stored); }

 private:
  struct Stored {
    uint32_t minute;  // since the epoch: good until the year 10136
    float score;
  };
  std::vector<Stored> samples_;  // a ring once full
  size_t next_ = 0;              // where the next sample goes once full
};

}  // namespace medvault::detect
