// The administrative actions on an account, shared by the admin API and `medvault user`:
// what each one writes, so that both mean the same thing (suspension, MFA and password
// resets also end the account's sessions).
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "store/records.h"
#include "store/store.h"

namespace medvault::identity {

// The actions, as they appear in URLs and subcommands.
bool IsAccountAction(std::string_view action);

// The writes of `action` on `account` at `now_ms`. "reset-password" needs the new
// password's hash (computed by the caller, off the I/O threads); the others ignore it.
// kInvalid for an unknown action.
Result<store::WriteJob> AccountActionWrite(std::string_view action,
                                           const store::AccountRow& account, int64_t now_ms,
                                           std::string password_hash = {});

}  // namespace medvault::identity
