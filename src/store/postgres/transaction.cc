#include "store/postgres/transaction.h"

#include <atomic>

#include "store/audit_index_buckets.h"
#include "store/postgres/rows.h"
#include "store/row_reading.h"

namespace medvault::store::postgres {

Result<std::optional<ResourceHead>> PgTransaction::Head(std::string_view type,
                                                        std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("SELECT version, compartment, deleted "
                                         "FROM current_resources WHERE type = $1 AND id = $2"));
  s->Bind(1, type).Bind(2, id);
  return OptionalRow<ResourceHead>(*s, [](const Statement& st) {
    return ResourceHead{st.Int(0), std::string(st.Text(1)), st.Int(2) != 0};
  });
}

Status PgTransaction::PutResourceVersion(const ResourceRow& row) {
  ASSIGN_OR_RETURN(
      auto insert,
      conn_.Prepare("INSERT INTO resource_versions (type, id, version, compartment, "
                    "last_updated, deleted, body) VALUES ($1, $2, $3, $4, $5, $6, $7)"));
  insert->Bind(1, row.type)
      .Bind(2, row.id)
      .Bind(3, row.version)
      .Bind(4, row.compartment)
      .Bind(5, row.last_updated_ms)
      .Bind(6, int64_t{row.deleted ? 1 : 0})
      .Bind(7, std::span<const uint8_t>(row.body));
  TRY(insert->Run());
  ASSIGN_OR_RETURN(
      auto current,
      conn_.Prepare("INSERT INTO current_resources (type, id, version, compartment, "
                    "deleted) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (type, id) DO "
                    "UPDATE SET version = excluded.version, deleted = excluded.deleted"));
  current->Bind(1, row.type)
      .Bind(2, row.id)
      .Bind(3, row.version)
      .Bind(4, row.compartment)
      .Bind(5, int64_t{row.deleted ? 1 : 0});
  // Deferred (pipeline.cc): an upsert, which only the connection can make fail.
  return current->Defer();
}

Status PgTransaction::ReplaceIndex(std::string_view type, std::string_view id,
                                   std::span<const int64_t> hashes) {
  ASSIGN_OR_RETURN(auto erase,
                   conn_.Prepare("DELETE FROM search_index WHERE type = $1 AND id = $2"));
  // All deferred (pipeline.cc), in order: the rows of a resource's search index go to
  // the server with the job's release, one round trip for all of them.
  erase->Bind(1, type).Bind(2, id);
  TRY(erase->Defer());
  ASSIGN_OR_RETURN(auto insert, conn_.Prepare("INSERT INTO search_index (hash, type, id) "
                                              "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"));
  for (int64_t hash : hashes) {
    insert->Bind(1, hash).Bind(2, type).Bind(3, id);
    TRY(insert->Defer());
  }
  return Ok();
}

Result<std::optional<CompartmentRow>> PgTransaction::Compartment(std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("SELECT id, kek_version, wrapped_dek, organization_id, "
                                         "confidentiality, created_at FROM compartments "
                                         "WHERE id = $1"));
  s->Bind(1, id);
  return OptionalRow<CompartmentRow>(*s,
                                     [](const Statement& st) { return ReadCompartmentRow(st); });
}

Status PgTransaction::InsertCompartment(const CompartmentRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO compartments (id, kek_version, wrapped_dek, "
                                         "organization_id, confidentiality, created_at) "
                                         "VALUES ($1, $2, $3, $4, $5, $6)"));
  s->Bind(1, row.id)
      .Bind(2, int64_t{row.kek_version})
      .Bind(3, std::span<const uint8_t>(row.wrapped_dek))
      .Bind(4, row.organization_id)
      .Bind(5, row.confidentiality)
      .Bind(6, row.created_at_ms);
  return s->Run();
}

Status PgTransaction::UpdateCompartmentAttributes(std::string_view id,
                                                  std::string_view organization_id,
                                                  std::string_view confidentiality) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE compartments SET organization_id = $2, "
                                         "confidentiality = $3 WHERE id = $1"));
  s->Bind(1, id).Bind(2, organization_id).Bind(3, confidentiality);
  return s->Run();
}

