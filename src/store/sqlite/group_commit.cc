#include "store/sqlite/group_commit.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>

#include "store/sqlite/transaction.h"

namespace medvault::store::sqlite {
namespace {

void TruncateWal(Connection& conn) {
  auto checkpoint = conn.Prepare("PRAGMA wal_checkpoint(TRUNCATE)");
  // One row: busy (1 when readers or another writer kept it from finishing), frames in
  // the WAL, frames checkpointed.
  if (checkpoint && (*checkpoint)->Step() && (*checkpoint)->Int(0) != 0)
    spdlog::warn(
        "the WAL could not be truncated after an erasure (busy); it will be at the "
        "next checkpoint");
}

}  // namespace

std::vector<Status> SqliteGroupCommitter::CommitGroup(std::span<const WriteJob* const> jobs) {
  std::vector<Status> outcomes;
  outcomes.reserve(jobs.size());
  Status begun = conn_->Exec("BEGIN IMMEDIATE");
  if (!begun) {
    for (size_t i = 0; i < jobs.size(); ++i)
      outcomes.push_back(Fail(ErrorCode::kUnavailable,
                              "the database is unavailable (" + begun.error().message + ")"));
    return outcomes;
  }
  SqliteTransaction txn(*conn_);
  // Some errors (an I/O error while SQLite spills its page cache to the WAL, a full
  // disk) make SQLite roll the whole transaction back, not just the statement. The
  // group is then lost: the jobs before lost their writes, and the jobs after must not
  // run, since outside a transaction SQLite would commit each on its own. (What a job
  // wrote after the rollback, before it returned, is committed already; it is reported
  // failed like the rest.)
  std::optional<std::string> lost;  // why
  // A lone job runs without a savepoint: if it fails, rolling the transaction back
  // undoes exactly its writes. A savepoint makes SQLite copy every page the job first
  // changes into an in-memory journal, and each statement that opens a statement
  // journal inside it (an upsert, an insert with triggers) walks that whole journal
  // when it ends: for an import batch of 10,000 resources (one job, ~30,000 pages),
  // that walk and the copies took a quarter of the writer's time.
  const bool alone = jobs.size() == 1;
  for (const WriteJob* job : jobs) {
    if (lost) {
      outcomes.push_back(Fail(ErrorCode::kUnavailable,
                              "the database rolled back (" + *lost + "); nothing was saved"));
      continue;
    }
    Status outcome = alone ? Ok() : conn_->Run("SAVEPOINT job");
    if (outcome) {
      outcome = (*job)(txn);
      if (sqlite3_get_autocommit(conn_->handle()) != 0) {
        lost = outcome ? "the transaction was rolled back" : outcome.error().message;
      } else if (!alone) {
        // A failed job leaves no trace; the others in the group still commit.
        if (!outcome) {
          (void)conn_->Run("ROLLBACK TO job");
          txn.WritesUndone();
        }
        (void)conn_->Run("RELEASE job");
      }
    }
    outcomes.push_back(std::move(outcome));
  }
  if (alone && !lost && !outcomes.front()) {
    // The lone job failed: it leaves no trace.
    (void)conn_->Exec("ROLLBACK");
    return outcomes;
  }
  Status committed = lost ? Status(Fail(ErrorCode::kUnavailable, *lost)) : conn_->Exec("COMMIT");
  if (!committed) {
    if (!lost) (void)conn_->Exec("ROLLBACK");
    // The cause (disk full, I/O error, read-only) is SQLite's class of error: what the
    // operator must fix, and nothing of the data.
    for (Status& o : outcomes)
      if (o)
        o = Fail(ErrorCode::kUnavailable, "the database could not commit (" +
                                              committed.error().message + "); nothing was saved");
  } else if (txn.wal_truncate_requested()) {
    // An erasure: the WAL still holds earlier images of the pages it overwrote. Copy
    // everything into the database file and truncate the WAL to nothing before anyone
    // hears that the erasure is done (readers finish their snapshots first).
    TruncateWal(*conn_);
  }
  return outcomes;
}

}  // namespace medvault::store::sqlite
