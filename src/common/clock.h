// Time as medvault sees it. Every component takes a Clock instead of reading the
// system time, so the breach drill can run weeks of simulated activity in minutes and
// tests can drive expiry. No request can ever set the clock.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace medvault {

using Time = std::chrono::sys_time<std::chrono::milliseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time Now() const = 0;
  // How many times the clock went back past a time it had returned; the server then ends
  // every session (api::ClockSetBackGuard). 0 for the clocks that never report it.
  virtual uint64_t followed_back() const { return 0; }
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  Time Now() const override;
};

// A clock that moves only when told to: for tests and the simulated drill.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Time start) : now_ms_(start.time_since_epoch().count()) {}
  Time Now() const override { return Time(std::chrono::milliseconds(now_ms_.load())); }
  void Set(Time t) { now_ms_.store(t.time_since_epoch().count()); }
  void Advance(std::chrono::milliseconds d) { now_ms_.fetch_add(d.count()); }

 private:
  std::atomic<int64_t> now_ms_;
};

// The wall clock held back from running backward. After the wall clock is set back by
// J (an NTP step, an operator's mistake), Now() stands still at the latest time it
// returned until the wall clock catches up, J later, then follows it again: nothing that
// had expired comes back to life, nothing still running ends early, and there is no
// lasting offset from the wall clock; while it stands still, timeouts last up to J
// longer. It stands still for `max_standstill` at most: past that it follows the wall
// clock back (time frozen for days would freeze every timeout with it), and
// followed_back() counts how often. `floor` is the earliest time it may return, e.g.
// the latest time recorded before a restart.
class NonDecreasingClock final : public Clock {
 public:
  static constexpr std::chrono::milliseconds kMaxStandstill = std::chrono::hours(1);

  explicit NonDecreasingClock(const Clock& wall, Time floor = Time{},
                              std::chrono::milliseconds max_standstill = kMaxStandstill)
      : wall_(wall),
        max_standstill_ms_(max_standstill.count()),
        latest_ms_(floor.time_since_epoch().count()) {}
  Time Now() const override;
  // Never lets Now() return anything earlier than `floor`, within max_standstill.
  void Raise(Time floor);
  uint64_t followed_back() const override { return followed_back_.load(); }

 private:
  const Clock& wall_;
  int64_t max_standstill_ms_;
  mutable std::atomic<int64_t> latest_ms_;
  mutable std::atomic<uint64_t> followed_back_{0};
};

inline int64_t ToUnixMillis(Time t) { return t.time_since_epoch().count(); }
inline Time FromUnixMillis(int64_t ms) { return Time(std::chrono::milliseconds(ms)); }

}  // namespace medvault
