// The breach drill's simulated time (docs/DETECTION.md): events on the ManualClock, run
// in time order, so that the requests of hundreds of people interleave as they would in
// a day. Whoever acts schedules their next step instead of moving the clock.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/clock.h"

namespace medvault::cli {

inline constexpr int64_t kSecond = 1000;
inline constexpr int64_t kMinute = 60 * kSecond;
inline constexpr int64_t kHour = 60 * kMinute;
inline constexpr int64_t kDay = 24 * kHour;

// Events in simulated time; ties run in the order they were scheduled. The clock only
// moves forward: an event scheduled in the past runs now.
class Timeline {
 public:
  explicit Timeline(ManualClock& clock) : clock_(clock) {}

  void At(int64_t ms, std::function<void()> run);

  // One person's steps, one after the other: step i runs `pause_ms` after step i-1 has
  // run (the first `pause_ms` after `start_ms`); a step that returns false ends them.
  struct Step {
    int64_t pause_ms = 0;
    std::function<bool()> run;
  };
  void Sequence(int64_t start_ms, std::vector<Step> steps);

  // Runs every event, including those scheduled on the way, until none is left.
  void Run();
  int64_t now() const { return ToUnixMillis(clock_.Now()); }

 private:
  void RunStep(std::shared_ptr<std::vector<Step>> steps, size_t index);

  ManualClock& clock_;
  std::map<std::pair<int64_t, int64_t>, std::function<void()>> events_;
  int64_t next_ = 0;
};

// 0 for Monday … 6 for Sunday, of the day that contains `ms`.
int WeekdayAt(int64_t ms);

// Percent-encodes a query value (RFC 3986 unreserved characters stay).
std::string PercentEncode(std::string_view text);

}  // namespace medvault::cli
