// What only the PostgreSQL engine has: a database that is the server's rather than a
// file of medvault's own, statements refused after a failed one until the job's
// savepoint is rolled back to, and a connection that can be lost in the middle of a group.
#include <gtest/gtest.h>

#include "store/earlier_subtrees.h"
#include "store/engines.h"
#include "store/held_group.h"
#include "store/postgres/connection.h"
#include "store/postgres/schema.h"
#include "store/store.h"

namespace medvault::store {
namespace {

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = testing::SharedPostgres(error);
    ASSERT_NE(server_, nullptr) << error;
  }
  std::string NewDatabase() {
    static int next = 0;
    std::string error;
    std::string uri = server_->CreateDatabase(
        "pg" + std::to_string(::getpid()) + "_" + std::to_string(next++), error);
    EXPECT_FALSE(uri.empty()) << error;
    return uri;
  }

  const testing::ThrowawayPostgres* server_ = nullptr;
};

AccountRow Account(std::string id, std::string username) {
  AccountRow a;
  a.id = std::move(id);
  a.username = std::move(username);
  a.role = "physician";
  a.password_hash = "$argon2id$x";
  a.created_at_ms = 1;
  return a;
}

TEST_F(PostgresStoreTest, CreatesTheTablesAtInitAndOpensThemAfterwards) {
  std::string uri = NewDatabase();
  auto before_init = OpenPostgresStore(uri, false);
  ASSERT_FALSE(before_init.has_value());
  EXPECT_EQ(before_init.error().code, ErrorCode::kInvalid);
  EXPECT_NE(before_init.error().message.find("medvault init"), std::string::npos);
  {
    auto created = OpenPostgresStore(uri, true);
    ASSERT_TRUE(created.has_value()) << created.error().message;
    EXPECT_EQ((*created)->schema_version(), store::kSchemaVersion);
    EXPECT_TRUE((*created)->CheckIntegrity());
  }
  auto again = OpenPostgresStore(uri, false);
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ((*again)->schema_version(), store::kSchemaVersion);
}

TEST_F(PostgresStoreTest, MigratesTheAuditSubtreesAndIndexOfAVersion9Database) {
  std::string uri = NewDatabase();
  const std::string sql = testing::EarlierDatabaseSql(
      postgres::Migrations(),
      "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, description text NOT NULL, "
      "applied_at bigint NOT NULL);",
      "'\\x", "'::bytea");
  {
    auto conn = postgres::Connection::Open(uri);
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    Status built = (*conn)->Exec(sql.c_str());
    ASSERT_TRUE(built) << built.error().message;
  }
  auto store = OpenPostgresStore(uri, false);
  ASSERT_TRUE(store.has_value()) << store.error().message;
  EXPECT_EQ((*store)->schema_version(), store::kSchemaVersion);
  testing::ExpectEarlierSubtreesKept((*store)->reader());
  testing::ExpectEarlierAuditIndexKept((*store)->reader());
}

TEST_F(PostgresStoreTest, RefusesADatabaseWithTablesOfItsOwn) {
  std::string uri = NewDatabase();
  auto conn = postgres::Connection::Open(uri);
  ASSERT_TRUE(conn.has_value()) << conn.error().message;
  ASSERT_TRUE((*conn)->Exec("CREATE TABLE invoices (id bigint)"));
  auto store = OpenPostgresStore(uri, true);
  ASSERT_FALSE(store.has_value());
  EXPECT_NE(store.error().message.find("not a medvault database"), std::string::npos);
}

TEST_F(PostgresStoreTest, AnUnreachableServerIsUnavailable) {
  auto store = OpenPostgresStore("postgresql://medvault@%2Fnonexistent-medvault-dir/x", true);
  ASSERT_FALSE(store.has_value());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
}

// PostgreSQL refuses every statement after a failed one until the savepoint is rolled
// back to; a job that ignores a failure and goes on fails alone, the others commit.
TEST_F(PostgresStoreTest, AJobThatGoesOnAfterAFailedStatementFailsAlone) {
  auto store = std::move(*OpenPostgresStore(NewDatabase(), true));
  ASSERT_TRUE(store->Write([](Transaction& t) { return t.InsertAccount(Account("a1", "dr.a")); }));
  Status ignored = store->Write([](Transaction& t) -> Status {
    (void)t.InsertAccount(Account("a2", "dr.a"));  // a conflict, ignored
    return t.InsertAccount(Account("a3", "dr.c"));
  });
  ASSERT_FALSE(ignored.has_value());
  EXPECT_FALSE(store->reader().AccountById("a3")->has_value());
  EXPECT_TRUE(store->Write([](Transaction& t) { return t.InsertAccount(Account("a4", "dr.d")); }));
  EXPECT_TRUE(store->reader().AccountById("a4")->has_value());
}

