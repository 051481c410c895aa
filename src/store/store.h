// The store: one interface over the database engines (SQLite embedded, the default;
// PostgreSQL through libpq). Reads go through a per-thread read connection; every write goes
// through one writer that commits jobs in groups, so that many requests share one
// durable commit (fsync) and each learns its outcome only after it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/key_records.h"
#include "store/records.h"

namespace medvault::store {

// A resource version with its compartment's key and attributes: what a read needs,
// fetched in one query.
struct StoredResource {
  ResourceRow row;
  CompartmentRow compartment;
};

// A live session's row with its account's.
struct SessionAccount {
  SessionRow session;
  AccountRow account;
};

// The current version of a resource, without its body.
struct ResourceHead {
  int64_t version = 0;
  std::string compartment;
  bool deleted = false;
};

// The writes one job may make, inside the writer's transaction. A job that fails is
// rolled back alone (savepoint); the others in its group still commit, unless the
// failure made the engine lose the whole transaction (SQLite: an I/O error or a full disk
// in the middle of the group; PostgreSQL: a lost connection): then every job of the group
// fails. On PostgreSQL a failed statement also refuses every later statement of its job
// until the job's savepoint is rolled back: a job must not go on after a failed write
// (RunIsolated is the way to try something that may fail).
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual Result<std::optional<ResourceHead>> Head(std::string_view type, std::string_view id) = 0;
  // Adds a version and makes it current. Fails with kConflict when the version exists.
  virtual Status PutResourceVersion(const ResourceRow& row) = 0;
  // Replaces the blind-index entries of a resource's current version.
  virtual Status ReplaceIndex(std::string_view type, std::string_view id,
                              std::span<const int64_t> hashes) = 0;
  virtual Result<std::optional<CompartmentRow>> Compartment(std::string_view id) = 0;
  // Inserts a compartment with its wrapped key (kConflict when it exists).
  virtual Status InsertCompartment(const CompartmentRow& row) = 0;
  // Updates the Policy attributes of an existing compartment.
  virtual Status UpdateCompartmentAttributes(std::string_view id, std::string_view organization_id,
                                             std::string_view confidentiality) = 0;

  // Replaces the care links a CareTeam makes (none when it is deleted or not active).
  virtual Status ReplaceCareLinks(std::string_view careteam_id,
                                  std::span<const CareLinkRow> links) = 0;
  virtual Status InsertGrant(const GrantRow& row) = 0;
  // Grants the account received at or after `since_ms` (the daily limit, checked in the
  // writer so that concurrent requests cannot both take the last one).
  virtual Result<int64_t> CountGrantsSince(std::string_view account_id, int64_t since_ms) = 0;
  // Inserts an alert; returns its id.
  virtual Result<int64_t> InsertAlert(const AlertRow& row) = 0;
  // Marks an open alert resolved; false when there is no such open alert.
  virtual Result<bool> ResolveAlert(int64_t id, int64_t at_ms, std::string_view resolved_by,
                                    std::span<const uint8_t> resolution) = 0;
  // Changes an account's containment (kNotFound for an unknown account).
  virtual Status SetContainment(std::string_view account_id, const ContainmentChange& change) = 0;

  virtual Status InsertAccount(const AccountRow& row) = 0;  // kConflict on a taken username
  virtual Status InsertSession(const SessionRow& row) = 0;
  virtual Status TouchSession(std::string_view session_id, int64_t last_seen_ms) = 0;
  virtual Status RevokeSession(std::string_view session_id, int64_t revoked_at_ms) = 0;
  // Revokes every live session of an account but `except_session_id` ("" for none).
  virtual Status RevokeAccountSessions(std::string_view account_id, int64_t revoked_at_ms,
                                       std::string_view except_session_id) = 0;
  virtual Status MarkSteppedUp(std::string_view session_id, int64_t at_ms) = 0;
  // Revokes every live session (the clock went back further than the server holds it).
  virtual Status RevokeAllSessions(int64_t revoked_at_ms) = 0;

