// The Store over PostgreSQL (libpq): one writer connection running jobs in groups, one
// read connection per thread. The database is the server's (created by its operator,
// see docs/OPERATIONS.md); medvault creates its tables in it at `init` and migrates them
// at every start.
#include <spdlog/spdlog.h>

#include <stdexcept>
#include <string>

#include "store/group_commit_store.h"
#include "store/postgres/audit_listener.h"
#include "store/postgres/connection.h"
#include "store/postgres/group_commit.h"
#include "store/postgres/reader.h"
#include "store/postgres/schema.h"
#include "store/row_reading.h"
#include "store/store.h"

namespace medvault::store {
namespace {

using postgres::Connection;

// Held while migrating, so that two nodes starting at once do not both migrate ("MVLT").
constexpr int64_t kMigrationLock = 0x4D564C54;

Result<int64_t> QueryInt(Connection& conn, const char* sql) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare(sql));
  return SingleInt(*s);
}

Status ApplyMigrations(Connection& conn, bool create) {
  ASSIGN_OR_RETURN(auto lock, conn.Prepare("SELECT pg_advisory_xact_lock($1)"));
  lock->Bind(1, kMigrationLock);
  TRY(lock->Run());
  ASSIGN_OR_RETURN(int64_t known, QueryInt(conn,
                                           "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                           "current_schema() AND tablename = 'schema_migrations'"));
  if (known == 0) {
    ASSIGN_OR_RETURN(int64_t tables, QueryInt(conn,
                                              "SELECT count(*) FROM pg_tables WHERE "
                                              "schemaname = current_schema()"));
    if (tables > 0)
      return Fail(ErrorCode::kInvalid,
                  "the database is not a medvault database (it has tables of its own): give "
                  "medvault a database of its own");
    if (!create)
      return Fail(ErrorCode::kInvalid,
                  "the database has no medvault tables: run `medvault init --database …` first");
    TRY(conn.Exec(
        "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, description text NOT "
        "NULL, applied_at bigint NOT NULL)"));
  }
  ASSIGN_OR_RETURN(int64_t current,
                   QueryInt(conn, "SELECT coalesce(max(version), 0) FROM schema_migrations"));
  auto migrations = postgres::Migrations();
  if (auto notice = SchemaUpgradeNotice(current)) spdlog::info("{}", *notice);
  if (current > static_cast<int64_t>(migrations.size()))
    return Fail(ErrorCode::kInvalid, "the database schema (version " + std::to_string(current) +
                                         ") is newer than this medvault binary knows");
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    std::string sql(m.sql);
    TRY(conn.Exec(sql.c_str()));
    ASSIGN_OR_RETURN(auto record,
                     conn.Prepare("INSERT INTO schema_migrations (version, description, "
                                  "applied_at) VALUES ($1, $2, "
                                  "(extract(epoch FROM now()) * 1000)::bigint)"));
    record->Bind(1, int64_t{m.version}).Bind(2, m.description);
    TRY(record->Run());
  }
  return Ok();
}

Status Migrate(Connection& conn, bool create) {
  TRY(conn.Exec("BEGIN"));
  if (Status s = ApplyMigrations(conn, create); !s) {
    (void)conn.Exec("ROLLBACK");
    return s;
  }
  return conn.Exec("COMMIT");
}

class PostgresStore final : public GroupCommitStore {
 public:
  PostgresStore(std::string conninfo, std::unique_ptr<Connection> writer_conn, int schema_version,
                const StoreOptions& options)
      : GroupCommitStore(std::make_unique<postgres::PgGroupCommitter>(std::move(writer_conn)),
                         schema_version, options),
        conninfo_(std::move(conninfo)) {}

  // PostgreSQL checks its own pages as it reads them (with data checksums, when the
  // cluster has them). What this adds: the schema is the one this binary knows, and,
  // when the amcheck extension is installed in the database, every B-tree index of
  // medvault's tables passes bt_index_check (an index that disagrees with itself).
  Status CheckIntegrity() override {
    ASSIGN_OR_RETURN(auto conn, Connection::Open(conninfo_));
    ASSIGN_OR_RETURN(int64_t version,
                     QueryInt(*conn, "SELECT coalesce(max(version), 0) FROM schema_migrations"));
    if (version != schema_version())
      return Fail(ErrorCode::kInvalid, "the database schema is at version " +
                                           std::to_string(version) + ", not " +
                                           std::to_string(schema_version()));
    ASSIGN_OR_RETURN(int64_t amcheck, QueryInt(*conn,
                                               "SELECT count(*) FROM pg_extension WHERE extname = "
                                               "'amcheck'"));
    if (amcheck == 0) {
      spdlog::info(
          "PostgreSQL integrity: schema version {} ok; index checks need the amcheck "
          "extension (CREATE EXTENSION amcheck)",
          version);
      return Ok();
    }
    ASSIGN_OR_RETURN(auto check,
                     conn->Prepare("SELECT count(*) FROM pg_index i JOIN pg_class c ON "
                                   "c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                                   "WHERE a.amname = 'btree' AND c.relnamespace = "
                                   "current_schema()::regnamespace AND "
                                   "bt_index_check(i.indexrelid) IS NULL"));
    auto checked = SingleInt(*check);
    if (!checked)
      return Fail(ErrorCode::kInvalid, "the database is damaged (" + checked.error().message +
                                           "): restore it from a backup (docs/OPERATIONS.md)");
    return Ok();
  }

  bool SharedByNodes() const override { return true; }
  Result<std::unique_ptr<AuditAppendListener>> ListenForAuditAppends() override {
    ASSIGN_OR_RETURN(auto listener, postgres::PgAuditListener::Open(conninfo_));
    return std::unique_ptr<AuditAppendListener>(std::move(listener));
  }

 private:
  std::unique_ptr<Reader> OpenReader() override {
    auto conn = Connection::Open(conninfo_);
    if (!conn) {
      // The server was reachable when the store opened; a thread that cannot get a
      // connection now (the server gone, max_connections reached) cannot serve reads.
      throw std::runtime_error("cannot open a read connection to PostgreSQL: " +
                               conn.error().message);
    }
    (*conn)->set_reconnect_on_use(true);
    return std::make_unique<postgres::PgReader>(std::move(*conn));
  }

  std::string conninfo_;
};

}  // namespace

bool IsPostgresLocation(std::string_view database) {
  return database.starts_with("postgresql://") || database.starts_with("postgres://");
}

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& conninfo, bool create,
                                                 const StoreOptions& options) {
  ASSIGN_OR_RETURN(auto conn, Connection::Open(conninfo));
  TRY(Migrate(*conn, create));
  int version = static_cast<int>(postgres::Migrations().back().version);
  return std::unique_ptr<Store>(new PostgresStore(conninfo, std::move(conn), version, options));
}

}  // namespace medvault::store
