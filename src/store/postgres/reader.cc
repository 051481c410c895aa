#include "store/postgres/reader.h"

#include <limits>

#include "store/audit_index_buckets.h"
#include "store/postgres/rows.h"
#include "store/row_reading.h"

namespace medvault::store::postgres {
namespace {

// One REPEATABLE READ transaction: every statement in it sees the snapshot taken at its
// first. READ ONLY, so that a reader can never write, even through a bug.
class PgSnapshot final : public Reader::Snapshot {
 public:
  explicit PgSnapshot(Connection& conn)
      : conn_(conn),
        open_(conn.EnsureConnected() &&
              conn.Run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").has_value()) {}
  // A failed BEGIN leaves each query in its own implicit transaction (a snapshot per
  // statement), which is what a reader without a snapshot gets; so there is nothing to
  // report. A failed query inside the snapshot aborts it: COMMIT then rolls back, which
  // for a read-only transaction loses nothing.
  ~PgSnapshot() override {
    if (open_) (void)conn_.Run("COMMIT");
  }

 private:
  Connection& conn_;
  bool open_;
};

}  // namespace

std::unique_ptr<Reader::Snapshot> PgReader::BeginSnapshot() {
  return std::make_unique<PgSnapshot>(*conn_);
}

Result<std::optional<ResourceRow>> PgReader::Current(std::string_view type, std::string_view id) {
  ASSIGN_OR_RETURN(
      auto s, conn_->Prepare("SELECT v.type, v.id, v.version, v.compartment, v.last_updated, "
                             "v.deleted, v.body FROM current_resources c JOIN resource_versions v "
                             "ON v.type = c.type AND v.id = c.id AND v.version = c.version "
                             "WHERE c.type = $1 AND c.id = $2"));
  s->Bind(1, type).Bind(2, id);
  return OptionalRow<ResourceRow>(*s, ReadResourceRow<Statement>);
}

Result<std::optional<StoredResource>> PgReader::CurrentWithCompartment(std::string_view type,
                                                                       std::string_view id) {
  ASSIGN_OR_RETURN(auto s,
                   conn_->Prepare("SELECT v.type, v.id, v.version, v.compartment, v.last_updated, "
                                  "v.deleted, v.body, k.id, k.kek_version, k.wrapped_dek, "
                                  "k.organization_id, k.confidentiality, k.created_at "
                                  "FROM current_resources c JOIN resource_versions v "
                                  "ON v.type = c.type AND v.id = c.id AND v.version = c.version "
                                  "JOIN compartments k ON k.id = c.compartment "
                                  "WHERE c.type = $1 AND c.id = $2"));
  s->Bind(1, type).Bind(2, id);
  return OptionalRow<StoredResource>(*s, [](const Statement& st) {
    return StoredResource{ReadResourceRow(st), ReadCompartmentRow(st, 7)};
  });
}

Result<std::optional<ResourceRow>> PgReader::Version(std::string_view type, std::string_view id,
                                                     int64_t version) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT type, id, version, compartment, last_updated, "
                                          "deleted, body FROM resource_versions "
                                          "WHERE type = $1 AND id = $2 AND version = $3"));
  s->Bind(1, type).Bind(2, id).Bind(3, version);
  return OptionalRow<ResourceRow>(*s, ReadResourceRow<Statement>);
}

Result<std::vector<ResourceRow>> PgReader::History(std::string_view type, std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT type, id, version, compartment, last_updated, "
                                          "deleted, body FROM resource_versions "
                                          "WHERE type = $1 AND id = $2 ORDER BY version DESC"));
  s->Bind(1, type).Bind(2, id);
  std::vector<ResourceRow> rows;
  while (s->Step()) rows.push_back(ReadResourceRow(*s));
  TRY(s->status());
  return rows;
}

Result<std::vector<std::string>> PgReader::IdsWithIndex(std::string_view type, int64_t hash,
                                                        int64_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id FROM search_index "
                                          "WHERE hash = $1 AND type = $2 LIMIT $3"));
  // PostgreSQL refuses a negative LIMIT: no limit is the largest one.
  s->Bind(1, hash).Bind(2, type).Bind(3, limit < 0 ? std::numeric_limits<int64_t>::max() : limit);
  return CollectIds(*s);
}

Result<bool> PgReader::IsFiledUnder(std::string_view type, std::string_view id, int64_t hash) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT 1 FROM search_index "
                                          "WHERE hash = $1 AND type = $2 AND id = $3"));
  s->Bind(1, hash).Bind(2, type).Bind(3, id);
  const bool filed = s->Step();
  TRY(s->status());
  return filed;
}

Result<std::vector<int64_t>> PgReader::IndexHashesOf(std::string_view type, std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT hash FROM search_index "
                                          "WHERE type = $1 AND id = $2"));
  s->Bind(1, type).Bind(2, id);
  std::vector<int64_t> hashes;
  while (s->Step()) hashes.push_back(s->Int(0));
  TRY(s->status());
  return hashes;
}

