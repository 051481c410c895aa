#include "identity/containment.h"

#include <algorithm>
#include <array>

namespace medvault::identity {
namespace {

constexpr std::array<std::string_view, 7> kActions = {
    "step-up", "throttle", "suspend-sessions", "lock", "require-reset", "release", "unlock"};

}  // namespace

std::span<const std::string_view> ContainmentActions() { return kActions; }

bool IsContainmentAction(std::string_view action) {
  return std::ranges::find(kActions, action) != kActions.end();
}

Result<store::WriteJob> ContainmentWrite(std::string_view action, const store::AccountRow& account,
                                         int64_t now_ms, ContainmentInputs inputs) {
  const std::string id = account.id;
  if (action == "step-up")
    return [id, now_ms](store::Transaction& txn) {
      return txn.SetContainment(id, {now_ms, std::nullopt});
    };
  if (action == "throttle")
    return [id, until = inputs.throttle_until_ms](store::Transaction& txn) {
      return txn.SetContainment(id, {std::nullopt, until});
    };
  if (action == "suspend-sessions")
    return
        [id, now_ms](store::Transaction& txn) { return txn.RevokeAccountSessions(id, now_ms, ""); };
  if (action == "lock")
    return [id, now_ms](store::Transaction& txn) -> Status {
      TRY(txn.SetAccountStatus(id, "locked"));
      return txn.RevokeAccountSessions(id, now_ms, "");
    };
  if (action == "unlock") {
    if (account.status != "locked") return Fail(ErrorCode::kConflict, "this account is not locked");
    return [id](store::Transaction& txn) { return txn.SetAccountStatus(id, "active"); };
  }
  if (action == "require-reset") {
    // Whoever holds the password and the second factor loses both: a password nobody
    // knows, MFA forgotten, sessions ended. An administrator then hands the real user a
    // one-time password (reset-password) and they enrol again.
    if (inputs.unknown_password_hash.empty())
      return Fail(ErrorCode::kInternal, "require-reset needs the hash of a new password");
    return [id, now_ms,
            hash = std::move(inputs.unknown_password_hash)](store::Transaction& txn) -> Status {
      TRY(txn.SetPassword(id, hash, true));
      TRY(txn.ResetMfa(id));
      return txn.RevokeAccountSessions(id, now_ms, "");
    };
  }
  if (action == "release")
    return [id](store::Transaction& txn) { return txn.SetContainment(id, {0, 0}); };
  return Fail(ErrorCode::kInvalid,
              "action must be one of step-up, throttle, suspend-sessions, lock, require-reset, "
              "release, unlock");
}

}  // namespace medvault::identity