Status PgTransaction::InsertAccount(const AccountRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO accounts (id, username, role, "
                                         "organization_id, practitioner_id, password_hash, status, "
                                         "created_at, totp_secret, totp_last_step, "
                                         "must_change_password) VALUES ($1, $2, $3, $4, $5, $6, "
                                         "$7, $8, $9, $10, $11)"));
  s->Bind(1, row.id)
      .Bind(9, std::span<const uint8_t>(row.totp_secret))
      .Bind(10, row.totp_last_step)
      .Bind(11, int64_t{row.must_change_password ? 1 : 0})
      .Bind(2, row.username)
      .Bind(3, row.role)
      .Bind(4, row.organization_id)
      .Bind(5, row.practitioner_id)
      .Bind(6, row.password_hash)
      .Bind(7, row.status)
      .Bind(8, row.created_at_ms);
  auto status = s->Run();
  if (!status && status.error().code == ErrorCode::kConflict)
    return Fail(ErrorCode::kConflict, "an account with this username already exists");
  return status;
}

Status PgTransaction::InsertSession(const SessionRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO sessions (id, token_hash, account_id, "
                                         "created_at, last_seen_at, expires_at, revoked_at, "
                                         "client_address, user_agent, stepped_up_at) "
                                         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"));
  s->Bind(1, row.id)
      .Bind(10, row.stepped_up_at_ms)
      .Bind(2, std::span<const uint8_t>(row.token_hash))
      .Bind(3, row.account_id)
      .Bind(4, row.created_at_ms)
      .Bind(5, row.last_seen_ms)
      .Bind(6, row.expires_at_ms)
      .Bind(7, row.revoked_at_ms)
      .Bind(8, row.client_address)
      .Bind(9, row.user_agent);
  return s->Run();
}

Status PgTransaction::TouchSession(std::string_view session_id, int64_t last_seen_ms) {
  ASSIGN_OR_RETURN(auto s,
                   conn_.Prepare("UPDATE sessions SET last_seen_at = GREATEST(last_seen_at, $2) "
                                 "WHERE id = $1"));
  s->Bind(1, session_id).Bind(2, last_seen_ms);
  return s->Run();
}

Status PgTransaction::RevokeSession(std::string_view session_id, int64_t revoked_at_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE sessions SET revoked_at = $2 "
                                         "WHERE id = $1 AND revoked_at = 0"));
  s->Bind(1, session_id).Bind(2, revoked_at_ms);
  return s->Run();
}

Status PgTransaction::RevokeAccountSessions(std::string_view account_id, int64_t revoked_at_ms,
                                            std::string_view except_session_id) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE sessions SET revoked_at = $2 WHERE account_id = "
                                         "$1 AND revoked_at = 0 AND id != $3"));
  s->Bind(1, account_id).Bind(2, revoked_at_ms).Bind(3, except_session_id);
  return s->Run();
}

Status PgTransaction::RevokeAllSessions(int64_t revoked_at_ms) {
  ASSIGN_OR_RETURN(auto s,
                   conn_.Prepare("UPDATE sessions SET revoked_at = $1 WHERE revoked_at = 0"));
  s->Bind(1, revoked_at_ms);
  return s->Run();
}

Status PgTransaction::MarkSteppedUp(std::string_view session_id, int64_t at_ms) {
  ASSIGN_OR_RETURN(auto s,
                   conn_.Prepare("UPDATE sessions SET stepped_up_at = GREATEST(stepped_up_at, "
                                 "$2) WHERE id = $1"));
  s->Bind(1, session_id).Bind(2, at_ms);
  return s->Run();
}

Status PgTransaction::SetAccountStatus(std::string_view account_id, std::string_view status) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE accounts SET status = $2 WHERE id = $1"));
  s->Bind(1, account_id).Bind(2, status);
  return s->Run();
}

Status PgTransaction::SetPassword(std::string_view account_id, std::string_view password_hash,
                                  bool must_change) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE accounts SET password_hash = $2, "
                                         "must_change_password = $3 WHERE id = $1"));
  s->Bind(1, account_id).Bind(2, password_hash).Bind(3, int64_t{must_change ? 1 : 0});
  return s->Run();
}

Result<bool> PgTransaction::AcceptTotpStep(std::string_view account_id, int64_t step) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE accounts SET totp_last_step = $2 "
                                         "WHERE id = $1 AND totp_last_step < $2"));
  s->Bind(1, account_id).Bind(2, step);
  TRY(s->Run());
  return s->changes() == 1;
}

