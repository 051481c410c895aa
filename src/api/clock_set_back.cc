#include "api/clock_set_back.h"

#include <spdlog/spdlog.h>

#include "common/random.h"

namespace medvault::api {

Status ClockSetBackGuard::Check() {
  uint64_t seen = clock_.followed_back();
  uint64_t handled = handled_.load(std::memory_order_acquire);
  if (seen <= handled) return Ok();
  uint64_t expected = submitted_.load();
  if (expected < seen && submitted_.compare_exchange_strong(expected, seen)) {
    int64_t now = ToUnixMillis(clock_.Now());
    audit::AuditEvent event;
    event.time_ms = now;
    event.request_id = NewUuid();
    event.interaction = "clock-set-back";
    event.outcome = "success";
    event.status = 200;
    event.detail =
        "the system clock went back further than medvault holds it: every session was ended";
    store_.Submit(
        [this, event = std::move(event), now](store::Transaction& txn) -> Status {
          TRY(txn.RevokeAllSessions(now));
          TRY(audit_.Append(txn, event));
          return Ok();
        },
        [this, seen, handled](Status done) {
          if (done) {
            spdlog::warn("the system clock went back by more than an hour: every session ended");
            uint64_t h = handled_.load();
            while (h < seen &&
                   !handled_.compare_exchange_weak(h, seen, std::memory_order_release)) {
            }
          } else {
            spdlog::error("could not end the sessions after the clock went back: {}",
                          done.error().message);
            submitted_.store(handled);  // the next request tries again
          }
        });
  }
  return Fail(ErrorCode::kUnavailable,
              "the server's clock was set back: sessions are being ended; log in again shortly");
}

}  // namespace medvault::api
