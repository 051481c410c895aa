#include "identity/accounts.h"

#include "common/random.h"
#include "crypto/password_hash.h"
#include "identity/password_policy.h"

namespace medvault::identity {

Status CheckUsername(std::string_view username) {
  bool ok = username.size() >= 3 && username.size() <= 64;
  for (char c : username)
    ok = ok &&
         ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-');
  if (!ok)
    return Fail(ErrorCode::kInvalid,
                "a username has 3 to 64 characters among a-z, 0-9, '.', '_' and '-'");
  return Ok();
}

namespace {

Status CheckExists(store::Reader& reader, std::string_view type, const std::string& id) {
  if (id.empty()) return Ok();
  ASSIGN_OR_RETURN(auto row, reader.Current(type, id));
  if (!row || row->deleted)
    return Fail(ErrorCode::kInvalid, "there is no " + std::string(type) + " with that id");
  return Ok();
}

}  // namespace

Status CheckReferences(store::Reader& reader, const NewAccount& account) {
  TRY(CheckExists(reader, "Organization", account.organization_id));
  TRY(CheckExists(reader, "Practitioner", account.practitioner_id));
  if (account.practitioner_id.empty()) return Ok();
  ASSIGN_OR_RETURN(auto accounts, reader.Accounts());
  for (const store::AccountRow& other : accounts)
    if (other.practitioner_id == account.practitioner_id)
      return Fail(ErrorCode::kConflict, "another account already holds that Practitioner");
  return Ok();
}

Result<store::AccountRow> PrepareAccount(const NewAccount& account, const Clock& clock,
                                         const crypto::PasswordHashCost& cost) {
  TRY(CheckUsername(account.username));
  const std::string_view context_words[] = {account.username};
  TRY(CheckPasswordPolicy(account.password, context_words));
  bool needs_organization = account.role == Role::kPhysician || account.role == Role::kNurse ||
                            account.role == Role::kSecretary;
  if (needs_organization && account.organization_id.empty())
    return Fail(ErrorCode::kInvalid, std::string("a ") + std::string(NameOf(account.role)) +
                                         " account needs an organization");
  // Care relationships name Practitioner resources: a clinician without one could never
  // be in anyone's care team.
  bool clinician = account.role == Role::kPhysician || account.role == Role::kNurse;
  if (clinician && account.practitioner_id.empty())
    return Fail(ErrorCode::kInvalid, std::string("a ") + std::string(NameOf(account.role)) +
                                         " account needs its Practitioner resource "
                                         "(practitioner)");
  ASSIGN_OR_RETURN(std::string hash, crypto::HashPassword(account.password, cost));
  store::AccountRow row;
  row.id = NewUuid();
  row.username = account.username;
  row.role = std::string(NameOf(account.role));
  row.organization_id = account.organization_id;
  row.practitioner_id = account.practitioner_id;
  row.password_hash = std::move(hash);
  row.status = "active";
  row.created_at_ms = ToUnixMillis(clock.Now());
  return row;
}

}  // namespace medvault::identity