Status PgTransaction::EnrollTotp(std::string_view account_id,
                                 std::span<const uint8_t> sealed_secret, int64_t step,
                                 std::span<const TokenHash> recovery_code_hashes) {
  {
    ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE accounts SET totp_secret = $2, "
                                           "totp_last_step = $3 WHERE id = $1"));
    s->Bind(1, account_id).Bind(2, sealed_secret).Bind(3, step);
    TRY(s->Run());
  }
  {
    ASSIGN_OR_RETURN(auto s, conn_.Prepare("DELETE FROM recovery_codes WHERE account_id = $1"));
    s->Bind(1, account_id);
    TRY(s->Run());
  }
  for (const TokenHash& hash : recovery_code_hashes) {
    ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO recovery_codes (account_id, code_hash) "
                                           "VALUES ($1, $2)"));
    s->Bind(1, account_id).Bind(2, std::span<const uint8_t>(hash));
    TRY(s->Run());
  }
  return Ok();
}

Status PgTransaction::ResetMfa(std::string_view account_id) {
  {
    ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE accounts SET totp_secret = ''::bytea, "
                                           "totp_last_step = 0 WHERE id = $1"));
    s->Bind(1, account_id);
    TRY(s->Run());
  }
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("DELETE FROM recovery_codes WHERE account_id = $1"));
  s->Bind(1, account_id);
  return s->Run();
}

Result<bool> PgTransaction::UseRecoveryCode(std::string_view account_id, const TokenHash& code_hash,
                                            int64_t at_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE recovery_codes SET used_at = $3 WHERE "
                                         "account_id = $1 AND code_hash = $2 AND used_at = 0"));
  s->Bind(1, account_id).Bind(2, std::span<const uint8_t>(code_hash)).Bind(3, at_ms);
  TRY(s->Run());
  return s->changes() == 1;
}

Status PgTransaction::InsertChallenge(const LoginChallengeRow& row) {
  {
    // Expired challenges are of no use to anyone: each new one sweeps them.
    ASSIGN_OR_RETURN(auto s, conn_.Prepare("DELETE FROM login_challenges WHERE expires_at <= $1"));
    s->Bind(1, row.created_at_ms);
    TRY(s->Run());
  }
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO login_challenges (" MEDVAULT_CHALLENGE_COLUMNS
                                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"));
  s->Bind(1, std::span<const uint8_t>(row.challenge_hash))
      .Bind(2, row.account_id)
      .Bind(3, row.created_at_ms)
      .Bind(4, row.expires_at_ms)
      .Bind(5, std::span<const uint8_t>(row.pending_secret))
      .Bind(6, row.attempts)
      .Bind(7, row.used_at_ms)
      .Bind(8, row.client_address)
      .Bind(9, row.user_agent);
  return s->Run();
}

Result<bool> PgTransaction::ConsumeChallenge(const TokenHash& challenge_hash, int64_t at_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE login_challenges SET used_at = $2 "
                                         "WHERE challenge_hash = $1 AND used_at = 0"));
  s->Bind(1, std::span<const uint8_t>(challenge_hash)).Bind(2, at_ms);
  TRY(s->Run());
  return s->changes() == 1;
}

Status PgTransaction::CountChallengeAttempt(const TokenHash& challenge_hash) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE login_challenges SET attempts = attempts + 1 "
                                         "WHERE challenge_hash = $1"));
  s->Bind(1, std::span<const uint8_t>(challenge_hash));
  return s->Run();
}

Status PgTransaction::RecordLoginFailure(std::string_view subject, int64_t at_ms,
                                         int64_t lock_after, int64_t lock_until_ms) {
  ASSIGN_OR_RETURN(
      auto s,
      conn_.Prepare("INSERT INTO login_throttle (subject, failures, last_failure_at, "
                    "locked_until) VALUES ($1, 1, $2, CASE WHEN $3 = 1 THEN $4 ELSE 0 END) "
                    "ON CONFLICT (subject) DO UPDATE SET failures = login_throttle.failures + 1, "
                    "last_failure_at = $2, locked_until = CASE WHEN $3 > 0 AND "
                    "login_throttle.failures + 1 >= $3 THEN $4 ELSE "
                    "login_throttle.locked_until END"));
  s->Bind(1, subject).Bind(2, at_ms).Bind(3, lock_after).Bind(4, lock_until_ms);
  return s->Run();
}

