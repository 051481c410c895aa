// /access: reaching a patient outside one's care. Break-the-glass gives a physician or
// nurse a time-limited grant with a stated reason (fresh step-up, a daily limit, always
// audited, always an alert); starting a care relationship puts a physician in a
// patient's care team for good (a new patient at the practice), audited with its reason.
#pragma once

#include <string>

#include "api/request_context.h"
#include "api/services.h"

namespace medvault::api {

// How many break-the-glass grants the principal may still take in the current 24 hours
// (0 for roles that cannot break the glass).
Result<int64_t> BreakGlassLeft(Services& services, const identity::Principal& principal);

class AccessApi {
 public:
  explicit AccessApi(Services& services) : s_(services) {}

  // POST /access/break-glass {"patient","reason":{"code","text"}} → 201 the grant.
  Outcome BreakGlass(const RequestContext& ctx);
  // GET /access/grants → the caller's unexpired grants and how many remain today.
  Outcome Grants(const RequestContext& ctx);
  // POST /access/care-relationships {"patient","reason"} → 201 {"careteam","patient"}.
  Outcome StartCare(const RequestContext& ctx);

 private:
  Services& s_;
};

}  // namespace medvault::api
