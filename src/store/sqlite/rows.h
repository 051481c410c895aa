// Reading store records out of SQLite statement columns.
#pragma once

#include "store/records.h"
#include "store/sqlite/connection.h"

namespace medvault::store::sqlite {

// Columns: type, id, version, compartment, last_updated, deleted, body.
inline constexpr const char* kResourceColumns =
    "type, id, version, compartment, last_updated, deleted, body";
ResourceRow ReadResourceRow(const Statement& s);

// Columns: id, kek_version, wrapped_dek, organization_id, confidentiality, created_at.
// `first` is the index of the first column (for rows read from a join).
CompartmentRow ReadCompartmentRow(const Statement& s, int first = 0);

// Columns: id, username, role, organization_id, practitioner_id, password_hash, status,
// created_at.
AccountRow ReadAccountRow(const Statement& s, int first = 0);

// Columns: id, token_hash, account_id, created_at, last_seen_at, expires_at, revoked_at,
// client_address, user_agent.
SessionRow ReadSessionRow(const Statement& s);

}  // namespace medvault::store::sqlite
