#include "store/sqlite/reader.h"

#include <limits>

#include "store/audit_index_buckets.h"
#include "store/sqlite/rows.h"

namespace medvault::store::sqlite {
namespace {

class SqliteSnapshot final : public Reader::Snapshot {
 public:
  explicit SqliteSnapshot(Connection& conn) : conn_(conn), open_(conn.Run("BEGIN").has_value()) {}
  // A failed BEGIN leaves each query in its own implicit transaction, which is still
  // correct, only slower; so there is nothing to report.
  ~SqliteSnapshot() override {
    if (open_) (void)conn_.Run("COMMIT");
  }

 private:
  Connection& conn_;
  bool open_;
};

}  // namespace

std::unique_ptr<Reader::Snapshot> SqliteReader::BeginSnapshot() {
  return std::make_unique<SqliteSnapshot>(*conn_);
}

Result<std::optional<ResourceRow>> SqliteReader::Current(std::string_view type,
                                                         std::string_view id) {
  ASSIGN_OR_RETURN(
      auto s, conn_->Prepare("SELECT v.type, v.id, v.version, v.compartment, v.last_updated, "
                             "v.deleted, v.body FROM current_resources c JOIN resource_versions v "
                             "ON v.type = c.type AND v.id = c.id AND v.version = c.version "
                             "WHERE c.type = ?1 AND c.id = ?2"));
  s->Bind(1, type).Bind(2, id);
  return OptionalRow<ResourceRow>(*s, ReadResourceRow<Statement>);
}

Result<std::optional<StoredResource>> SqliteReader::CurrentWithCompartment(std::string_view type,
                                                                           std::string_view id) {
  ASSIGN_OR_RETURN(auto s,
                   conn_->Prepare("SELECT v.type, v.id, v.version, v.compartment, v.last_updated, "
                                  "v.deleted, v.body, k.id, k.kek_version, k.wrapped_dek, "
                                  "k.organization_id, k.confidentiality, k.created_at "
                                  "FROM current_resources c JOIN resource_versions v "
                                  "ON v.type = c.type AND v.id = c.id AND v.version = c.version "
                                  "JOIN compartments k ON k.id = c.compartment "
                                  "WHERE c.type = ?1 AND c.id = ?2"));
  s->Bind(1, type).Bind(2, id);
  return OptionalRow<StoredResource>(*s, [](const Statement& st) {
    return StoredResource{ReadResourceRow(st), ReadCompartmentRow(st, 7)};
  });
}

Result<std::optional<ResourceRow>> SqliteReader::Version(std::string_view type, std::string_view id,
                                                         int64_t version) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT type, id, version, compartment, last_updated, "
                                          "deleted, body FROM resource_versions "
                                          "WHERE type = ?1 AND id = ?2 AND version = ?3"));
  s->Bind(1, type).Bind(2, id).Bind(3, version);
  return OptionalRow<ResourceRow>(*s, ReadResourceRow<Statement>);
}

Result<std::vector<ResourceRow>> SqliteReader::History(std::string_view type, std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT type, id, version, compartment, last_updated, "
                                          "deleted, body FROM resource_versions "
                                          "WHERE type = ?1 AND id = ?2 ORDER BY version DESC"));
  s->Bind(1, type).Bind(2, id);
  std::vector<ResourceRow> rows;
  while (s->Step()) rows.push_back(ReadResourceRow(*s));
  TRY(s->status());
  return rows;
}

Result<std::vector<std::string>> SqliteReader::IdsWithIndex(std::string_view type, int64_t hash,
                                                            int64_t limit) {
  // A negative LIMIT is no limit in SQLite.
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id FROM search_index WHERE hash = ?1 AND "
                                          "type = ?2 LIMIT ?3"));
  s->Bind(1, hash).Bind(2, type).Bind(3, limit);
  return CollectIds(*s);
}

Result<bool> SqliteReader::IsFiledUnder(std::string_view type, std::string_view id, int64_t hash) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT 1 FROM search_index "
                                          "WHERE hash = ?1 AND type = ?2 AND id = ?3"));
  s->Bind(1, hash).Bind(2, type).Bind(3, id);
  const bool filed = s->Step();
  TRY(s->status());
  return filed;
}