Result<std::vector<std::string>> PgReader::IdsInCompartment(std::string_view type,
                                                            std::string_view compartment) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id FROM current_resources "
                                          "WHERE compartment = $1 AND type = $2 AND deleted = 0"));
  s->Bind(1, compartment).Bind(2, type);
  return CollectIds(*s);
}

Result<std::vector<std::string>> PgReader::IdsOfType(std::string_view type, size_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id FROM current_resources "
                                          "WHERE type = $1 AND deleted = 0 LIMIT $2"));
  s->Bind(1, type).Bind(2, SqlLimit(limit));
  return CollectIds(*s);
}

Result<std::vector<std::string>> PgReader::PatientsOfOrganization(std::string_view organization_id,
                                                                  size_t limit) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT c.id FROM compartments c "
                                          "JOIN current_resources r ON r.type = 'Patient' "
                                          "AND r.id = c.id AND r.deleted = 0 "
                                          "WHERE c.organization_id = $1 LIMIT $2"));
  s->Bind(1, organization_id).Bind(2, SqlLimit(limit));
  return CollectIds(*s);
}

Result<std::optional<CompartmentRow>> PgReader::Compartment(std::string_view id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT id, kek_version, wrapped_dek, organization_id, "
                                          "confidentiality, created_at FROM compartments "
                                          "WHERE id = $1"));
  s->Bind(1, id);
  return OptionalRow<CompartmentRow>(*s,
                                     [](const Statement& st) { return ReadCompartmentRow(st); });
}

Result<std::optional<AccountRow>> PgReader::AccountByUsername(std::string_view username) {
  ASSIGN_OR_RETURN(
      auto s,
      conn_->Prepare("SELECT " MEDVAULT_ACCOUNT_COLUMNS("") " FROM accounts WHERE username = $1"));
  s->Bind(1, username);
  return OptionalRow<AccountRow>(*s, [](const Statement& st) { return ReadAccountRow(st); });
}

Result<std::optional<AccountRow>> PgReader::AccountById(std::string_view id) {
  ASSIGN_OR_RETURN(
      auto s,
      conn_->Prepare("SELECT " MEDVAULT_ACCOUNT_COLUMNS("") " FROM accounts WHERE id = $1"));
  s->Bind(1, id);
  return OptionalRow<AccountRow>(*s, [](const Statement& st) { return ReadAccountRow(st); });
}

Result<std::vector<AccountRow>> PgReader::Accounts() {
  ASSIGN_OR_RETURN(
      auto s,
      conn_->Prepare("SELECT " MEDVAULT_ACCOUNT_COLUMNS("") " FROM accounts ORDER BY username"));
  std::vector<AccountRow> rows;
  while (s->Step()) rows.push_back(ReadAccountRow(*s, 0));
  TRY(s->status());
  return rows;
}

Result<std::vector<SessionRow>> PgReader::SessionsOfAccount(std::string_view account_id,
                                                            int64_t now_ms) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT " MEDVAULT_SESSION_COLUMNS(
                               "") " FROM sessions WHERE account_id = $1 AND "
                                   "revoked_at = 0 AND expires_at > $2 "
                                   "ORDER BY created_at DESC"));
  s->Bind(1, account_id).Bind(2, now_ms);
  std::vector<SessionRow> rows;
  while (s->Step()) rows.push_back(ReadSessionRow(*s));
  TRY(s->status());
  return rows;
}

Result<std::optional<SessionRow>> PgReader::SessionByTokenHash(const TokenHash& hash) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT " MEDVAULT_SESSION_COLUMNS(
                               "") " FROM sessions WHERE token_hash = $1"));
  s->Bind(1, std::span<const uint8_t>(hash));
  return OptionalRow<SessionRow>(*s, [](const Statement& st) { return ReadSessionRow(st); });
}

Result<std::optional<SessionAccount>> PgReader::SessionWithAccount(const TokenHash& hash) {
  ASSIGN_OR_RETURN(
      auto s, conn_->Prepare("SELECT " MEDVAULT_SESSION_COLUMNS("s.") ", " MEDVAULT_ACCOUNT_COLUMNS(
                  "a.") " FROM sessions s JOIN accounts a ON a.id = "
                        "s.account_id WHERE s.token_hash = $1"));
  s->Bind(1, std::span<const uint8_t>(hash));
  return OptionalRow<SessionAccount>(*s, [](const Statement& st) {
    return SessionAccount{ReadSessionRow(st), ReadAccountRow(st, kSessionColumnCount)};
  });
}

Result<std::optional<LoginChallengeRow>> PgReader::Challenge(const TokenHash& challenge_hash) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT " MEDVAULT_CHALLENGE_COLUMNS
                                          " FROM login_challenges WHERE challenge_hash = $1"));
  s->Bind(1, std::span<const uint8_t>(challenge_hash));
  return OptionalRow<LoginChallengeRow>(*s, ReadChallengeRow<Statement>);
}

Result<std::optional<LoginThrottleRow>> PgReader::LoginThrottle(std::string_view subject) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT subject, failures, last_failure_at, "
                                          "locked_until FROM login_throttle WHERE subject = $1"));
  s->Bind(1, subject);
  return OptionalRow<LoginThrottleRow>(*s, [](const Statement& st) {
    return LoginThrottleRow{std::string(st.Text(0)), st.Int(1), st.Int(2), st.Int(3)};
  });
}

