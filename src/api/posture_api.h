// GET /security/selfcheck: the security posture (api/posture.h) for the security officer,
// as JSON. The audit log is checked from its last signed head (the full recomputation is
// `medvault selfcheck`'s).
#pragma once

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

class PostureApi {
 public:
  explicit PostureApi(Services& services) : s_(services) {}

  Outcome SelfCheck(const RequestContext& ctx);

 private:
  Services& s_;
};

}  // namespace medvault::api
