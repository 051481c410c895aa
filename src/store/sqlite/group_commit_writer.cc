#include "store/sqlite/group_commit_writer.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <string>
#include <vector>

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

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> conn, size_t max_group)
    : conn_(std::move(conn)), max_group_(max_group), thread_([this] { Run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Submit(WriteJob job, WriteDone done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(job), std::move(done)});
      // Wake the writer only when it waits for exactly this: a first job, or (while it
      // gathers a group) the group it hopes for. A wake-up that changes nothing costs
      // an inter-processor interrupt, which on a virtual machine is dear.
      if (writer_waiting_ && queue_.size() >= wake_at_) wake_.notify_one();
      return;
    }
  }
  done(Fail(ErrorCode::kUnavailable, "the server is shutting down"));
}

void GroupCommitWriter::SetCompletionPoster(Store::CompletionPoster poster) {
  std::lock_guard lock(mu_);
  poster_ = std::move(poster);
}

void GroupCommitWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();  // whatever it waits for
  }
  if (thread_.joinable()) thread_.join();
}

GroupCommitWriter::Stats GroupCommitWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitWriter::Run() {
  for (;;) {
    std::deque<Pending> group;
    {
      std::unique_lock lock(mu_);
      writer_waiting_ = true;
      wake_at_ = 1;
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      // Under load, give the jobs of the requests now being prepared a moment to join
      // this commit: a group at least as large as the last one shares one fsync, which
      // on a virtual disk costs more CPU than anything else in a commit. An idle server
      // (last group of one) commits at once.
      if (last_group_size_ > 1 && queue_.size() < last_group_size_) {
        wake_at_ = last_group_size_;
        wake_.wait_for(lock, kGatherWindow, [&] { return stopping_ || queue_.size() >= wake_at_; });
      }
      writer_waiting_ = false;
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    last_group_size_ = group.size();
    CommitGroup(group);
  }
}

// Storage refused the group when any of its jobs failed as unavailable (the writer's own
// classification of SQLite's full, read-only and I/O errors). A group whose jobs all
// failed for reasons of their own (a conflict, say) says nothing either way.
void GroupCommitWriter::NoteStorageHealth(const std::vector<Status>& outcomes) {
  bool refused = false, saved = false;
  for (const Status& o : outcomes) {
    refused = refused || (!o && o.error().code == ErrorCode::kUnavailable);
    saved = saved || o.has_value();
  }
  if (refused || saved) refusing_writes_.store(refused, std::memory_order_relaxed);
}

void GroupCommitWriter::CommitGroup(std::deque<Pending>& group) {
  std::vector<Status> outcomes;
  outcomes.reserve(group.size());
  Status begun = conn_->Exec("BEGIN IMMEDIATE");
  if (begun) {
    SqliteTransaction txn(*conn_);
    // Some errors (an I/O error while SQLite spills its page cache to the WAL, a full
    // disk) make SQLite roll the whole transaction back, not just the statement. The
    // group is then lost: the jobs before lost their writes, and the jobs after must not
    // run, since outside a transaction SQLite would commit each on its own. (What a job
    // wrote after the rollback, before it returned, is committed already; it is reported
    // failed like the rest.)
    std::optional<std::string> lost;  // why
    for (Pending& p : group) {
      if (lost) {
        outcomes.push_back(Fail(ErrorCode::kUnavailable,
                                "the database rolled back (" + *lost + "); nothing was saved"));
        continue;
      }
      Status outcome = conn_->Run("SAVEPOINT job");
      if (outcome) {
        outcome = p.job(txn);
        if (sqlite3_get_autocommit(conn_->handle()) != 0) {
          lost = outcome ? "the transaction was rolled back" : outcome.error().message;
        } else {
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
  } else {
    for (size_t i = 0; i < group.size(); ++i)
      outcomes.push_back(Fail(ErrorCode::kUnavailable,
                              "the database is unavailable (" + begun.error().message + ")"));
  }
  NoteStorageHealth(outcomes);
  Store::CompletionPoster poster;
  {
    std::lock_guard lock(mu_);
    ++stats_.commits;
    stats_.jobs += group.size();
    poster = poster_;
  }
  auto complete = [group = std::move(group), outcomes = std::move(outcomes)]() mutable {
    for (size_t i = 0; i < group.size(); ++i) group[i].done(std::move(outcomes[i]));
  };
  if (poster) {
    poster(std::move(complete));
  } else {
    complete();
  }
}

}  // namespace medvault::store::sqlite