Result<int64_t> PgReader::UnusedRecoveryCodes(std::string_view account_id) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT count(*) FROM recovery_codes "
                                          "WHERE account_id = $1 AND used_at = 0"));
  s->Bind(1, account_id);
  return SingleInt(*s);
}

Result<std::optional<AuditSubtreeRow>> PgReader::AuditSubtree(uint32_t level, uint64_t index) {
  return QueryAuditSubtree(*conn_, level, index);
}

Result<std::vector<AuditSubtreeRow>> PgReader::AuditSubtreesCompletedBy(uint64_t begin,
                                                                        uint64_t end) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT level, idx, hash, pos FROM audit_subtrees "
                                          "WHERE pos >= $1 AND pos < $2 ORDER BY pos"));
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

Result<std::optional<TreeHeadRow>> PgReader::LatestTreeHead() {
  return QueryLatestTreeHead(*conn_);
}

Result<std::vector<TreeHeadRow>> PgReader::TreeHeads() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT size, root, timestamp, signature FROM "
                                          "audit_tree_heads ORDER BY size"));
  std::vector<TreeHeadRow> rows;
  while (s->Step()) rows.push_back(ReadTreeHeadRow(*s));
  TRY(s->status());
  return rows;
}

Result<int64_t> PgReader::AuditCount() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT count(*) FROM audit_log"));
  return SingleInt(*s);
}

namespace {

// Rows of (seq, recorded_at, body).
Result<std::vector<AuditRow>> AuditRows(Statement& s) {
  std::vector<AuditRow> rows;
  while (s.Step()) {
    auto body = s.Blob(2);
    rows.push_back({s.Int(0), s.Int(1), crypto::Bytes(body.begin(), body.end())});
  }
  TRY(s.status());
  return rows;
}

}  // namespace

Result<int64_t> PgReader::AuditLastSequence() {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT coalesce(max(seq), 0) FROM audit_log"));
  return SingleInt(*s);
}

Result<std::vector<AuditRow>> PgReader::AuditEntries(int64_t first, int64_t count) {
  ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT seq, recorded_at, body FROM audit_log "
                                          "WHERE seq >= $1 AND seq < $2 ORDER BY seq"));
  s->Bind(1, first).Bind(2, first + count);
  return AuditRows(*s);
}

Result<std::vector<AuditRow>> PgReader::AuditEntriesBefore(const AuditScan& scan) {
  if (!scan.term) {
    ASSIGN_OR_RETURN(auto s, conn_->Prepare("SELECT seq, recorded_at, body FROM audit_log "
                                            "WHERE seq < $1 AND recorded_at >= $2 AND "
                                            "recorded_at < $3 ORDER BY seq DESC LIMIT $4"));
    s->Bind(1, scan.before_seq).Bind(2, scan.from_ms).Bind(3, scan.until_ms).Bind(4, scan.limit);
    return AuditRows(*s);
  }
  // Through the term's index entries, bucket by bucket (store/audit_index_buckets.h), in
  // one statement rather than a round trip per bucket: the recursive part steps from
  // each bucket the index holds to the next lower one (one descent each), and for each,
  // the lateral part reads the term's newest entries. Rows stream out bucket after
  // bucket, newest first, so the LIMIT stops the walk once it has enough; the order is
  // checked below rather than trusted.
  if (scan.limit <= 0 || scan.before_seq <= 1) return std::vector<AuditRow>{};
  ASSIGN_OR_RETURN(
      auto s,
      conn_->Prepare("WITH RECURSIVE buckets (bucket) AS ("
                     "  SELECT max(bucket) FROM audit_index WHERE bucket <= $1"
                     "  UNION ALL"
                     "  SELECT (SELECT max(i.bucket) FROM audit_index i WHERE i.bucket < b.bucket)"
                     "  FROM buckets b WHERE b.bucket IS NOT NULL) "
                     "SELECT f.seq, f.recorded_at, f.body FROM buckets b CROSS JOIN LATERAL ("
                     "  SELECT l.seq, l.recorded_at, l.body FROM audit_index i"
                     "  JOIN audit_log l ON l.seq = i.seq WHERE i.bucket = b.bucket"
                     "  AND i.term = $2 AND i.seq < $3 AND l.recorded_at >= $4"
                     "  AND l.recorded_at < $5 ORDER BY i.seq DESC LIMIT $6) f LIMIT $6"));
  s->Bind(1, AuditBucket(scan.before_seq - 1))
      .Bind(2, *scan.term)
      .Bind(3, scan.before_seq)
      .Bind(4, scan.from_ms)
      .Bind(5, scan.until_ms)
      .Bind(6, scan.limit);
  ASSIGN_OR_RETURN(auto rows, AuditRows(*s));
  for (size_t i = 1; i < rows.size(); ++i)
    if (rows[i].seq >= rows[i - 1].seq)
      return Fail(ErrorCode::kInternal, "the audit index walk returned entries out of order");
  return rows;
}

}  // namespace medvault::store::postgres
