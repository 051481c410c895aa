#include "detect/escalation_ladder.h"

#include <algorithm>

namespace medvault::detect {

std::string_view NameOf(Level level) {
  switch (level) {
    case Level::kNone: return "none";
    case Level::kAlert: return "alert";
    case Level::kStepUp: return "step-up";
    case Level::kThrottle: return "throttle";
    case Level::kSuspendSession: return "suspend-session";
    case Level::kLockAccount: return "lock-account";
  }
  return "none";
}

std::string_view SeverityOf(Level level) {
  switch (level) {
    case Level::kNone: return "";
    case Level::kAlert: return "low";
    case Level::kStepUp:
    case Level::kThrottle: return "medium";
    case Level::kSuspendSession:
    case Level::kLockAccount: return "high";
  }
  return "";
}

Level EscalationLadder::LevelFor(double score, const LadderOptions& o) {
  if (score >= o.lock_account) return Level::kLockAccount;
  if (score >= o.suspend_session) return Level::kSuspendSession;
  if (score >= o.throttle) return Level::kThrottle;
  if (score >= o.step_up) return Level::kStepUp;
  if (score >= o.alert) return Level::kAlert;
  return Level::kNone;
}

bool EscalationLadder::Quiet(double score, int64_t now_ms, const LadderOptions& o) const {
  return score < o.alert && now_ms - last_points_ms_ >= o.quiet_period_ms;
}

Level EscalationLadder::Current(double score, int64_t now_ms, const LadderOptions& o) const {
  return Quiet(score, now_ms, o) ? Level::kNone : level_;
}

std::optional<Level> EscalationLadder::Raise(double score_before, double score, double new_points,
                                             int64_t now_ms, const LadderOptions& o) {
  if (level_ != Level::kNone && Quiet(score_before, now_ms, o)) {
    level_ = Level::kNone;
    fresh_points_ = 0;
  }
  if (new_points > 0) {
    fresh_points_ += new_points;
    last_points_ms_ = std::max(last_points_ms_, now_ms);
  }
  Level target = LevelFor(score, o);
  if (level_ >= Level::kStepUp && level_ < Level::kLockAccount && fresh_points_ >= o.climb_points)
    target = std::max(target, static_cast<Level>(static_cast<uint8_t>(level_) + 1));
  if (target <= level_) return std::nullopt;
  level_ = target;
  fresh_points_ = 0;
  return level_;
}

}  // namespace medvault::detect
