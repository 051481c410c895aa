#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/earlier_subtrees.h"
#include "store/engines.h"
#include "store/held_group.h"
#include "store/sqlite/schema.h"
#include "store/store.h"

namespace medvault::store {
namespace {

// A temporary directory for a test's files, removed after it.
class WithTempDir {
 protected:
  WithTempDir() {
    char tmpl[] = "/tmp/medvault-store-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    path_ = dir_ + "/medvault.db";
  }
  ~WithTempDir() { std::filesystem::remove_all(dir_); }
  std::string dir_, path_;
};

class StoreTest : public ::testing::TestWithParam<StoreEngine>, protected WithTempDir {
 protected:
  std::unique_ptr<Store> OpenFresh() {
    auto store = OpenTestStore(GetParam(), dir_);
    EXPECT_TRUE(store.has_value()) << store.error().message;
    return std::move(*store);
  }
};

ResourceRow Row(std::string id, int64_t version, std::string compartment = "p1") {
  return ResourceRow{
      "Patient", std::move(id),         version, std::move(compartment), 1000 * version,
      false,     crypto::Bytes{1, 2, 3}};
}

TEST_P(StoreTest, WritesVersionsAndReadsThemBack) {
  auto store = OpenFresh();
  ASSERT_TRUE(store->Write([](Transaction& t) { return t.PutResourceVersion(Row("a", 1)); }));
  ASSERT_TRUE(store->Write([](Transaction& t) { return t.PutResourceVersion(Row("a", 2)); }));
  Reader& r = store->reader();
  auto current = r.Current("Patient", "a");
  ASSERT_TRUE(current.has_value() && current->has_value());
  EXPECT_EQ((*current)->version, 2);
  auto v1 = r.Version("Patient", "a", 1);
  ASSERT_TRUE(v1.has_value() && v1->has_value());
  EXPECT_EQ((*v1)->last_updated_ms, 1000);
  auto history = r.History("Patient", "a");
  ASSERT_TRUE(history.has_value());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].version, 2);
  EXPECT_FALSE(r.Current("Patient", "b")->has_value());
}

TEST_P(StoreTest, DuplicateVersionIsAConflictAndRollsBackOnlyThatJob) {
  auto store = OpenFresh();
  ASSERT_TRUE(store->Write([](Transaction& t) { return t.PutResourceVersion(Row("a", 1)); }));
  auto dup = store->Write([](Transaction& t) -> Status {
    TRY(t.PutResourceVersion(Row("b", 1)));  // rolled back with the job
    return t.PutResourceVersion(Row("a", 1));
  });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(store->reader().Current("Patient", "b")->has_value());
}

// A group's failing job is rolled back alone, in the middle of a group as when it is
// the only job (SQLite runs a lone job without a savepoint of its own).
TEST_P(StoreTest, AFailedJobInAGroupLeavesTheOthersCommitted) {
  auto store = OpenFresh();
  ASSERT_TRUE(store->Write([](Transaction& t) { return t.PutResourceVersion(Row("a", 1)); }));
  std::vector<WriteJob> jobs;
  jobs.push_back([](Transaction& t) { return t.PutResourceVersion(Row("before", 1)); });
  jobs.push_back([](Transaction& t) -> Status {
    TRY(t.PutResourceVersion(Row("b", 1)));
    std::vector<int64_t> hashes{21};
    TRY(t.ReplaceIndex("Patient", "b", hashes));
    return t.PutResourceVersion(Row("a", 1));
  });
  jobs.push_back([](Transaction& t) { return t.PutResourceVersion(Row("after", 1)); });
  std::vector<Status> outcomes = RunAsOneGroup(*store, std::move(jobs));
  EXPECT_TRUE(outcomes[0].has_value());
  ASSERT_FALSE(outcomes[1].has_value());
  EXPECT_EQ(outcomes[1].error().code, ErrorCode::kConflict);
  EXPECT_TRUE(outcomes[2].has_value());
  Reader& r = store->reader();
  EXPECT_TRUE(r.Current("Patient", "before")->has_value());
  EXPECT_TRUE(r.Current("Patient", "after")->has_value());
  EXPECT_FALSE(r.Current("Patient", "b")->has_value());
  EXPECT_TRUE(r.IdsWithIndex("Patient", 21)->empty());
  // And alone: the failed job's writes are gone, the writer goes on.
  auto lone = store->Write([](Transaction& t) -> Status {
    TRY(t.PutResourceVersion(Row("c", 1)));
    return t.PutResourceVersion(Row("a", 1));
  });
  ASSERT_FALSE(lone.has_value());
  EXPECT_FALSE(r.Current("Patient", "c")->has_value());
  EXPECT_TRUE(store->Write([](Transaction& t) { return t.PutResourceVersion(Row("c", 1)); }));
  EXPECT_TRUE(r.Current("Patient", "c")->has_value());
}

TEST_P(StoreTest, IndexEntriesAreReplacedAndFound) {
  auto store = OpenFresh();
  ASSERT_TRUE(store->Write([](Transaction& t) -> Status {
    TRY(t.PutResourceVersion(Row("a", 1)));
    std::vector<int64_t> hashes{11, 12};
    return t.ReplaceIndex("Patient", "a", hashes);
  }));
  EXPECT_EQ(*store->reader().IdsWithIndex("Patient", 11), std::vector<std::string>{"a"});
  ASSERT_TRUE(store->Write([](Transaction& t) {
    std::vector<int64_t> hashes{13};
    return t.ReplaceIndex("Patient", "a", hashes);
  }));
  EXPECT_TRUE(store->reader().IdsWithIndex("Patient", 11)->empty());
  EXPECT_EQ(*store->reader().IdsWithIndex("Patient", 13), std::vector<std::string>{"a"});
  EXPECT_TRUE(store->reader().IdsWithIndex("Practitioner", 13)->empty());
}