Status PgTransaction::ClearLoginFailures(std::string_view subject) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("DELETE FROM login_throttle WHERE subject = $1"));
  s->Bind(1, subject);
  return s->Run();
}

Status PgTransaction::TouchWriteProbe(int64_t at_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE write_probe SET at_ms = $1 WHERE id = 1"));
  s->Bind(1, at_ms);
  return s->Run();
}

uint64_t PgTransaction::NextEpoch() {
  static std::atomic<uint64_t> last{0};
  return last.fetch_add(1, std::memory_order_relaxed) + 1;
}

Status PgTransaction::RunIsolated(const std::function<Status(Transaction&)>& job) {
  // What the caller deferred is sent before the savepoint, so that a rollback to it
  // undoes only the isolated part.
  TRY(conn_.Flush());
  TRY(conn_.Run("SAVEPOINT isolated"));
  Status outcome = job(*this);
  if (outcome) outcome = conn_.Flush();
  if (!outcome) {
    conn_.DropDeferred();  // the isolated part's, which the rollback undoes anyway
    (void)conn_.Run("ROLLBACK TO isolated");
    WritesUndone();
  }
  TRY(conn_.Run("RELEASE isolated"));
  return outcome;
}

Result<int64_t> PgTransaction::AppendAudit(int64_t recorded_at_ms, std::span<const uint8_t> body) {
  // The number comes from the database, max + 1 in this transaction, not from a counter
  // in the process: entries are never deleted, and a rolled-back job gives its number
  // back (a sequence would leave a gap, and the log must have none). Several nodes
  // cannot take the same number: every group holds the writers' advisory lock
  // (group_commit.cc).
  audit_appended_ = true;
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO audit_log (seq, recorded_at, body) "
                                         "SELECT coalesce(max(seq), 0) + 1, $1, $2 FROM audit_log "
                                         "RETURNING seq"));
  s->Bind(1, recorded_at_ms).Bind(2, body);
  return SingleInt(*s);
}

Result<int64_t> PgTransaction::AuditSize() {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("SELECT coalesce(max(seq), 0) FROM audit_log"));
  return SingleInt(*s);
}

Status PgTransaction::PutAuditSubtrees(std::span<const AuditSubtreeRow> subtrees) {
  // An upsert: after a rolled-back group the same node may be computed again.
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO audit_subtrees (pos, hash) "
                                         "VALUES ($1, $2) ON CONFLICT (pos) "
                                         "DO UPDATE SET hash = excluded.hash"));
  // Deferred: a conflict is resolved in the statement, so only the connection can make
  // it fail, and the group's job reports that when the rows are sent with its release.
  for (const AuditSubtreeRow& row : subtrees) {
    s->Bind(1, AuditSubtreePosition(row.level, row.index))
        .Bind(2, std::span<const uint8_t>(row.hash));
    TRY(s->Defer());
  }
  return Ok();
}

Status PgTransaction::PutAuditIndex(int64_t seq, std::span<const int64_t> terms) {
  for (int64_t term : terms) {
    ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO audit_index (bucket, term, seq) "
                                           "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"));
    s->Bind(1, AuditBucket(seq)).Bind(2, term).Bind(3, seq);
    TRY(s->Defer());  // as the subtree rows
  }
  return Ok();
}

Result<std::optional<AuditSubtreeRow>> PgTransaction::AuditSubtree(uint32_t level, uint64_t index) {
  return QueryAuditSubtree(conn_, level, index);
}

Result<std::optional<TreeHeadRow>> PgTransaction::LatestTreeHead() {
  return QueryLatestTreeHead(conn_);
}

Status PgTransaction::InsertTreeHead(const TreeHeadRow& head) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO audit_tree_heads (size, root, timestamp, "
                                         "signature) VALUES ($1, $2, $3, $4)"));
  s->Bind(1, head.size)
      .Bind(2, std::span<const uint8_t>(head.root))
      .Bind(3, head.timestamp_ms)
      .Bind(4, std::span<const uint8_t>(head.signature));
  return s->Run();
}

}  // namespace medvault::store::postgres