  // Accounts.
  virtual Status SetAccountStatus(std::string_view account_id, std::string_view status) = 0;
  virtual Status SetPassword(std::string_view account_id, std::string_view password_hash,
                             bool must_change) = 0;
  // TOTP: records `step` as used when it is newer than the last one. False when it is
  // not: the code was replayed (checked here, in the writer, so that two concurrent
  // requests with the same code cannot both pass).
  virtual Result<bool> AcceptTotpStep(std::string_view account_id, int64_t step) = 0;
  // Enrols TOTP (sealed secret, first accepted step) and replaces the recovery codes.
  virtual Status EnrollTotp(std::string_view account_id, std::span<const uint8_t> sealed_secret,
                            int64_t step, std::span<const TokenHash> recovery_code_hashes) = 0;
  // Forgets the TOTP secret and recovery codes: the user enrols again at next login.
  virtual Status ResetMfa(std::string_view account_id) = 0;
  // Marks a recovery code used; false when it does not exist or was used already.
  virtual Result<bool> UseRecoveryCode(std::string_view account_id, const TokenHash& code_hash,
                                       int64_t at_ms) = 0;

  // Login challenges and throttling.
  virtual Status InsertChallenge(const LoginChallengeRow& row) = 0;
  // Marks the challenge used; false when it was used already.
  virtual Result<bool> ConsumeChallenge(const TokenHash& challenge_hash, int64_t at_ms) = 0;
  virtual Status CountChallengeAttempt(const TokenHash& challenge_hash) = 0;
  // One more failure for `subject`; locks it until `lock_until_ms` when the failures
  // reach `lock_after` (0: never locks).
  virtual Status RecordLoginFailure(std::string_view subject, int64_t at_ms, int64_t lock_after,
                                    int64_t lock_until_ms) = 0;
  virtual Status ClearLoginFailures(std::string_view subject) = 0;

  // Rewrites the one row of the write probe: a commit that must reach the disk, for
  // /healthz to learn whether storage takes writes again.
  virtual Status TouchWriteProbe(int64_t at_ms) = 0;

  // Runs `job` in a nested savepoint: if it fails, its writes are undone and its
  // error returned, while the enclosing job goes on (e.g. to audit the failure).
  virtual Status RunIsolated(const std::function<Status(Transaction&)>& job) = 0;

  // Changes at every new transaction and whenever writes were undone in this one (a
  // rolled-back job or RunIsolated); process-wide unique. While it stays the same, the
  // database changed only by this transaction's own later writes, so what a caller
  // checked against it earlier need not be checked again.
  virtual uint64_t epoch() const = 0;

  // Appends an audit entry and returns its sequence number.
  virtual Result<int64_t> AppendAudit(int64_t recorded_at_ms, std::span<const uint8_t> body) = 0;
  // The number of audit entries as this transaction sees them.
  virtual Result<int64_t> AuditSize() = 0;
  virtual Status PutAuditSubtrees(std::span<const AuditSubtreeRow> subtrees) = 0;
  // Files entry `seq` under each blind-index term (duplicates are ignored).
  virtual Status PutAuditIndex(int64_t seq, std::span<const int64_t> terms) = 0;
  virtual Result<std::optional<AuditSubtreeRow>> AuditSubtree(uint32_t level, uint64_t index) = 0;
  virtual Result<std::optional<TreeHeadRow>> LatestTreeHead() = 0;
  virtual Status InsertTreeHead(const TreeHeadRow& head) = 0;

  // Keys (`medvault keys …`). kConflict when the version exists.
  virtual Status InsertKeyVersion(const KeyVersionRow& row) = 0;
  // Sets a version's state ("active", "retired"); kNotFound for an unknown version.
  virtual Status SetKeyVersionState(std::string_view purpose, int version, std::string_view state,
                                    int64_t at_ms) = 0;
  // Data keys still wrapped under KEK `version` (retiring it needs none).
  virtual Result<int64_t> CountDataKeysUnder(int version) = 0;
  // Stores `to` as the compartment's wrapped key if it is still `from` (compare and
  // swap): false when it changed meanwhile (erased, or re-wrapped by someone else).
  virtual Result<bool> RewrapDataKey(const WrappedKeyRow& from, const WrappedKeyRow& to) = 0;
  // A blind-index key rotation (offline): the indexes are rebuilt beside the ones in use
  // (BeginIndexRebuild empties the rebuild tables), then swapped in at once.
  virtual Status BeginIndexRebuild() = 0;
  virtual Status PutRebuiltIndex(std::string_view type, std::string_view id,
                                 std::span<const int64_t> hashes) = 0;
  virtual Status PutRebuiltAuditIndex(int64_t seq, std::span<const int64_t> terms) = 0;
  virtual Status SwapInRebuiltIndexes() = 0;