TEST_P(StoreTest, ConcurrentSubmissionsShareCommits) {
  auto store = OpenFresh();
  constexpr int kThreads = 8, kPerThread = 50;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto s = store->Write([id](Transaction& txn) -> Status {
          crypto::Bytes body{1};
          TRY(txn.AppendAudit(1, body));
          return txn.PutResourceVersion(Row(id, 1));
        });
        if (s) ok.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);
  EXPECT_EQ(*store->reader().AuditCount(), kThreads * kPerThread);
  auto entries = store->reader().AuditEntries(1, 1000);
  ASSERT_TRUE(entries.has_value());
  ASSERT_EQ(entries->size(), size_t{kThreads * kPerThread});
  for (size_t i = 0; i < entries->size(); ++i) EXPECT_EQ((*entries)[i].seq, int64_t(i + 1));
}

TEST_P(StoreTest, AccountsHaveUniqueUsernames) {
  auto store = OpenFresh();
  AccountRow a;
  a.id = "id1";
  a.username = "dr.martin";
  a.role = "physician";
  a.password_hash = "$argon2id$x";
  a.created_at_ms = 1;
  ASSERT_TRUE(store->Write([&](Transaction& t) { return t.InsertAccount(a); }));
  a.id = "id2";
  auto dup = store->Write([&](Transaction& t) { return t.InsertAccount(a); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  auto found = store->reader().AccountByUsername("dr.martin");
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->id, "id1");
}

MEDVAULT_ON_EVERY_ENGINE(StoreTest);

// The SQLite file itself: what only a file-backed engine has.
class SqliteFileTest : public ::testing::Test, protected WithTempDir {};

TEST_F(SqliteFileTest, MigratesAFreshDatabaseAndReopensIt) {
  {
    auto store = std::move(*OpenSqliteStore(path_, true));
    EXPECT_EQ(store->schema_version(), store::kSchemaVersion);
  }
  auto again = OpenSqliteStore(path_, false);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ((*again)->schema_version(), store::kSchemaVersion);
}

// `medvault import` (StoreOptions::bulk_load): the WAL keeps a commit of 8 MiB (past the
// default threshold of 1,000 pages) instead of the writer copying it into the database
// file at once; the data is read back all the same, and is in the file once the store
// closes.
TEST_F(SqliteFileTest, BulkLoadLeavesLargeCommitsInTheWal) {
  auto database_bytes = [&] { return std::filesystem::file_size(path_); };
  auto write_8_mib = [](Store& store, const std::string& prefix) {
    return store.Write([&](Transaction& t) -> Status {
      for (int i = 0; i < 8; ++i)
        TRY(t.PutResourceVersion(ResourceRow{"Patient", prefix + std::to_string(i), 1, "p1", 1000,
                                             false, crypto::Bytes(1 << 20, 0x5a)}));
      return Ok();
    });
  };
  {
    auto store = std::move(*OpenSqliteStore(path_, true));
    ASSERT_TRUE(write_8_mib(*store, "checkpointed-"));
    EXPECT_GT(database_bytes(), 8u << 20) << "the default copies a large commit at once";
  }
  const auto before = database_bytes();
  {
    auto store = std::move(*OpenSqliteStore(path_, false, StoreOptions{.bulk_load = true}));
    ASSERT_TRUE(write_8_mib(*store, "bulk-"));
    EXPECT_LT(database_bytes(), before + (1u << 20)) << "checkpointed after the commit";
    EXPECT_TRUE(store->reader().Current("Patient", "bulk-7")->has_value());
  }
  EXPECT_GT(database_bytes(), before + (8u << 20)) << "not checkpointed when the store closed";
}

TEST_F(SqliteFileTest, MigratesTheAuditSubtreesAndIndexOfAVersion9Database) {
  const std::string sql = testing::EarlierDatabaseSql(
      sqlite::Migrations(),
      "PRAGMA application_id = 1297501268; CREATE TABLE schema_migrations (version INTEGER "
      "PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);",
      "x'", "'");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  std::string message = error != nullptr ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;

  auto store = OpenSqliteStore(path_, false);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), store::kSchemaVersion);
  testing::ExpectEarlierSubtreesKept((*store)->reader());
  testing::ExpectEarlierAuditIndexKept((*store)->reader());
}

TEST_F(SqliteFileTest, RefusesMissingAndForeignFiles) {
  auto missing = OpenSqliteStore(dir_ + "/absent.db", false);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalid);

  std::string junk = dir_ + "/junk.db";
  std::ofstream(junk) << "this is not a database at all, just some text in a file";
  auto not_db = OpenSqliteStore(junk, false);
  ASSERT_FALSE(not_db.has_value());
  EXPECT_NE(not_db.error().message.find("not a medvault database"), std::string::npos);

  std::string other = dir_ + "/other.db";
  sqlite3* db = nullptr;
  sqlite3_open(other.c_str(), &db);
  sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  auto foreign = OpenSqliteStore(other, false);
  ASSERT_FALSE(foreign.has_value());
  EXPECT_NE(foreign.error().message.find("not a medvault database"), std::string::npos);
}

}  // namespace
}  // namespace medvault::store
