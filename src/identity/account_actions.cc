#include "identity/account_actions.h"

#include "identity/login_throttle.h"

namespace medvault::identity {

bool IsAccountAction(std::string_view action) {
  return action == "suspend" || action == "reactivate" || action == "unlock" ||
         action == "reset-mfa" || action == "reset-password";
}

Result<store::WriteJob> AccountActionWrite(std::string_view action,
                                           const store::AccountRow& account, int64_t now_ms,
                                           std::string password_hash) {
  std::string id = account.id;
  // A lock is the security officer's containment: an administrator (or the command line)
  // cannot turn it into a suspension and reactivate it.
  if (account.status == "locked" && (action == "suspend" || action == "reactivate"))
    return Fail(ErrorCode::kForbidden,
                "the security officer locked this account; only the security officer unlocks it");
  if (action == "suspend")
    return [id, now_ms](store::Transaction& txn) -> Status {
      TRY(txn.SetAccountStatus(id, "suspended"));
      return txn.RevokeAccountSessions(id, now_ms, "");
    };
  if (action == "reactivate")
    return [id](store::Transaction& txn) { return txn.SetAccountStatus(id, "active"); };
  if (action == "unlock")
    return [subject = AccountSubject(account.username)](store::Transaction& txn) {
      return txn.ClearLoginFailures(subject);
    };
  if (action == "reset-mfa")
    return [id, now_ms](store::Transaction& txn) -> Status {
      TRY(txn.ResetMfa(id));
      return txn.RevokeAccountSessions(id, now_ms, "");
    };
  if (action == "reset-password")
    return [id, now_ms, hash = std::move(password_hash)](store::Transaction& txn) -> Status {
      TRY(txn.SetPassword(id, hash, true));
      return txn.RevokeAccountSessions(id, now_ms, "");
    };
  return Fail(ErrorCode::kInvalid, "unknown account action");
}

}  // namespace medvault::identity
