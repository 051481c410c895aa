#include "identity/login_throttle.h"

#include <algorithm>

namespace medvault::identity {

std::string AccountSubject(std::string_view username) {
  return "account:" + std::string(username.substr(0, 64));
}

std::string AddressSubject(std::string_view client_address) {
  return "address:" + std::string(client_address.substr(0, 64));
}

bool LockExpired(const store::LoginThrottleRow& row, int64_t now_ms) {
  return row.locked_until_ms != 0 && row.locked_until_ms <= now_ms;
}

std::chrono::milliseconds RetryAfter(const store::LoginThrottleRow& row, int64_t now_ms,
                                     const ThrottlePolicy& policy) {
  using std::chrono::milliseconds;
  if (LockExpired(row, now_ms)) return milliseconds(0);  // the timed unlock: a fresh start
  int64_t wait = 0;
  if (row.locked_until_ms > now_ms) wait = row.locked_until_ms - now_ms;
  int64_t beyond = row.failures - policy.free_failures;
  if (beyond > 0) {
    // 1 s, 2 s, 4 s, … capped; the shift is bounded so it cannot overflow.
    int64_t delay = std::min<int64_t>(int64_t{1000} << std::min<int64_t>(beyond - 1, 30),
                                      policy.max_delay.count());
    wait = std::max(wait, row.last_failure_ms + delay - now_ms);
  }
  return milliseconds(std::max<int64_t>(wait, 0));
}

}  // namespace medvault::identity
