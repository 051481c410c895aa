// What both engines' stores share: the group-commit writer, one reader per thread, and
// the Store methods that only pass through to them. An engine adds how a reader's
// connection is opened and how the database is checked.
#pragma once

#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "store/group_commit_writer.h"
#include "store/store.h"

namespace medvault::store {

class GroupCommitStore : public Store {
 public:
  GroupCommitStore(std::unique_ptr<GroupCommitter> committer, int schema_version,
                   const StoreOptions& options)
      : schema_version_(schema_version), writer_(std::move(committer), options.max_group) {}
  ~GroupCommitStore() override { Close(); }

  Reader& reader() override {
    std::lock_guard lock(readers_mu_);
    auto& slot = readers_[std::this_thread::get_id()];
    if (!slot) slot = OpenReader();
    return *slot;
  }
  void Submit(WriteJob job, WriteDone done) override {
    writer_.Submit(std::move(job), std::move(done));
  }
  Status Write(WriteJob job) override { return writer_.SubmitAndWait(std::move(job)); }
  void SetCompletionPoster(CompletionPoster poster) override {
    writer_.SetCompletionPoster(std::move(poster));
  }
  bool RefusingWrites() const override { return writer_.refusing_writes(); }
  void Close() override { writer_.Stop(); }
  int schema_version() const override { return schema_version_; }

 protected:
  // A new reader on a connection of its own (throws when none can be opened: the
  // database was reachable when the store opened, so that is a broken invariant).
  virtual std::unique_ptr<Reader> OpenReader() = 0;

 private:
  int schema_version_;
  GroupCommitWriter writer_;
  std::mutex readers_mu_;
  std::unordered_map<std::thread::id, std::unique_ptr<Reader>> readers_;
};

}  // namespace medvault::store
