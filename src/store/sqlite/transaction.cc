#include "store/sqlite/transaction.h"

#include "store/sqlite/rows.h"

namespace medvault::store::sqlite {

Result<std::optional<ResourceHead>> SqliteTransaction::Head(std::string_view type,
                                                            std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("SELECT version, compartment, deleted "
                                         "FROM current_resources WHERE type = ?1 AND id = ?2"));
  s->Bind(1, type).Bind(2, id);
  std::optional<ResourceHead> head;
  if (s->Step()) head = ResourceHead{s->Int(0), std::string(s->Text(1)), s->Int(2) != 0};
  TRY(s->status());
  return head;
}

Status SqliteTransaction::PutResourceVersion(const ResourceRow& row) {
  ASSIGN_OR_RETURN(
      auto insert,
      conn_.Prepare("INSERT INTO resource_versions (type, id, version, compartment, "
                    "last_updated, deleted, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
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
                    "deleted) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (type, id) DO "
                    "UPDATE SET version = excluded.version, deleted = excluded.deleted"));
  current->Bind(1, row.type)
      .Bind(2, row.id)
      .Bind(3, row.version)
      .Bind(4, row.compartment)
      .Bind(5, int64_t{row.deleted ? 1 : 0});
  return current->Run();
}

Status SqliteTransaction::ReplaceIndex(std::string_view type, std::string_view id,
                                       std::span<const int64_t> hashes) {
  ASSIGN_OR_RETURN(auto erase,
                   conn_.Prepare("DELETE FROM search_index WHERE type = ?1 AND id = ?2"));
  erase->Bind(1, type).Bind(2, id);
  TRY(erase->Run());
  ASSIGN_OR_RETURN(auto insert, conn_.Prepare("INSERT OR IGNORE INTO search_index (hash, type, id) "
                                              "VALUES (?1, ?2, ?3)"));
  for (int64_t hash : hashes) {
    insert->Bind(1, hash).Bind(2, type).Bind(3, id);
    TRY(insert->Run());
  }
  return Ok();
}

Result<std::optional<CompartmentRow>> SqliteTransaction::Compartment(std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("SELECT id, kek_version, wrapped_dek, organization_id, "
                                         "confidentiality, created_at FROM compartments "
                                         "WHERE id = ?1"));
  s->Bind(1, id);
  std::optional<CompartmentRow> row;
  if (s->Step()) row = ReadCompartmentRow(*s, 0);
  TRY(s->status());
  return row;
}

Status SqliteTransaction::InsertCompartment(const CompartmentRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO compartments (id, kek_version, wrapped_dek, "
                                         "organization_id, confidentiality, created_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  s->Bind(1, row.id)
      .Bind(2, int64_t{row.kek_version})
      .Bind(3, std::span<const uint8_t>(row.wrapped_dek))
      .Bind(4, row.organization_id)
      .Bind(5, row.confidentiality)
      .Bind(6, row.created_at_ms);
  return s->Run();
}

Status SqliteTransaction::UpdateCompartmentAttributes(std::string_view id,
                                                      std::string_view organization_id,
                                                      std::string_view confidentiality) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE compartments SET organization_id = ?2, "
                                         "confidentiality = ?3 WHERE id = ?1"));
  s->Bind(1, id).Bind(2, organization_id).Bind(3, confidentiality);
  return s->Run();
}

Status SqliteTransaction::InsertAccount(const AccountRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO accounts (id, username, role, "
                                         "organization_id, practitioner_id, password_hash, status, "
                                         "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  s->Bind(1, row.id)
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

Status SqliteTransaction::InsertSession(const SessionRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO sessions (id, token_hash, account_id, "
                                         "created_at, last_seen_at, expires_at, revoked_at, "
                                         "client_address, user_agent) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  s->Bind(1, row.id)
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

Status SqliteTransaction::TouchSession(std::string_view session_id, int64_t last_seen_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE sessions SET last_seen_at = max(last_seen_at, ?2) "
                                         "WHERE id = ?1"));
  s->Bind(1, session_id).Bind(2, last_seen_ms);
  return s->Run();
}

Status SqliteTransaction::RevokeSession(std::string_view session_id, int64_t revoked_at_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE sessions SET revoked_at = ?2 "
                                         "WHERE id = ?1 AND revoked_at = 0"));
  s->Bind(1, session_id).Bind(2, revoked_at_ms);
  return s->Run();
}

Status SqliteTransaction::RunIsolated(const std::function<Status(Transaction&)>& job) {
  TRY(conn_.Run("SAVEPOINT isolated"));
  Status outcome = job(*this);
  if (!outcome) (void)conn_.Run("ROLLBACK TO isolated");
  TRY(conn_.Run("RELEASE isolated"));
  return outcome;
}

Result<int64_t> SqliteTransaction::AppendAudit(int64_t recorded_at_ms,
                                               std::span<const uint8_t> body) {
  // seq is the INTEGER PRIMARY KEY: SQLite assigns max + 1. Entries are never deleted,
  // so numbers are never reused.
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO audit_log (recorded_at, body) "
                                         "VALUES (?1, ?2) RETURNING seq"));
  s->Bind(1, recorded_at_ms).Bind(2, body);
  int64_t seq = s->Step() ? s->Int(0) : 0;
  // Step to completion so the INSERT … RETURNING statement finishes its write.
  while (s->Step()) {
  }
  TRY(s->status());
  return seq;
}

}  // namespace medvault::store::sqlite
