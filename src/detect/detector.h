// The detector's synchronous half, in the request path: the gate every authenticated
// request passes first (containment set by the security officer or by escalation), and
// the budgets charged before a response carrying patient data leaves. The streaming
// features and risk scores of the detection issue build on it.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "detect/budgets.h"
#include "identity/principal.h"

namespace medvault::detect {

struct DetectionOptions {
  BudgetOptions budgets;
  // While an account is throttled, one request per this interval.
  int64_t throttle_interval_ms = 10'000;
  // How long escalation throttles an account that exhausted its extended budget.
  int64_t throttle_duration_ms = 3'600'000;
  // Refusals (403) of one account within 10 minutes that raise an alert and demand a
  // fresh code; again at every multiple.
  int64_t refusals_before_step_up = 20;
};

struct GateVerdict {
  enum Kind { kPass, kStepUp, kThrottled } kind = kPass;
  int64_t retry_after_ms = 0;
  std::string reason;  // for the caller and the audit entry; names no patient
};

class Detector {
 public:
  explicit Detector(DetectionOptions options) : options_(options), budgets_(options.budgets) {}

  // The gate: containment first. A session the containment asks to step up again is
  // refused until it does; a throttled account gets one request per interval.
  GateVerdict Gate(const identity::Principal& principal, int64_t now_ms);

  BudgetLedger& budgets() { return budgets_; }
  const DetectionOptions& options() const { return options_; }

 private:
  const DetectionOptions options_;
  BudgetLedger budgets_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> last_throttled_request_ms_;
};

}  // namespace medvault::detect
