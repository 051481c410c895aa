#include "cli/account_creation.h"

#include "common/random.h"

namespace medvault::cli {
namespace {

Status CheckExists(store::Store& store, std::string_view type, const std::string& id) {
  if (id.empty()) return Ok();
  ASSIGN_OR_RETURN(auto row, store.reader().Current(type, id));
  if (!row || row->deleted)
    return Fail(ErrorCode::kInvalid, "there is no " + std::string(type) + " with id " + id);
  return Ok();
}

}  // namespace

Result<store::AccountRow> CreateAccount(store::Store& store, const audit::AuditLog& audit,
                                        const Clock& clock, const identity::NewAccount& account) {
  TRY(CheckExists(store, "Organization", account.organization_id));
  TRY(CheckExists(store, "Practitioner", account.practitioner_id));
  ASSIGN_OR_RETURN(store::AccountRow row, identity::PrepareAccount(account, clock));
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

}  // namespace medvault::cli
