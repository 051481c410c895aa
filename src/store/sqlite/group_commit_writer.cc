#include "store/sqlite/group_commit_writer.h"

#include <vector>

#include "store/sqlite/transaction.h"

namespace medvault::store::sqlite {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<Connection> conn, size_t max_group)
    : conn_(std::move(conn)), max_group_(max_group), thread_([this] { Run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Submit(WriteJob job, WriteDone done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(job), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(Fail(ErrorCode::kUnavailable, "the server is shutting down"));
}

void GroupCommitWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
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
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued is done
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    CommitGroup(group);
  }
}

void GroupCommitWriter::CommitGroup(std::deque<Pending>& group) {
  std::vector<Status> outcomes;
  outcomes.reserve(group.size());
  Status begun = conn_->Exec("BEGIN IMMEDIATE");
  if (begun) {
    SqliteTransaction txn(*conn_);
    for (Pending& p : group) {
      Status outcome = conn_->Run("SAVEPOINT job");
      if (outcome) {
        outcome = p.job(txn);
        // A failed job leaves no trace; the others in the group still commit.
        if (!outcome) (void)conn_->Run("ROLLBACK TO job");
        (void)conn_->Run("RELEASE job");
      }
      outcomes.push_back(std::move(outcome));
    }
    Status committed = conn_->Exec("COMMIT");
    if (!committed) {
      (void)conn_->Exec("ROLLBACK");
      for (Status& o : outcomes)
        if (o)
          o = Fail(ErrorCode::kUnavailable, "the database could not commit; nothing was saved");
    }
  } else {
    for (size_t i = 0; i < group.size(); ++i)
      outcomes.push_back(Fail(ErrorCode::kUnavailable, "the database is unavailable"));
  }
  {
    std::lock_guard lock(mu_);
    ++stats_.commits;
    stats_.jobs += group.size();
  }
  for (size_t i = 0; i < group.size(); ++i) group[i].done(std::move(outcomes[i]));
}

}  // namespace medvault::store::sqlite
