// Keys in the database: the key_versions table, data keys as a rotation re-wraps them,
// and the blind-index rebuild of a blind-index key rotation. No key is ever stored here:
// versions name where a key comes from (derived, or its key file) and its fingerprint.
#include "store/audit_index_buckets.h"
#include "store/sqlite/reader.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/transaction.h"

namespace medvault::store::sqlite {
// --- the writer's side ---

Status SqliteTransaction::InsertKeyVersion(const KeyVersionRow& row) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("INSERT INTO key_versions (purpose, version, origin, "
                                         "fingerprint, created_at, state, retired_at) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  s->Bind(1, row.purpose)
      .Bind(2, int64_t{row.version})
      .Bind(3, row.origin)
      .Bind(4, std::span<const uint8_t>(row.fingerprint))
      .Bind(5, row.created_at_ms)
      .Bind(6, row.state)
      .Bind(7, row.retired_at_ms);
  Status inserted = s->Run();
  if (!inserted && inserted.error().code == ErrorCode::kConflict)
    return Fail(ErrorCode::kConflict,
                row.purpose + " version " + std::to_string(row.version) + " exists already");
  return inserted;
}

Status SqliteTransaction::SetKeyVersionState(std::string_view purpose, int version,
                                             std::string_view state, int64_t at_ms) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE key_versions SET state = ?3, retired_at = "
                                         "CASE WHEN ?3 = 'retired' THEN ?4 ELSE 0 END "
                                         "WHERE purpose = ?1 AND version = ?2"));
  s->Bind(1, purpose).Bind(2, int64_t{version}).Bind(3, state).Bind(4, at_ms);
  TRY(s->Run());
  if (sqlite3_changes(conn_.handle()) == 0)
    return Fail(ErrorCode::kNotFound,
                "no " + std::string(purpose) + " version " + std::to_string(version));
  return Ok();
}

Result<int64_t> SqliteTransaction::CountDataKeysUnder(int version) {
  ASSIGN_OR_RETURN(auto s,
                   conn_.Prepare("SELECT count(*) FROM compartments WHERE kek_version = ?1"));
  s->Bind(1, int64_t{version});
  int64_t count = s->Step() ? s->Int(0) : 0;
  TRY(s->status());
  return count;
}

Result<bool> SqliteTransaction::RewrapDataKey(const WrappedKeyRow& from, const WrappedKeyRow& to) {
  ASSIGN_OR_RETURN(auto s, conn_.Prepare("UPDATE compartments SET kek_version = ?4, wrapped_dek = "
                                         "?5 WHERE id = ?1 AND kek_version = ?2 AND "
                                         "wrapped_dek = ?3"));
  s->Bind(1, from.compartment)
      .Bind(2, int64_t{from.kek_version})
      .Bind(3, std::span<const uint8_t>(from.wrapped_dek))
      .Bind(4, int64_t{to.kek_version})
      .Bind(5, std::span<const uint8_t>(to.wrapped_dek));
  TRY(s->Run());
  return sqlite3_changes(conn_.handle()) == 1;
}

Status SqliteTransaction::BeginIndexRebuild() {
  return conn_.Exec(
      "DROP TABLE IF EXISTS search_index_next;"
      "CREATE TABLE search_index_next (hash INTEGER NOT NULL, type TEXT NOT NULL, "
      "  id TEXT NOT NULL, PRIMARY KEY (hash, type, id)) WITHOUT ROWID;"
      "DROP TABLE IF EXISTS audit_index_next;"
      "CREATE TABLE audit_index_next (bucket INTEGER NOT NULL, term INTEGER NOT NULL, "
      "  seq INTEGER NOT NULL, PRIMARY KEY (bucket, term, seq)) WITHOUT ROWID;");
}

Status SqliteTransaction::PutRebuiltIndex(std::string_view type, std::string_view id,
                                          std::span<const int64_t> hashes) {
  ASSIGN_OR_RETURN(auto insert, conn_.Prepare("INSERT OR IGNORE INTO search_index_next (hash, "
                                              "type, id) VALUES (?1, ?2, ?3)"));
  for (int64_t hash : hashes) {
    insert->Bind(1, hash).Bind(2, type).Bind(3, id);
    TRY(insert->Run());
  }
  return Ok();
}

