// /security: the security officer's console. Today the alerts that authorization
// raises (break-the-glass, restricted patients, care started elsewhere); the detection
// issue adds its own alerts, containment and breach reports here.
#pragma once

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class SecurityApi {
 public:
  explicit SecurityApi(Services& services) : s_(services) {}

  // GET /security/alerts?account=&severity=&state=&_count= → newest first.
  Outcome Alerts(const RequestContext& ctx);

 private:
  Services& s_;
};

}  // namespace medvault::api
