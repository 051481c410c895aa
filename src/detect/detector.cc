#include "detect/detector.h"

namespace medvault::detect {

GateVerdict Detector::Gate(const identity::Principal& principal, int64_t now_ms) {
  if (principal.must_step_up_again())
    return GateVerdict{GateVerdict::kStepUp, 0,
                       "the security officer or the detector asks this account to confirm "
                       "with a fresh code"};
  if (principal.throttled_until_ms() <= now_ms) return GateVerdict{};
  std::lock_guard lock(mu_);
  if (last_throttled_request_ms_.size() > 4096)
    std::erase_if(last_throttled_request_ms_, [&](const auto& entry) {
      return entry.second <= now_ms - options_.throttle_interval_ms;
    });
  int64_t& last = last_throttled_request_ms_[principal.account_id()];
  if (last != 0 && now_ms - last < options_.throttle_interval_ms)
    return GateVerdict{GateVerdict::kThrottled, last + options_.throttle_interval_ms - now_ms,
                       "this account is slowed down: one request every " +
                           std::to_string(options_.throttle_interval_ms / 1000) + " seconds"};
  last = now_ms;
  return GateVerdict{};
}

}  // namespace medvault::detect
