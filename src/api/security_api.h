// /security: the security officer's console. Today the alerts that authorization
// raises (break-the-glass, restricted patients, care started elsewhere); the detection
// issue adds its own alerts, containment and breach reports here.
#pragma once

#include "api/alert_stream.h"
#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class SecurityApi {
 public:
  explicit SecurityApi(Services& services);

  // GET /security/alerts?account=&severity=&state=&_count= → newest first.
  Outcome Alerts(const RequestContext& ctx);
  // POST /security/alerts/{id}/resolve {"note"} → 200 the alert, resolved.
  Outcome Resolve(const RequestContext& ctx, const std::string& alert_id);
  // GET /security/accounts/{id}/activity?hours=1..168 (24) → the account, its
  // containment, its budgets used, its risk, its latest alerts and audit entries, and
  // its activity over the last `hours` as a series for a plot (api/account_activity.h).
  Outcome Activity(const RequestContext& ctx, const std::string& account_id);
  // POST /security/accounts/{id}/contain {"action","reason"?}: step-up, throttle,
  // suspend-sessions, lock, require-reset, release, unlock.
  Outcome Contain(const RequestContext& ctx, const std::string& account_id);

  // GET /security/events?since=<id> → a text/event-stream of the alerts with an id
  // above `since` (or above the Last-Event-ID header, which wins: a reconnecting
  // EventSource sends it; without either, above the newest alert at the time), then of
  // each new one. 503 with Retry-After when max_alert_streams are open.
  Outcome Events(const RequestContext& ctx);

 private:
  Services& s_;
  AlertStreams streams_;
};

}  // namespace medvault::api
