// Creating accounts. An account is a person with one role; clinicians and
// secretaries belong to an organization (their practice).
#pragma once

#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "crypto/password_hash.h"
#include "identity/role.h"
#include "store/records.h"
#include "store/store.h"

namespace medvault::identity {

struct NewAccount {
  std::string username;
  Role role = Role::kPhysician;
  std::string organization_id;  // Organization resource id, "" for none
  std::string practitioner_id;  // Practitioner resource id, "" for none
  std::string password;
};

// Checks the username (3–64 of a-z 0-9 . _ -) and password policy, hashes the password
// with Argon2id at `cost` (slow by default: call it off the I/O threads) and returns the
// row to insert. Only the breach drill's throwaway accounts pass a cheaper cost.
Result<store::AccountRow> PrepareAccount(const NewAccount& account, const Clock& clock,
                                         const crypto::PasswordHashCost& cost = {});

Status CheckUsername(std::string_view username);

// Checks what a new account refers to: its Organization and Practitioner exist, and no
// other account holds that Practitioner (a care relationship names a Practitioner, so a
// second account on it would reach the first one's patients: an administrator could
// otherwise mint themselves a clinician's access).
Status CheckReferences(store::Reader& reader, const NewAccount& account);

}  // namespace medvault::identity
