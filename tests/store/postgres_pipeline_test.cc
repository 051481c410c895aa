// Deferred statements (libpq's pipeline mode, src/store/postgres/pipeline.cc): they
// run in the order given, before the statement that sends them; a failure among them is
// reported by whatever sends them and aborts the transaction; a lost connection loses
// them with it.
#include <gtest/gtest.h>

#include "store/engines.h"
#include "store/postgres/connection.h"

namespace medvault::store::postgres {
namespace {

class PostgresPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    auto* server = testing::SharedPostgres(error);
    ASSERT_NE(server, nullptr) << error;
    static int next = 0;
    std::string uri = server->CreateDatabase(
        "pipe" + std::to_string(::getpid()) + "_" + std::to_string(next++), error);
    ASSERT_FALSE(uri.empty()) << error;
    auto conn = Connection::Open(uri);
    ASSERT_TRUE(conn.has_value()) << conn.error().message;
    conn_ = std::move(*conn);
    ASSERT_TRUE(conn_->Exec("CREATE TABLE t (id bigint PRIMARY KEY)"));
    uri_ = uri;
  }

  Status DeferInsert(int64_t id) {
    auto s = conn_->Prepare("INSERT INTO t (id) VALUES ($1)");
    if (!s) return std::unexpected(s.error());
    (*s)->Bind(1, id);
    return (*s)->Defer();
  }

  int64_t Count() {
    auto s = conn_->Prepare("SELECT count(*) FROM t");
    EXPECT_TRUE(s.has_value());
    EXPECT_TRUE((*s)->Step()) << (*s)->status().error().message;
    return (*s)->Int(0);
  }

  std::string uri_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(PostgresPipelineTest, DeferredStatementsRunBeforeTheStatementThatSendsThem) {
  ASSERT_TRUE(conn_->Exec("BEGIN"));
  for (int64_t id : {1, 2, 3}) ASSERT_TRUE(DeferInsert(id));
  EXPECT_TRUE(conn_->HasDeferred());
  EXPECT_EQ(Count(), 3);  // one round trip: the inserts, then the count
  EXPECT_FALSE(conn_->HasDeferred());
  ASSERT_TRUE(DeferInsert(4));
  ASSERT_TRUE(conn_->Exec("COMMIT"));  // sends the queue first
  EXPECT_EQ(Count(), 4);
}

TEST_F(PostgresPipelineTest, AFailureAmongThemIsReportedByWhatSendsThemAndAbortsTheRest) {
  ASSERT_TRUE(conn_->Exec("BEGIN"));
  ASSERT_TRUE(DeferInsert(1));
  ASSERT_TRUE(DeferInsert(1));  // a duplicate key
  ASSERT_TRUE(DeferInsert(2));
  auto s = conn_->Prepare("SELECT count(*) FROM t");
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE((*s)->Step());  // it was not run: the answer is the duplicate's failure
  ASSERT_FALSE((*s)->status().has_value());
  EXPECT_EQ((*s)->status().error().code, ErrorCode::kConflict);
  EXPECT_FALSE(conn_->InUsableTransaction());
  ASSERT_TRUE(conn_->Exec("ROLLBACK"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(PostgresPipelineTest, FlushReportsTheFirstFailure) {
  ASSERT_TRUE(conn_->Exec("BEGIN"));
  ASSERT_TRUE(DeferInsert(7));
  ASSERT_TRUE(DeferInsert(7));
  Status flushed = conn_->Flush();
  ASSERT_FALSE(flushed.has_value());
  EXPECT_EQ(flushed.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(conn_->HasDeferred());
  ASSERT_TRUE(conn_->Exec("ROLLBACK"));
  EXPECT_TRUE(conn_->Flush());  // nothing queued: nothing to report
}

TEST_F(PostgresPipelineTest, DroppedStatementsAreNeverSent) {
  ASSERT_TRUE(DeferInsert(1));
  conn_->DropDeferred();
  EXPECT_EQ(Count(), 0);
}

TEST_F(PostgresPipelineTest, ALostConnectionFailsThemAsUnavailable) {
  auto admin = Connection::Open(uri_);
  ASSERT_TRUE(admin.has_value());
  ASSERT_TRUE(conn_->Exec("BEGIN"));
  ASSERT_TRUE(DeferInsert(1));
  ASSERT_TRUE((*admin)->Exec(
      "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = "
      "current_database() AND pid <> pg_backend_pid()"));
  Status flushed = conn_->Flush();
  ASSERT_FALSE(flushed.has_value());
  EXPECT_EQ(flushed.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(conn_->EnsureConnected());
  EXPECT_EQ(Count(), 0);  // and the connection works again, out of pipeline mode
}

}  // namespace
}  // namespace medvault::store::postgres
