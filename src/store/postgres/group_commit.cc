#include "store/postgres/group_commit.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>

#include "store/postgres/transaction.h"

namespace medvault::store::postgres {
namespace {

std::vector<Status> FailAll(size_t n, const std::string& message) {
  std::vector<Status> outcomes;
  for (size_t i = 0; i < n; ++i) outcomes.push_back(Fail(ErrorCode::kUnavailable, message));
  return outcomes;
}

}  // namespace

std::vector<Status> PgGroupCommitter::CommitGroup(std::span<const WriteJob* const> jobs) {
  // A connection lost since the last group (a restarted server, a network cut) is made
  // again here, between transactions, never in the middle of one: statements after a
  // reconnection would each commit on their own.
  if (!conn_->EnsureConnected())
    return FailAll(jobs.size(), "the database is unavailable (cannot reach PostgreSQL)");
  // One writer at a time per database, whatever the process: the lock is what SQLite's
  // BEGIN IMMEDIATE is, so that `medvault keys rotate` or `erase` beside a running server
  // cannot take the same audit sequence number ("MVLW"; released at COMMIT or ROLLBACK).
  Status begun = conn_->Exec("BEGIN; SELECT pg_advisory_xact_lock(1297501271)");
  if (!begun)
    return FailAll(jobs.size(), "the database is unavailable (" + begun.error().message + ")");
  std::vector<Status> outcomes;
  outcomes.reserve(jobs.size());
  PgTransaction txn(*conn_);
  // The transaction is lost when the connection breaks or a savepoint cannot be rolled
  // back to: the jobs before lost their writes and the jobs after must not run.
  std::optional<std::string> lost;  // why
  for (const WriteJob* job : jobs) {
    if (lost) {
      outcomes.push_back(Fail(ErrorCode::kUnavailable,
                              "the database rolled back (" + *lost + "); nothing was saved"));
      continue;
    }
    // Round trips, not statements, are what a job costs: the savepoint travels with the
    // job's first statement that needs an answer, and the job's deferred writes (its
    // audit rows) with its release (pipeline.cc).
    Status outcome = conn_->Defer("SAVEPOINT job");
    if (!outcome) {
      lost = outcome.error().message;
      outcomes.push_back(std::move(outcome));
      continue;
    }
    outcome = (*job)(txn);
    // A job that went on after one of its statements failed (PostgreSQL then refuses
    // every statement until the savepoint is rolled back to) saved nothing after it.
    if (outcome && !conn_->HasDeferred() && !conn_->InUsableTransaction())
      outcome = Fail(ErrorCode::kInternal, "a statement of the job failed and it went on");
    bool released = false;
    if (outcome) {
      outcome = conn_->Defer("RELEASE job");
      if (outcome) outcome = conn_->Flush();  // a failure here is the job's, or the release's
      released = outcome.has_value();
    }
    // A failed job leaves no trace; the others in the group still commit. Its queue is
    // sent first (its savepoint may still be in it), whatever becomes of it: the rollback
    // undoes it.
    if (!outcome) {
      (void)conn_->Flush();
      if (Status undone = conn_->Run("ROLLBACK TO job"); !undone) {
        lost = undone.error().message;
      } else {
        txn.WritesUndone();
      }
    }
    if (!lost && !released) {
      if (Status r = conn_->Run("RELEASE job"); !r) lost = r.error().message;
    }
    outcomes.push_back(std::move(outcome));
  }
  // COMMIT of an aborted transaction "succeeds" as a rollback: check first.
  if (!lost && !conn_->InUsableTransaction()) lost = "the transaction was aborted";
  // The other nodes hear of the entries when they commit (PostgreSQL delivers a
  // notification at COMMIT, and drops it on ROLLBACK; audit_listener.h listens). A job
  // rolled back after it appended makes a needless wake-up, no more. pg_notify rather
  // than NOTIFY: a function call can be prepared like every other statement.
  if (!lost && txn.audit_appended()) {
    if (Status told = conn_->Run("SELECT pg_notify('medvault_audit', '')"); !told)
      lost = told.error().message;
  }
  Status committed = lost ? Status(Fail(ErrorCode::kUnavailable, *lost)) : conn_->Exec("COMMIT");
  if (!committed) {
    conn_->DropDeferred();  // (a lost group may have left some; ROLLBACK undoes them)
    (void)conn_->Exec("ROLLBACK");
    // The cause is PostgreSQL's primary message (a lost connection, a full disk, a
    // read-only server): what the operator must fix, and nothing of the data. A COMMIT
    // whose answer was lost with the connection may still have committed; the jobs are
    // reported failed all the same (a retry then finds its version taken, a conflict).
    for (Status& o : outcomes)
      if (o)
        o = Fail(ErrorCode::kUnavailable, "the database could not commit (" +
                                              committed.error().message + "); nothing was saved");
  } else if (txn.vacuum_requested()) {
    // An erasure: prune the dead rows now rather than at autovacuum's next visit.
    if (!conn_->Exec("VACUUM compartments, resource_versions, current_resources, search_index, "
                     "care_links, alerts, access_grants"))
      spdlog::warn("VACUUM after an erasure failed; autovacuum will prune the rows later");
  }
  return outcomes;
}

}  // namespace medvault::store::postgres
