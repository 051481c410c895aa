// The writer when the disk fails in the middle of a group: an I/O error while SQLite
// spills its page cache rolls the whole transaction back under the writer. No job of
// that group may then be reported committed, and none may run outside the group's
// transaction (SQLite would commit each on its own, while the writer reports it failed).
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>

#include "store/held_group.h"
#include "store/store.h"

namespace medvault::store {
namespace {

ResourceRow Patient(std::string id, size_t body_bytes) {
  return ResourceRow{
      "Patient", std::move(id), 1, "p1", 1000, false, crypto::Bytes(body_bytes, 0x5a)};
}

// Caps this process's file size (writes past it fail with EFBIG) until destroyed.
class FileSizeCap {
 public:
  explicit FileSizeCap(rlim_t bytes) {
    ::signal(SIGXFSZ, SIG_IGN);
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit capped = saved_;
    capped.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &capped);
  }
  ~FileSizeCap() { ::setrlimit(RLIMIT_FSIZE, &saved_); }

 private:
  rlimit saved_{};
};

// Regression: the jobs after the failing one ran in autocommit mode and were committed
// one by one, while the writer reported them failed ("nothing was saved").
TEST(WriterFaults, AnIoErrorInTheMiddleOfAGroupFailsItWholeAndCommitsNothing) {
  char tmpl[] = "/tmp/medvault-writer-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  {
    auto store = std::move(*OpenSqliteStore(dir + "/medvault.db", true));
    std::vector<WriteJob> jobs;
    jobs.push_back([](Transaction& t) { return t.PutResourceVersion(Patient("before", 100)); });
    // 80 MiB of bodies: past the writer's 64 MiB page cache, SQLite spills to the WAL.
    jobs.push_back([](Transaction& t) -> Status {
      for (int i = 0; i < 80; ++i)
        TRY(t.PutResourceVersion(Patient("big-" + std::to_string(i), 1 << 20)));
      return Ok();
    });
    jobs.push_back([](Transaction& t) { return t.PutResourceVersion(Patient("after", 100)); });
    std::error_code ec;
    auto wal = std::filesystem::file_size(dir + "/medvault.db-wal", ec);
    std::vector<Status> outcomes;
    {
      FileSizeCap cap((ec ? 0 : wal) + (1 << 20));
      outcomes = RunAsOneGroup(*store, std::move(jobs));
    }
    for (size_t i = 0; i < 3; ++i) {
      ASSERT_FALSE(outcomes[i].has_value()) << "job " << i << " reported committed";
      EXPECT_EQ(outcomes[i].error().code, ErrorCode::kUnavailable) << "job " << i;
    }
    for (const char* id : {"before", "big-0", "after"}) {
      auto row = store->reader().Current("Patient", id);
      ASSERT_TRUE(row.has_value());
      EXPECT_FALSE(row->has_value()) << id << " was written by a job reported failed";
    }
    EXPECT_TRUE(store->RefusingWrites());
    // The disk is back: the writer goes on.
    EXPECT_TRUE(
        store->Write([](Transaction& t) { return t.PutResourceVersion(Patient("later", 100)); }));
    EXPECT_TRUE(store->reader().Current("Patient", "later")->has_value());
    EXPECT_FALSE(store->RefusingWrites());
  }
  std::filesystem::remove_all(dir);
}

// What /healthz reports: the storage's refusals, not a job's own (a conflict, a bad id).
TEST(WriterFaults, RefusingWritesFollowsTheStorageNotTheJobs) {
  char tmpl[] = "/tmp/medvault-writer-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  {
    auto store = std::move(*OpenSqliteStore(dir + "/medvault.db", true));
    auto refuse_itself = [](Transaction&) -> Status {
      return Fail(ErrorCode::kConflict, "version conflict");
    };
    EXPECT_FALSE(store->RefusingWrites());
    EXPECT_FALSE(store->Write(refuse_itself));
    EXPECT_FALSE(store->RefusingWrites()) << "a job's own refusal is not the disk's";
    {
      std::error_code ec;
      auto wal = std::filesystem::file_size(dir + "/medvault.db-wal", ec);
      FileSizeCap cap((ec ? 0 : wal) + 4096);
      Status big = store->Write(
          [](Transaction& t) { return t.PutResourceVersion(Patient("big", 8 << 20)); });
      ASSERT_FALSE(big);
      EXPECT_EQ(big.error().code, ErrorCode::kUnavailable);
      EXPECT_TRUE(store->RefusingWrites());
      EXPECT_FALSE(store->Write(refuse_itself));
      EXPECT_TRUE(store->RefusingWrites()) << "a job's refusal says nothing of the disk";
    }
    // The probe /healthz writes when the disk refused: it commits once the disk is back.
    EXPECT_TRUE(store->Write([](Transaction& t) { return t.TouchWriteProbe(1234); }));
    EXPECT_FALSE(store->RefusingWrites());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace medvault::store
