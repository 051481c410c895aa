#include "store/group_commit_writer.h"

#include <optional>

namespace medvault::store {

GroupCommitWriter::GroupCommitWriter(std::unique_ptr<GroupCommitter> committer, size_t max_group)
    : committer_(std::move(committer)), max_group_(max_group), thread_([this] { Run(); }) {}

GroupCommitWriter::~GroupCommitWriter() { Stop(); }

void GroupCommitWriter::Submit(WriteJob job, WriteDone done) {
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back({std::move(job), std::move(done)});
      queued_.store(queue_.size(), std::memory_order_relaxed);
      // Only a writer asleep on an empty queue needs waking; a gathering one watches
      // queued_.
      if (writer_waiting_) wake_.notify_one();
      return;
    }
  }
  done(Fail(ErrorCode::kUnavailable, "the server is shutting down"));
}

Status GroupCommitWriter::SubmitAndWait(WriteJob job) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<Status> result;
  Submit(std::move(job), [&](Status s) {
    std::lock_guard lock(mu);
    result = std::move(s);
    cv.notify_one();
  });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return result.has_value(); });
  return std::move(*result);
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
    // Under load, give the jobs of the requests now being prepared a moment to join
    // this commit: a group at least as large as the last one shares one commit, whose
    // pages and fsync cost more than anything else in it. An idle server (last group of
    // one) commits at once. The window opens when the last commit ends: after a quiet
    // spell longer than it, the writer sleeps and the next job, waking it, commits alone.
    if (last_group_size_ > 1) AwaitQueued(last_group_size_);
    std::deque<Pending> group;
    {
      std::unique_lock lock(mu_);
      writer_waiting_ = true;
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      writer_waiting_ = false;
      if (queue_.empty()) return;  // stopping, and everything queued is done
      while (!queue_.empty() && group.size() < max_group_) {
        group.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      queued_.store(queue_.size(), std::memory_order_relaxed);
    }
    last_group_size_ = group.size();
    CommitGroup(group);
  }
}

// Watches the queue's length, yielding the core to whoever needs it, rather than sleeping
// on the condition variable: a sleeping writer costs each request that wakes it a
// futex call, and the writer's core an interrupt to wake it, which on a virtual machine
// is dear (measured: bench/medvault_ab.sh, docs/PERFORMANCE.md). Bounded by
// kGatherWindow; past it the group is whatever has come.
void GroupCommitWriter::AwaitQueued(size_t n) const {
  const auto until = std::chrono::steady_clock::now() + kGatherWindow;
  while (queued_.load(std::memory_order_relaxed) < n && std::chrono::steady_clock::now() < until)
    std::this_thread::yield();
}

// Storage refused the group when any of its jobs failed as unavailable (the engines'
// classification of full, read-only, I/O and connection errors). A group whose jobs all
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
  std::vector<const WriteJob*> jobs;
  jobs.reserve(group.size());
  for (const Pending& p : group) jobs.push_back(&p.job);
  std::vector<Status> outcomes = committer_->CommitGroup(jobs);
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

}  // namespace medvault::store
