// The synchronous half of detection, applied to a handler's Outcome before the audit
// stage records it: what an account may receive right now (its budgets), and what a
// burst of refusals says about it. Either may replace the answer (a step-up demand, a
// 429), add alerts, and add the containment that goes with them to the request's commit.
// The asynchronous half (the risk scorer) hears of the request after the commit, in
// api/risk_feed.
#pragma once

#include "access/denial_counter.h"
#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class SynchronousDetector {
 public:
  explicit SynchronousDetector(Services& services);

  // A response whose patients would exceed the account's budget is replaced by a
  // step-up demand (401), or by a refusal (429, account throttled) once the budget was
  // extended; its patients are then left out of the audit facts (nothing left).
  void ChargeBudget(const RequestContext& ctx, bool fhir, Outcome& outcome);

  // Counts a 403 against the account; a burst of them raises an alert and demands a
  // fresh code (an account walking through patients it may not see).
  void CountRefusal(const RequestContext& ctx, int status, int64_t now_ms, Outcome& outcome);

 private:
  Services& s_;
  access::DenialCounter denials_;
};

}  // namespace medvault::api