  // Crypto-erasure (`medvault erase`, POST /admin/patients/{id}/erase). The sealed free
  // text about the patient outside its compartment, to be replaced in ErasePatient.
  virtual Result<PatientNotes> NotesAboutPatient(std::string_view patient_id) = 0;
  // Destroys the patient's wrapped data key and removes every version of its resources,
  // their blind-index rows and its care links; replaces its notes; records the erasure
  // so that the id is never reused. Rows are overwritten as they are deleted
  // (secure_delete) and the WAL is checkpointed and truncated after the commit, so the
  // database files keep no copy. The audit trail keeps its entries (identifiers only).
  // kNotFound when there is no such patient.
  virtual Result<ErasureCounts> ErasePatient(std::string_view patient_id, int64_t at_ms,
                                             const PatientNoteRewrites& rewrites) = 0;
};

using WriteJob = std::function<Status(Transaction&)>;
using WriteDone = std::function<void(Status)>;

// Read-only access through the calling thread's own connection. Each call sees the
// database as of its start (snapshot per statement).
class Reader {
 public:
  virtual ~Reader() = default;

  // Holds one read snapshot across several calls until it is destroyed: every call in
  // between sees the same state of the database (a request authenticates and reads from
  // one snapshot), and pays for one read transaction instead of one per query.
  class Snapshot {
   public:
    virtual ~Snapshot() = default;
  };
  virtual std::unique_ptr<Snapshot> BeginSnapshot() = 0;

  virtual Result<std::optional<ResourceRow>> Current(std::string_view type,
                                                     std::string_view id) = 0;
  // The current version and its compartment, in one query (the read path).
  virtual Result<std::optional<StoredResource>> CurrentWithCompartment(std::string_view type,
                                                                       std::string_view id) = 0;
  virtual Result<std::optional<ResourceRow>> Version(std::string_view type, std::string_view id,
                                                     int64_t version) = 0;
  // All versions, newest first.
  virtual Result<std::vector<ResourceRow>> History(std::string_view type, std::string_view id) = 0;
  // Ids of current, non-deleted resources of `type` having an index entry `hash`; at
  // most `limit` of them when it is not negative.
  virtual Result<std::vector<std::string>> IdsWithIndex(std::string_view type, int64_t hash,
                                                        int64_t limit = -1) = 0;
  // Whether the resource `type`/`id` is filed under `hash`: one descent of the index by
  // hash, so that checking a few candidates against a common term reads that term's few
  // pages, not each candidate's own.
  virtual Result<bool> IsFiledUnder(std::string_view type, std::string_view id, int64_t hash) = 0;
  // The hashes one resource is filed under (compared in memory by the caller, so that
  // no hash the caller derived leaves the process).
  virtual Result<std::vector<int64_t>> IndexHashesOf(std::string_view type,
                                                     std::string_view id) = 0;
  // Ids of current, non-deleted resources of `type` in a compartment.
  virtual Result<std::vector<std::string>> IdsInCompartment(std::string_view type,
                                                            std::string_view compartment) = 0;
  // Ids of current, non-deleted resources of `type`, at most `limit`.
  virtual Result<std::vector<std::string>> IdsOfType(std::string_view type, size_t limit) = 0;
  // Ids of patients whose managing organization is `organization_id`, at most `limit`.
  virtual Result<std::vector<std::string>> PatientsOfOrganization(std::string_view organization_id,
                                                                  size_t limit) = 0;

  virtual Result<std::optional<CompartmentRow>> Compartment(std::string_view id) = 0;

  // How the account (and its practitioner, "" for none) relates to a patient at `now_ms`.
  virtual Result<CareStanding> Standing(std::string_view practitioner_id,
                                        std::string_view account_id, std::string_view patient_id,
                                        int64_t now_ms) = 0;
  // Patients in the care of the practitioner or under an unexpired grant of the
  // account at `now_ms`, not deleted, at most `limit`.
  virtual Result<std::vector<std::string>> PatientsInCare(std::string_view practitioner_id,
                                                          std::string_view account_id,
                                                          int64_t now_ms, size_t limit) = 0;
  // The account's grants created at or after `since_ms`, newest first.
  virtual Result<std::vector<GrantRow>> GrantsSince(std::string_view account_id,
                                                    int64_t since_ms) = 0;
  // Alerts, newest first.
  virtual Result<std::vector<AlertRow>> Alerts(const AlertQuery& query) = 0;
  virtual Result<std::optional<AlertRow>> Alert(int64_t id) = 0;
  // Alerts with an id above `id`, oldest first, at most `limit`: what a follower of the
  // table (the event stream, the exporter) has not seen yet.
  virtual Result<std::vector<AlertRow>> AlertsAfter(int64_t id, int64_t limit) = 0;

