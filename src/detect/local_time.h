// Local calendar positions for habits: working hours, nights, days. The server's clock is
// milliseconds since the Unix epoch; `offset_ms` moves it to the deployment's local time
// (the breach drill's simulated clock already stands for local time: offset 0). Nothing
// here reads a clock: time is always passed in.
#pragma once

#include <cstdint>

namespace medvault::detect {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;
inline constexpr int kHoursPerWeek = 168;

struct LocalTime {
  int64_t day = 0;         // days since 1970-01-01, local
  int hour = 0;            // 0..23
  int day_of_week = 0;     // 0 Monday .. 6 Sunday
  int64_t hour_index = 0;  // hours since 1970-01-01 00:00, local

  int hour_of_week() const { return day_of_week * 24 + hour; }
  // 22:00–06:00: reads then are what a night harvest looks like.
  bool night() const { return hour >= 22 || hour < 6; }
};

// Floor division: the day and hour of a time before 1970 are still the right ones.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

inline LocalTime ToLocal(int64_t time_ms, int64_t offset_ms) {
  const int64_t local = time_ms + offset_ms;
  LocalTime t;
  t.hour_index = FloorDiv(local, kHourMs);
  t.day = FloorDiv(local, kDayMs);
  t.hour = static_cast<int>(t.hour_index - t.day * 24);
  // 1970-01-01 was a Thursday (index 3 from Monday).
  t.day_of_week = static_cast<int>((t.day % 7 + 7 + 3) % 7);
  return t;
}

}  // namespace medvault::detect