Status SqliteTransaction::PutRebuiltAuditIndex(int64_t seq, std::span<const int64_t> terms) {
  ASSIGN_OR_RETURN(auto insert, conn_.Prepare("INSERT OR IGNORE INTO audit_index_next (bucket, "
                                              "term, seq) VALUES (?1, ?2, ?3)"));
  for (int64_t term : terms) {
    insert->Bind(1, AuditBucket(seq)).Bind(2, term).Bind(3, seq);
    TRY(insert->Run());
  }
  return Ok();
}

Status SqliteTransaction::SwapInRebuiltIndexes() {
  // The old tables hold keyed hashes under the key being retired: dropping them need not
  // overwrite every page (which would also journal all of them in this savepoint).
  TRY(conn_.Exec("PRAGMA secure_delete = OFF"));
  Status swapped = conn_.Exec(
      "DROP TABLE search_index;"
      "ALTER TABLE search_index_next RENAME TO search_index;"
      "CREATE INDEX search_index_by_resource ON search_index (type, id);"
      "DROP TABLE audit_index;"
      "ALTER TABLE audit_index_next RENAME TO audit_index;");
  TRY(conn_.Exec("PRAGMA secure_delete = ON"));
  return swapped;
}

// --- the readers' side ---

Result<std::vector<KeyVersionRow>> SqliteReader::KeyVersions() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT purpose, version, origin, fingerprint, "
                                          "created_at, state, retired_at FROM key_versions "
                                          "ORDER BY purpose, version"));
  std::vector<KeyVersionRow> rows;
  while (s->Step()) rows.push_back(ReadKeyVersionRow(*s));
  TRY(s->status());
  return rows;
}

Result<std::vector<std::pair<int, int64_t>>> SqliteReader::DataKeysPerKekVersion() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT kek_version, count(*) FROM compartments "
                                          "GROUP BY kek_version ORDER BY kek_version"));
  std::vector<std::pair<int, int64_t>> counts;
  while (s->Step()) counts.emplace_back(static_cast<int>(s->Int(0)), s->Int(1));
  TRY(s->status());
  return counts;
}

Result<std::vector<WrappedKeyRow>> SqliteReader::DataKeysNotUnder(int version,
                                                                  std::string_view after,
                                                                  size_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id, kek_version, wrapped_dek FROM compartments "
                                          "WHERE id > ?2 AND kek_version != ?1 ORDER BY id "
                                          "LIMIT ?3"));
  s->Bind(1, int64_t{version}).Bind(2, after).Bind(3, static_cast<int64_t>(limit));
  std::vector<WrappedKeyRow> rows;
  while (s->Step()) {
    auto wrapped = s->Blob(2);
    rows.push_back({std::string(s->Text(0)), static_cast<int>(s->Int(1)),
                    crypto::Bytes(wrapped.begin(), wrapped.end())});
  }
  TRY(s->status());
  return rows;
}

Result<std::optional<int64_t>> SqliteReader::ErasedAt(std::string_view patient_id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT erased_at FROM erased_patients WHERE id = ?1"));
  s->Bind(1, patient_id);
  std::optional<int64_t> at;
  if (s->Step()) at = s->Int(0);
  TRY(s->status());
  return at;
}

Result<std::vector<std::string>> SqliteReader::IdsOfTypeAfter(std::string_view type,
                                                              std::string_view after,
                                                              size_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id FROM current_resources WHERE type = ?1 AND "
                                          "id > ?2 AND deleted = 0 ORDER BY id LIMIT ?3"));
  s->Bind(1, type).Bind(2, after).Bind(3, static_cast<int64_t>(limit));
  std::vector<std::string> ids;
  while (s->Step()) ids.emplace_back(s->Text(0));
  TRY(s->status());
  return ids;
}

Result<std::vector<std::pair<std::string, int64_t>>> SqliteReader::LastLogins() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT account_id, max(created_at) FROM sessions "
                                          "GROUP BY account_id"));
  std::vector<std::pair<std::string, int64_t>> logins;
  while (s->Step()) logins.emplace_back(std::string(s->Text(0)), s->Int(1));
  TRY(s->status());
  return logins;
}

}  // namespace medvault::store::sqlite