Result<std::vector<int64_t>> SqliteReader::IndexHashesOf(std::string_view type,
                                                         std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT hash FROM search_index "
                                          "WHERE type = ?1 AND id = ?2"));
  s->Bind(1, type).Bind(2, id);
  std::vector<int64_t> hashes;
  while (s->Step()) hashes.push_back(s->Int(0));
  TRY(s->status());
  return hashes;
}

Result<std::vector<std::string>> SqliteReader::IdsInCompartment(std::string_view type,
                                                                std::string_view compartment) {
  // Without statistics SQLite prefers the primary key's (type=?), which walks every
  // resource of the type: one patient's Observations took a scan of all of them.
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id FROM current_resources "
                                          "INDEXED BY current_by_compartment "
                                          "WHERE compartment = ?1 AND type = ?2 AND deleted = 0"));
  s->Bind(1, compartment).Bind(2, type);
  return CollectIds(*s);
}

Result<std::vector<std::string>> SqliteReader::IdsOfType(std::string_view type, size_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id FROM current_resources "
                                          "WHERE type = ?1 AND deleted = 0 LIMIT ?2"));
  s->Bind(1, type).Bind(2, static_cast<int64_t>(limit));
  return CollectIds(*s);
}

Result<std::vector<std::string>> SqliteReader::PatientsOfOrganization(
    std::string_view organization_id, size_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT c.id FROM compartments c "
                                          "JOIN current_resources r ON r.type = 'Patient' "
                                          "AND r.id = c.id AND r.deleted = 0 "
                                          "WHERE c.organization_id = ?1 LIMIT ?2"));
  s->Bind(1, organization_id).Bind(2, static_cast<int64_t>(limit));
  return CollectIds(*s);
}

Result<std::optional<CompartmentRow>> SqliteReader::Compartment(std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id, kek_version, wrapped_dek, organization_id, "
                                          "confidentiality, created_at FROM compartments "
                                          "WHERE id = ?1"));
  s->Bind(1, id);
  return OptionalRow<CompartmentRow>(*s,
                                     [](const Statement& st) { return ReadCompartmentRow(st); });
}

Result<std::optional<AccountRow>> SqliteReader::AccountByUsername(std::string_view username) {
  ASSIGN_OR_RETURN(
      auto s,
      conn_->Prepare("SELECT " MEDVAULT_ACCOUNT_COLUMNS("") " FROM accounts WHERE username = ?1"));
  s->Bind(1, username);
  return OptionalRow<AccountRow>(*s, [](const Statement& st) { return ReadAccountRow(st); });
}

Result<std::optional<AccountRow>> SqliteReader::AccountById(std::string_view id) {
  ASSIGN_OR_RETURN(
      auto s,
      conn_->Prepare("SELECT " MEDVAULT_ACCOUNT_COLUMNS("") " FROM accounts WHERE id = ?1"));
  s->Bind(1, id);
  return OptionalRow<AccountRow>(*s, [](const Statement& st) { return ReadAccountRow(st); });
}

Result<std::vector<AccountRow>> SqliteReader::Accounts() {
  ASSIGN_OR_RETURN(
      auto s,
      conn_->Prepare("SELECT " MEDVAULT_ACCOUNT_COLUMNS("") " FROM accounts ORDER BY username"));
  std::vector<AccountRow> rows;
  while (s->Step()) rows.push_back(ReadAccountRow(*s, 0));
  TRY(s->status());
  return rows;
}

Result<std::vector<SessionRow>> SqliteReader::SessionsOfAccount(std::string_view account_id,
                                                                int64_t now_ms) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT " MEDVAULT_SESSION_COLUMNS(
                               "") " FROM sessions WHERE account_id = ?1 AND "
                                   "revoked_at = 0 AND expires_at > ?2 "
                                   "ORDER BY created_at DESC"));
  s->Bind(1, account_id).Bind(2, now_ms);
  std::vector<SessionRow> rows;
  while (s->Step()) rows.push_back(ReadSessionRow(*s));
  TRY(s->status());
  return rows;
}

