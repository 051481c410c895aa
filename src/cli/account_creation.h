// Creating an account from the command line, checking that its organization and
// practitioner exist in the directory.
#pragma once

#include <string>

#include "cli/runtime.h"
#include "identity/accounts.h"

namespace medvault::cli {

// Stores the account and its audit entry in one commit. Returns the stored row; the
// password is the caller's to print once.
Result<store::AccountRow> CreateAccount(store::Store& store, const audit::AuditLog& audit,
                                        const Clock& clock, const identity::NewAccount& account);

}  // namespace medvault::cli
