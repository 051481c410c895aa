// The escalation ladder: alert → step-up → throttle → suspend the session → lock the
// account. An account climbs when its risk score passes a rung's threshold, and keeps
// climbing when risk keeps coming after a step-up: an attacker riding a victim's session
// carries on after the victim gives a fresh code, so the second surge must go to
// suspension, not to another step-up the victim will answer again. The level is
// remembered until a quiet period below the alert threshold brings it back to none.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "detect/local_time.h"

namespace medvault::detect {

enum class Level : uint8_t { kNone, kAlert, kStepUp, kThrottle, kSuspendSession, kLockAccount };

std::string_view NameOf(Level level);  // "none", "alert", "step-up", "throttle", …
// What the security officer's listing shows: "low" (alert), "medium" (step-up,
// throttle), "high" (suspension, lock); "" for none.
std::string_view SeverityOf(Level level);

struct LadderOptions {
  // The score at which each rung is reached. An honest clinician's rare exception (a
  // catch-up after a holiday, a night on call, a locum's day) stays below the step-up.
  double alert = 15;
  double step_up = 30;
  double throttle = 45;
  double suspend_session = 60;
  double lock_account = 80;
  // From the step-up on, this many points gained since the last rise climb one more
  // rung, whatever the score (about three hours of a low-and-slow scraper).
  double climb_points = 15;
  // The level falls back to none once no points came for this long and the score is
  // below the alert threshold.
  int64_t quiet_period_ms = kDayMs;
};

class EscalationLadder {
 public:
  // `new_points` came in at `now_ms`, taking the score from `score_before` to `score`.
  // Returns the new level when the account rises (only then is an escalation due).
  std::optional<Level> Raise(double score_before, double score, double new_points, int64_t now_ms,
                             const LadderOptions& options);
  // The level at `now_ms` for a score of `score` (after any quiet period).
  Level Current(double score, int64_t now_ms, const LadderOptions& options) const;

 private:
  static Level LevelFor(double score, const LadderOptions& options);
  bool Quiet(double score, int64_t now_ms, const LadderOptions& options) const;

  Level level_ = Level::kNone;
  double fresh_points_ = 0;  // since the last rise
  int64_t last_points_ms_ = 0;
};

}  // namespace medvault::detect