Result<std::optional<SessionRow>> SqliteReader::SessionByTokenHash(const TokenHash& hash) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT " MEDVAULT_SESSION_COLUMNS(
                               "") " FROM sessions WHERE token_hash = ?1"));
  s->Bind(1, std::span<const uint8_t>(hash));
  return OptionalRow<SessionRow>(*s, [](const Statement& st) { return ReadSessionRow(st); });
}

Result<std::optional<SessionAccount>> SqliteReader::SessionWithAccount(const TokenHash& hash) {
  ASSIGN_OR_RETURN(
      auto s, conn_->Prepare("SELECT " MEDVAULT_SESSION_COLUMNS("s.") ", " MEDVAULT_ACCOUNT_COLUMNS(
                  "a.") " FROM sessions s JOIN accounts a ON a.id = "
                        "s.account_id WHERE s.token_hash = ?1"));
  s->Bind(1, std::span<const uint8_t>(hash));
  return OptionalRow<SessionAccount>(*s, [](const Statement& st) {
    return SessionAccount{ReadSessionRow(st), ReadAccountRow(st, kSessionColumnCount)};
  });
}

Result<std::optional<LoginChallengeRow>> SqliteReader::Challenge(const TokenHash& challenge_hash) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT " MEDVAULT_CHALLENGE_COLUMNS
                                          " FROM login_challenges WHERE challenge_hash = ?1"));
  s->Bind(1, std::span<const uint8_t>(challenge_hash));
  return OptionalRow<LoginChallengeRow>(*s, ReadChallengeRow<Statement>);
}

Result<std::optional<LoginThrottleRow>> SqliteReader::LoginThrottle(std::string_view subject) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT subject, failures, last_failure_at, "
                                          "locked_until FROM login_throttle WHERE subject = ?1"));
  s->Bind(1, subject);
  return OptionalRow<LoginThrottleRow>(*s, [](const Statement& st) {
    return LoginThrottleRow{std::string(st.Text(0)), st.Int(1), st.Int(2), st.Int(3)};
  });
}

Result<int64_t> SqliteReader::UnusedRecoveryCodes(std::string_view account_id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT count(*) FROM recovery_codes "
                                          "WHERE account_id = ?1 AND used_at = 0"));
  s->Bind(1, account_id);
  int64_t n = s->Step() ? s->Int(0) : 0;
  TRY(s->status());
  return n;
}

Result<std::optional<AuditSubtreeRow>> SqliteReader::AuditSubtree(uint32_t level, uint64_t index) {
  return QueryAuditSubtree(*conn_, level, index);
}

Result<std::vector<AuditSubtreeRow>> SqliteReader::AuditSubtreesCompletedBy(uint64_t begin,
                                                                            uint64_t end) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT level, idx, hash, pos FROM audit_subtrees "
                                          "WHERE pos >= ?1 AND pos < ?2 ORDER BY pos"));
  s->Bind(1, AuditSubtreesOfLeaf(begin)).Bind(2, AuditSubtreesOfLeaf(end));
  std::vector<AuditSubtreeRow> rows;
  rows.reserve(2 * static_cast<size_t>(end - begin));
  while (s->Step()) {
    // A row at a position no subtree has (written there by hand) is nobody's.
    AuditSubtreeRow row = ReadAuditSubtreeRow(*s);
    if (s->Int(3) == AuditSubtreePosition(row.level, row.index)) rows.push_back(row);
  }
  TRY(s->status());
  return rows;
}

Result<std::optional<TreeHeadRow>> SqliteReader::LatestTreeHead() {
  return QueryLatestTreeHead(*conn_);
}

Result<std::vector<TreeHeadRow>> SqliteReader::TreeHeads() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT size, root, timestamp, signature FROM "
                                          "audit_tree_heads ORDER BY size"));
  std::vector<TreeHeadRow> rows;
  while (s->Step()) rows.push_back(ReadTreeHeadRow(*s));
  TRY(s->status());
  return rows;
}

Result<int64_t> SqliteReader::AuditCount() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT count(*) FROM audit_log"));
  int64_t n = s->Step() ? s->Int(0) : 0;
  TRY(s->status());
  return n;
}

