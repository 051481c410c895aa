// The security officer's containment of an account, shared by
// POST /security/accounts/{id}/contain and `medvault contain`: what each action writes,
// so that both mean the same thing. Every contained account is refused from its very
// next request: containment rides on the account and session rows that each request
// reads.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace medvault::identity {

// step-up, throttle, suspend-sessions, lock, require-reset, release, unlock.
std::span<const std::string_view> ContainmentActions();
bool IsContainmentAction(std::string_view action);

// What an action needs beyond the account and the time.
struct ContainmentInputs {
  int64_t throttle_until_ms = 0;  // throttle: until when
  // require-reset: the Argon2id hash of a random password nobody is told (hashed by the
  // caller, off the I/O threads).
  std::string unknown_password_hash;
};

// The writes of `action` on `account` at `now_ms`. kInvalid for an unknown action;
// kConflict for unlocking an account that is not locked.
Result<store::WriteJob> ContainmentWrite(std::string_view action, const store::AccountRow& account,
                                         int64_t now_ms, ContainmentInputs inputs = {});

}  // namespace medvault::identity