  virtual Result<std::optional<AccountRow>> AccountByUsername(std::string_view username) = 0;
  virtual Result<std::optional<AccountRow>> AccountById(std::string_view id) = 0;
  virtual Result<std::vector<AccountRow>> Accounts() = 0;
  // Sessions of an account that are neither revoked nor past their absolute expiry at
  // `now_ms`, newest first.
  virtual Result<std::vector<SessionRow>> SessionsOfAccount(std::string_view account_id,
                                                            int64_t now_ms) = 0;
  virtual Result<std::optional<LoginChallengeRow>> Challenge(const TokenHash& challenge_hash) = 0;
  virtual Result<std::optional<LoginThrottleRow>> LoginThrottle(std::string_view subject) = 0;
  virtual Result<int64_t> UnusedRecoveryCodes(std::string_view account_id) = 0;
  virtual Result<std::optional<SessionRow>> SessionByTokenHash(const TokenHash& hash) = 0;
  // The session and its account, in one query (every authenticated request).
  virtual Result<std::optional<SessionAccount>> SessionWithAccount(const TokenHash& hash) = 0;

  virtual Result<int64_t> AuditCount() = 0;
  // The highest entry number, 0 for none: the count when no entry is missing, read from
  // the index (count(*) reads the whole table).
  virtual Result<int64_t> AuditLastSequence() = 0;
  virtual Result<std::optional<AuditSubtreeRow>> AuditSubtree(uint32_t level, uint64_t index) = 0;
  // The stored subtrees that appending the leaves at positions [begin, end) completed:
  // for each leaf in order, the leaf, then the subtrees ending with it, upward. The
  // missing ones are simply absent, and so is a row at a position no subtree has. One
  // range read instead of a lookup per node.
  virtual Result<std::vector<AuditSubtreeRow>> AuditSubtreesCompletedBy(uint64_t begin,
                                                                        uint64_t end) = 0;
  virtual Result<std::optional<TreeHeadRow>> LatestTreeHead() = 0;
  // Every signed head, oldest first (the verifier checks each against the others).
  virtual Result<std::vector<TreeHeadRow>> TreeHeads() = 0;
  // Entries with seq in [first, first + count).
  virtual Result<std::vector<AuditRow>> AuditEntries(int64_t first, int64_t count) = 0;
  // The same entries handed to `visit` in order as they are read, without copying their
  // bodies (the verifier reads every entry of the log); stops when `visit` returns
  // false. By default, through AuditEntries.
  virtual Status VisitAuditEntries(int64_t first, int64_t count,
                                   const std::function<bool(const AuditRowView&)>& visit) {
    ASSIGN_OR_RETURN(auto rows, AuditEntries(first, count));
    for (const AuditRow& row : rows)
      if (!visit({row.seq, row.recorded_at_ms, row.body})) break;
    return Ok();
  }
  // Entries newest first: seq below `scan.before_seq`, recorded in [from_ms, until_ms),
  // filed under `scan.term` when it is set; at most `scan.limit`, which must be positive.
  virtual Result<std::vector<AuditRow>> AuditEntriesBefore(const AuditScan& scan) = 0;

  // Keys and erasures.
  virtual Result<std::vector<KeyVersionRow>> KeyVersions() = 0;
  // (KEK version, data keys wrapped under it), by version.
  virtual Result<std::vector<std::pair<int, int64_t>>> DataKeysPerKekVersion() = 0;
  // Wrapped data keys not under KEK `version`, with compartment id after `after`, by id;
  // at most `limit`.
  virtual Result<std::vector<WrappedKeyRow>> DataKeysNotUnder(int version, std::string_view after,
                                                              size_t limit) = 0;
  // When the patient was erased, or nullopt.
  virtual Result<std::optional<int64_t>> ErasedAt(std::string_view patient_id) = 0;
  // Ids of current, non-deleted resources of `type` with id after `after`, by id; at
  // most `limit` (a rebuild pages through every resource).
  virtual Result<std::vector<std::string>> IdsOfTypeAfter(std::string_view type,
                                                          std::string_view after, size_t limit) = 0;
  // (account id, start of its latest session): when each account last logged in.
  virtual Result<std::vector<std::pair<std::string, int64_t>>> LastLogins() = 0;
};