namespace {

// Rows of (seq, recorded_at, body), after `rows`.
Status AppendAuditRows(Statement& s, std::vector<AuditRow>& rows) {
  while (s.Step()) {
    auto body = s.Blob(2);
    rows.push_back({s.Int(0), s.Int(1), crypto::Bytes(body.begin(), body.end())});
  }
  return s.status();
}

Result<std::vector<AuditRow>> AuditRows(Statement& s) {
  std::vector<AuditRow> rows;
  TRY(AppendAuditRows(s, rows));
  return rows;
}

}  // namespace

Result<int64_t> SqliteReader::AuditLastSequence() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT coalesce(max(seq), 0) FROM audit_log"));
  int64_t n = s->Step() ? s->Int(0) : 0;
  TRY(s->status());
  return n;
}

Result<std::vector<AuditRow>> SqliteReader::AuditEntries(int64_t first, int64_t count) {
  std::vector<AuditRow> rows;
  TRY(VisitAuditEntries(first, count, [&rows](const AuditRowView& row) {
    rows.push_back({row.seq, row.recorded_at_ms, crypto::Bytes(row.body.begin(), row.body.end())});
    return true;
  }));
  return rows;
}

Status SqliteReader::VisitAuditEntries(int64_t first, int64_t count,
                                       const std::function<bool(const AuditRowView&)>& visit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT seq, recorded_at, body FROM audit_log "
                                          "WHERE seq >= ?1 AND seq < ?2 ORDER BY seq"));
  s->Bind(1, first).Bind(2, first + count);
  while (s->Step())
    if (!visit({s->Int(0), s->Int(1), s->Blob(2)})) break;
  return s->status();
}

Result<std::optional<int64_t>> SqliteReader::HighestAuditBucket(int64_t at_most) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT max(bucket) FROM audit_index "
                                          "WHERE bucket <= ?1"));
  s->Bind(1, at_most);
  std::optional<int64_t> bucket;
  if (s->Step() && !s->IsNull(0)) bucket = s->Int(0);
  TRY(s->status());
  return bucket;
}

Result<std::vector<AuditRow>> SqliteReader::AuditEntriesBefore(const AuditScan& scan) {
  if (!scan.term) {
    ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT seq, recorded_at, body FROM audit_log "
                                            "WHERE seq < ?1 AND recorded_at >= ?2 AND "
                                            "recorded_at < ?3 ORDER BY seq DESC LIMIT ?4"));
    s->Bind(1, scan.before_seq).Bind(2, scan.from_ms).Bind(3, scan.until_ms).Bind(4, scan.limit);
    return AuditRows(*s);
  }
  // Through the term's index entries, bucket by bucket, newest first: from each bucket
  // the index holds to the next lower one (store/audit_index_buckets.h).
  std::vector<AuditRow> rows;
  if (scan.limit <= 0 || scan.before_seq <= 1) return rows;
  int64_t at_most = AuditBucket(scan.before_seq - 1);
  while (static_cast<int64_t>(rows.size()) < scan.limit) {
    ASSIGN_OR_RETURN(std::optional<int64_t> found, HighestAuditBucket(at_most));
    if (!found) break;
    const int64_t bucket = *found;
    ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT l.seq, l.recorded_at, l.body FROM "
                                            "audit_index i JOIN audit_log l ON l.seq = i.seq "
                                            "WHERE i.bucket = ?1 AND i.term = ?2 AND i.seq < ?3 "
                                            "AND l.recorded_at >= ?4 AND l.recorded_at < ?5 "
                                            "ORDER BY i.seq DESC LIMIT ?6"));
    s->Bind(1, bucket)
        .Bind(2, *scan.term)
        .Bind(3, scan.before_seq)
        .Bind(4, scan.from_ms)
        .Bind(5, scan.until_ms)
        .Bind(6, scan.limit - static_cast<int64_t>(rows.size()));
    TRY(AppendAuditRows(*s, rows));
    if (bucket == std::numeric_limits<int64_t>::min()) break;
    at_most = bucket - 1;
  }
  return rows;
}

}  // namespace medvault::store::sqlite
