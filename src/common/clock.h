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

inline int64_t ToUnixMillis(Time t) { return t.time_since_epoch().count(); }
inline Time FromUnixMillis(int64_t ms) { return Time(std::chrono::milliseconds(ms)); }

}  // namespace medvault
