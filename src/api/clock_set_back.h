// What the server does when its clock goes back further than it will stand still for
// (common/clock.h, NonDecreasingClock: an hour). Session times from before the jump can
// then no longer be told apart from times after it, and a session that had expired
// could come back to life: so every session ends, in one audited write, before any
// request authenticates again. Users log in again.
#pragma once

#include <atomic>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "store/store.h"

namespace medvault::api {

class ClockSetBackGuard {
 public:
  ClockSetBackGuard(store::Store& store, const audit::AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Ok unless the clock went back and the sessions are not ended yet; then kUnavailable
  // (retry) while the first caller's write ends them. Never blocks: one atomic load when
  // nothing happened.
  Status Check();

 private:
  store::Store& store_;
  const audit::AuditLog& audit_;
  const Clock& clock_;
  std::atomic<uint64_t> handled_{0};    // clock_.followed_back() whose sessions have ended
  std::atomic<uint64_t> submitted_{0};  // … whose write is on its way
};

}  // namespace medvault::api
