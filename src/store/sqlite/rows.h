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

// Column lists as macros, so that queries stay string literals (the statement cache is
// keyed by the literal's address).
#define MEDVAULT_ACCOUNT_COLUMNS(p)                                                          \
  p "id, " p "username, " p "role, " p "organization_id, " p "practitioner_id, " p           \
    "password_hash, " p "status, " p "created_at, " p "totp_secret, " p "totp_last_step, " p \
    "must_change_password, " p "step_up_after, " p "throttle_until"
inline constexpr int kAccountColumnCount = 13;
AccountRow ReadAccountRow(const Statement& s, int first = 0);

#define MEDVAULT_SESSION_COLUMNS(p)                                                \
  p "id, " p "token_hash, " p "account_id, " p "created_at, " p "last_seen_at, " p \
    "expires_at, " p "revoked_at, " p "client_address, " p "user_agent, " p "stepped_up_at"
inline constexpr int kSessionColumnCount = 10;
SessionRow ReadSessionRow(const Statement& s, int first = 0);

#define MEDVAULT_CHALLENGE_COLUMNS                                                          \
  "challenge_hash, account_id, created_at, expires_at, pending_secret, attempts, used_at, " \
  "client_address, user_agent"
LoginChallengeRow ReadChallengeRow(const Statement& s);

// Columns: level, idx, hash.
AuditSubtreeRow ReadAuditSubtreeRow(const Statement& s);
// Columns: size, root, timestamp, signature.
TreeHeadRow ReadTreeHeadRow(const Statement& s);

// The audit-tree queries, shared by the reader and the writer's transaction.
Result<std::optional<AuditSubtreeRow>> QueryAuditSubtree(Connection& conn, uint32_t level,
                                                         uint64_t index);
Result<std::optional<TreeHeadRow>> QueryLatestTreeHead(Connection& conn);

}  // namespace medvault::store::sqlite
