// The single writer, whatever the engine. Requests hand it jobs; it runs everything
// queued as one group in one transaction (each job in its own savepoint), commits once,
// and only then tells each job's owner the outcome. Many requests thus share one durable
// commit, and no request hears "done" before its writes are durable. How a group is run
// and committed is the engine's (GroupCommitter); the queue, the gathering of groups and
// the hand-over of completions are here.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "store/store.h"

namespace medvault::store {

// Runs one group of jobs in one transaction of the engine.
class GroupCommitter {
 public:
  virtual ~GroupCommitter() = default;
  // One outcome per job, in order: a job reported ok is durable. A job that fails is
  // rolled back alone; a failure that loses the whole transaction fails every job.
  virtual std::vector<Status> CommitGroup(std::span<const WriteJob* const> jobs) = 0;
};

class GroupCommitWriter {
 public:
  GroupCommitWriter(std::unique_ptr<GroupCommitter> committer, size_t max_group);
  ~GroupCommitWriter();

  void Submit(WriteJob job, WriteDone done);
  // Submits and waits (Store::Write).
  Status SubmitAndWait(WriteJob job);
  void SetCompletionPoster(Store::CompletionPoster poster);
  // Drains the queue, then stops the thread. Jobs submitted afterwards fail.
  void Stop();

  struct Stats {
    uint64_t commits = 0;
    uint64_t jobs = 0;
  };
  Stats stats() const;
  // See Store::RefusingWrites.
  bool refusing_writes() const { return refusing_writes_.load(std::memory_order_relaxed); }

 private:
  struct Pending {
    WriteJob job;
    WriteDone done;
  };

  void Run();
  void AwaitQueued(size_t n) const;
  void CommitGroup(std::deque<Pending>& group);
  void NoteStorageHealth(const std::vector<Status>& outcomes);

  std::unique_ptr<GroupCommitter> committer_;
  size_t max_group_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  std::atomic<size_t> queued_{0};  // queue_.size(), for the gathering writer to watch
  bool stopping_ = false;
  Stats stats_;
  std::atomic<bool> refusing_writes_{false};
  Store::CompletionPoster poster_;  // under mu_
  bool writer_waiting_ = false;     // under mu_: asleep until a first job comes
  size_t last_group_size_ = 0;      // writer thread only
  static constexpr std::chrono::microseconds kGatherWindow{300};
  std::thread thread_;
};

}  // namespace medvault::store
