#include "cli/account_creation.h"

#include <sodium.h>

#include "common/random.h"
#include "identity/accounts.h"
#include "identity/totp.h"

namespace medvault::cli {

Result<store::AccountRow> CreateAccount(store::Store& store, const audit::AuditLog& audit,
                                        const Clock& clock, const identity::NewAccount& account,
                                        bool must_change_password,
                                        const crypto::PasswordHashCost& password_cost) {
  TRY(identity::CheckReferences(store.reader(), account));
  ASSIGN_OR_RETURN(store::AccountRow row, identity::PrepareAccount(account, clock, password_cost));
  row.must_change_password = must_change_password;
  audit::AuditEvent event;
  event.time_ms = row.created_at_ms;
  event.request_id = NewUuid();
  event.username = "(command line)";
  event.interaction = "account-create";
  event.resource_type = "Account";
  event.resource_id = row.id;
  event.outcome = "success";
  event.detail = "role " + row.role;
  TRY(store.Write([&](store::Transaction& txn) -> Status {
    TRY(txn.InsertAccount(row));
    TRY(audit.Append(txn, event));
    return Ok();
  }));
  return row;
}

audit::AuditEvent CommandLineEvent(const Clock& clock, const store::AccountRow& account,
                                   std::string_view action) {
  audit::AuditEvent event;
  event.time_ms = ToUnixMillis(clock.Now());
  event.request_id = NewUuid();
  event.username = "(command line)";
  event.interaction = "account-" + std::string(action);
  event.resource_type = "Account";
  event.resource_id = account.id;
  event.outcome = "success";
  return event;
}

Result<TotpEnrolled> EnrollTotpNow(Runtime& rt, const store::AccountRow& account) {
  std::vector<uint8_t> secret = identity::NewTotpSecret();
  TotpEnrolled out;
  out.secret_base32 = identity::ToBase32(secret);
  out.otpauth_uri = identity::OtpauthUri(identity::kTotpIssuer, account.username, secret);
  crypto::Bytes sealed = rt.keyring->SealAccountSecret(account.id, "totp", secret);
  sodium_memzero(secret.data(), secret.size());
  identity::RecoveryCodes recovery = rt.mfa->NewRecoveryCodes(account.id);
  out.recovery_codes = std::move(recovery.codes);
  audit::AuditEvent event = CommandLineEvent(rt.clock, account, "enroll-totp");
  TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
    TRY(txn.EnrollTotp(account.id, sealed, 0, recovery.hashes));
    TRY(rt.audit->Append(txn, event));
    return Ok();
  }));
  return out;
}

Status AdministerAccount(Runtime& rt, const store::AccountRow& account, std::string_view action,
                         const store::WriteJob& change) {
  audit::AuditEvent event = CommandLineEvent(rt.clock, account, action);
  return rt.store->Write([&](store::Transaction& txn) -> Status {
    TRY(change(txn));
    TRY(rt.audit->Append(txn, event));
    return Ok();
  });
}

}  // namespace medvault::cli
