#include "common/clock.h"

namespace medvault {

Time SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

Time NonDecreasingClock::Now() const {
  int64_t wall = wall_.Now().time_since_epoch().count();
  int64_t latest = latest_ms_.load(std::memory_order_relaxed);
  for (;;) {
    if (wall < latest && latest - wall <= max_standstill_ms_)
      return Time(std::chrono::milliseconds(latest));  // standing still
    // Later than anything returned yet, or so far behind that it is followed back. On a
    // race, the loop sees the other thread's value and decides again.
    if (latest_ms_.compare_exchange_weak(latest, wall, std::memory_order_relaxed)) {
      if (wall < latest) followed_back_.fetch_add(1);
      return Time(std::chrono::milliseconds(wall));
    }
  }
}

void NonDecreasingClock::Raise(Time floor) {
  int64_t ms = floor.time_since_epoch().count();
  int64_t latest = latest_ms_.load(std::memory_order_relaxed);
  while (ms > latest && !latest_ms_.compare_exchange_weak(latest, ms, std::memory_order_relaxed)) {
  }
}

}  // namespace medvault
