// Creating an account from the command line, checking that its organization and
// practitioner exist in the directory.
#pragma once

#include <string>
#include <vector>

#include "cli/runtime.h"
#include "identity/accounts.h"

namespace medvault::cli {

// Stores the account and its audit entry in one commit. Returns the stored row; the
// password is the caller's to print once. `password_cost` is Argon2id's (the default but
// for the breach drill's throwaway accounts).
Result<store::AccountRow> CreateAccount(store::Store& store, const audit::AuditLog& audit,
                                        const Clock& clock, const identity::NewAccount& account,
                                        bool must_change_password = false,
                                        const crypto::PasswordHashCost& password_cost = {});

// TOTP enrolled from the command line (init, demo, `user add --enroll-totp`): what the
// person must receive, once.
struct TotpEnrolled {
  std::string secret_base32;
  std::string otpauth_uri;
  std::vector<std::string> recovery_codes;
};
Result<TotpEnrolled> EnrollTotpNow(Runtime& rt, const store::AccountRow& account);

// The audit entry of a change to `account` made from the command line: interaction
// "account-<action>", by "(command line)", now.
audit::AuditEvent CommandLineEvent(const Clock& clock, const store::AccountRow& account,
                                   std::string_view action);

// Writes an administrative change of an account made from the command line together
// with its audit entry (interaction "account-<action>").
Status AdministerAccount(Runtime& rt, const store::AccountRow& account, std::string_view action,
                         const store::WriteJob& change);

}  // namespace medvault::cli
