// The single writer. Requests hand it jobs; it runs everything queued in one
// transaction (each job in its own savepoint), commits once with synchronous=FULL, and
// only then tells each job's owner the outcome. Many requests thus share one fsync,
// and no request hears "done" before its writes are durable.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/store.h"

namespace medvault::store::sqlite {

class GroupCommitWriter {
 public:
  GroupCommitWriter(std::unique_ptr<Connection> conn, size_t max_group);
  ~GroupCommitWriter();

  void Submit(WriteJob job, WriteDone done);
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
  void CommitGroup(std::deque<Pending>& group);
  void NoteStorageHealth(const std::vector<Status>& outcomes);

  std::unique_ptr<Connection> conn_;
  size_t max_group_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::atomic<bool> refusing_writes_{false};
  Store::CompletionPoster poster_;  // under mu_
  bool writer_waiting_ = false;     // under mu_
  size_t wake_at_ = 1;              // under mu_: the queue length the waiting writer awaits
  size_t last_group_size_ = 0;      // writer thread only
  static constexpr std::chrono::microseconds kGatherWindow{300};
  std::thread thread_;
};

}  // namespace medvault::store::sqlite