struct StoreOptions {
  size_t max_group = 512;  // jobs per commit at most
  // Readers' page cache, per connection (SQLite cache_size in KiB).
  int reader_cache_kib = 16 * 1024;
  // For `medvault import` (SQLite only): with random ids, almost every resource of a
  // batch changes a page of its own in each index b-tree (~35,000 pages per batch of
  // 10,000), and the import commits groups of batches (cli/import_pipeline.h). The
  // writer then keeps a page cache of 512 MiB instead of 64 (a group's pages stay in
  // memory), and copies the WAL into the database file once it holds 262,144 pages
  // (1 GiB) instead of 1,000: a page that several commits change is copied and synced
  // once, not after each commit. Commits stay durable (synchronous=FULL) either way.
  bool bulk_load = false;
};

// Word that audit entries were appended by some process on the database: how a node
// learns of the entries the other nodes wrote without asking the database every moment.
// One listener per thread of its own.
class AuditAppendListener {
 public:
  virtual ~AuditAppendListener() = default;
  // Waits up to `timeout_ms` for word of appends committed since the last call: true
  // when some came, false when the time ran out. kUnavailable when the connection is
  // lost (the caller listens again with a new listener, and must assume it missed some).
  virtual Result<bool> Wait(int timeout_ms) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The calling thread's reader (created on first use, kept until the store closes).
  virtual Reader& reader() = 0;
  // Queues a job for the writer; `done` runs on the writer thread after the job's
  // group has committed (or failed). It must be quick: hand work to another thread.
  virtual void Submit(WriteJob job, WriteDone done) = 0;
  // Submits and waits. For the command line and tests, not for request threads.
  virtual Status Write(WriteJob job) = 0;
  // Where the writer hands the completions of a committed group: by default it runs
  // them itself; a server passes a function that runs the whole group's completions as
  // one task on its I/O threads. Empty restores the default. Safe to change at any time.
  using CompletionPoster = std::function<void(std::function<void()>)>;
  virtual void SetCompletionPoster(CompletionPoster poster) = 0;
  // Whether the writer's last commit failed for a reason of the storage (disk full,
  // read-only, I/O error), as opposed to a job's own refusal. Cleared by the next commit
  // that saves something. /healthz reports it, so that a load balancer stops sending
  // requests that could only be answered 503.
  virtual bool RefusingWrites() const = 0;
  // Stops the writer after draining queued jobs.
  virtual void Close() = 0;
  // The schema version after migrations.
  virtual int schema_version() const = 0;
  // Reads every page of the database (SQLite's quick_check, on a connection of its own):
  // kInvalid naming the first problem when the file is damaged. It reads the whole file
  // (about 3 s per GB from the page cache; a cold disk is slower); `serve` runs it before
  // it listens unless [storage] check_at_start = false.
  virtual Status CheckIntegrity() = 0;
  // Whether other server processes may append to the same audit log (PostgreSQL: any
  // number of nodes; SQLite: one server per data directory).
  virtual bool SharedByNodes() const { return false; }
  // A listener for appends committed by any process (its own included), on a connection
  // of its own. nullptr on an engine no other node shares.
  virtual Result<std::unique_ptr<AuditAppendListener>> ListenForAuditAppends() {
    return std::unique_ptr<AuditAppendListener>();
  }
};

// Opens (creating when `create`) the SQLite database at `path` and migrates it to the
// latest schema. Fails (kInvalid, with a message saying what to do) when the file is
// missing or empty (and !create), is not a medvault database, is damaged where opening
// reads, or has a newer schema than this binary knows.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create,
                                               const StoreOptions& options = {});

// Whether a configured database names a PostgreSQL server (postgresql:// or
// postgres:// URI) rather than a SQLite file.
bool IsPostgresLocation(std::string_view database);

// Connects to PostgreSQL (a libpq URI or connection string; TLS as libpq's sslmode
// says) and migrates medvault's tables to the latest schema. With `create` (init), an
// empty database gets the tables; without, a database without them is refused
// (kInvalid). A database holding tables of its own, or a newer schema than this binary
// knows, is refused too. kUnavailable when the server cannot be reached.
Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo, bool create,
                                                 const StoreOptions& options = {});

}  // namespace medvault::store
