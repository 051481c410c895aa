// Failed logins slow down, then stop, the one who fails: exponential backoff per
// account name and per source address, and a lockout of the account name after a
// configurable number of failures, lifted by an administrator or when it times out.
// Names that match no account are throttled and locked exactly like real ones, so the
// answers never tell an attacker which names exist.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "store/records.h"

namespace medvault::identity {

struct ThrottlePolicy {
  int64_t lock_after = 10;  // failures of one account name before it is locked
  std::chrono::milliseconds lockout = std::chrono::minutes(30);
  // The first failures (typos) cost nothing; each one after doubles the wait, from 1 s.
  int64_t free_failures = 2;
  std::chrono::milliseconds max_delay = std::chrono::minutes(15);
};

// The throttling subjects of a login attempt.
std::string AccountSubject(std::string_view username);
std::string AddressSubject(std::string_view client_address);

// True when the subject was locked and the lock has run out: its failures are forgotten
// (the caller clears the row with its next write).
bool LockExpired(const store::LoginThrottleRow& row, int64_t now_ms);

// How long `row`'s subject must still wait before its next attempt is even looked at;
// zero when it may try now.
std::chrono::milliseconds RetryAfter(const store::LoginThrottleRow& row, int64_t now_ms,
                                     const ThrottlePolicy& policy);

}  // namespace medvault::identity