// A connection lost in the middle of a group loses the whole transaction: no job of the
// group may be reported committed, none of its writes may be there, and the writer
// reconnects for the next group.
TEST_F(PostgresStoreTest, ALostConnectionFailsTheWholeGroupAndTheWriterReconnects) {
  std::string uri = NewDatabase();
  auto store = std::move(*OpenPostgresStore(uri, true));
  auto admin = std::move(*postgres::Connection::Open(uri));
  std::vector<WriteJob> jobs;
  jobs.push_back([](Transaction& t) { return t.InsertAccount(Account("before", "u1")); });
  jobs.push_back([&](Transaction& t) -> Status {
    // The writer's own backend is cut off mid-transaction (and gone before the job goes
    // on: with a timeout, pg_terminate_backend waits for the backend to exit).
    EXPECT_TRUE(
        admin->Exec("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = "
                    "current_database() AND pid <> pg_backend_pid() AND state = 'idle in "
                    "transaction'"));
    return t.InsertAccount(Account("during", "u2"));
  });
  jobs.push_back([](Transaction& t) { return t.InsertAccount(Account("after", "u3")); });
  std::vector<Status> outcomes = RunAsOneGroup(*store, std::move(jobs));
  for (size_t i = 0; i < outcomes.size(); ++i) {
    ASSERT_FALSE(outcomes[i].has_value()) << "job " << i << " reported committed";
    EXPECT_EQ(outcomes[i].error().code, ErrorCode::kUnavailable) << "job " << i;
  }
  for (const char* id : {"before", "during", "after"})
    EXPECT_FALSE(store->reader().AccountById(id)->has_value()) << id;
  EXPECT_TRUE(store->RefusingWrites());
  EXPECT_TRUE(store->Write([](Transaction& t) { return t.InsertAccount(Account("later", "u4")); }));
  EXPECT_TRUE(store->reader().AccountById("later")->has_value());
  EXPECT_FALSE(store->RefusingWrites());
}

// A snapshot sees one state of the database across its calls, whatever commits meanwhile.
TEST_F(PostgresStoreTest, ASnapshotKeepsItsViewWhileTheWriterCommits) {
  auto store = std::move(*OpenPostgresStore(NewDatabase(), true));
  ASSERT_TRUE(store->Write([](Transaction& t) { return t.InsertAccount(Account("a1", "dr.a")); }));
  Reader& reader = store->reader();
  {
    auto snapshot = reader.BeginSnapshot();
    ASSERT_TRUE(reader.AccountById("a1")->has_value());
    ASSERT_TRUE(
        store->Write([](Transaction& t) { return t.InsertAccount(Account("a2", "dr.b")); }));
    EXPECT_FALSE(reader.AccountById("a2")->has_value());
  }
  EXPECT_TRUE(reader.AccountById("a2")->has_value());
}

}  // namespace
}  // namespace medvault::store

namespace medvault::store {
namespace {

// Several nodes: a commit that appended audit entries wakes every listener, on whichever
// store (node) it listens; a commit without entries wakes none.
TEST_F(PostgresStoreTest, AnAuditAppendWakesTheListenersOfEveryNode) {
  std::string uri = NewDatabase();
  auto node_a = std::move(*OpenPostgresStore(uri, true));
  auto node_b = std::move(*OpenPostgresStore(uri, false));
  ASSERT_TRUE(node_a->SharedByNodes());
  auto listener = node_b->ListenForAuditAppends();
  ASSERT_TRUE(listener) << listener.error().message;
  ASSERT_NE(*listener, nullptr);
  EXPECT_EQ((*listener)->Wait(50), false);

  ASSERT_TRUE(node_a->Write([](Transaction& t) { return t.InsertAccount(Account("a1", "u1")); }));
  EXPECT_EQ((*listener)->Wait(200), false) << "no entry, no word";
  ASSERT_TRUE(node_a->Write([](Transaction& t) -> Status {
    TRY(t.AppendAudit(1, crypto::Bytes{1}));
    return Ok();
  }));
  auto woke = (*listener)->Wait(5000);
  ASSERT_TRUE(woke) << woke.error().message;
  EXPECT_TRUE(*woke);
  EXPECT_EQ((*listener)->Wait(50), false) << "one commit, one word";
}

TEST_F(PostgresStoreTest, AListenerWhoseConnectionIsLostSaysSo) {
  std::string uri = NewDatabase();
  auto store = std::move(*OpenPostgresStore(uri, true));
  auto listener = std::move(*store->ListenForAuditAppends());
  auto admin = std::move(*postgres::Connection::Open(uri));
  ASSERT_TRUE(
      admin->Exec("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = "
                  "current_database() AND query LIKE 'LISTEN%'"));
  Result<bool> woke = false;
  for (int i = 0; i < 50 && woke && !*woke; ++i) woke = listener->Wait(100);
  ASSERT_FALSE(woke);
  EXPECT_EQ(woke.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace medvault::store
