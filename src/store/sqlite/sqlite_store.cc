#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <stdexcept>
#include <string>

#include "store/group_commit_store.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/group_commit.h"
#include "store/sqlite/reader.h"
#include "store/sqlite/schema.h"
#include "store/store.h"

namespace medvault::store {
namespace {

using sqlite::Connection;

// "MVLT": marks a SQLite file as a medvault database.
constexpr int64_t kApplicationId = 0x4D564C54;

Result<int64_t> QueryInt(Connection& conn, const char* sql) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare(sql));
  int64_t value = s->Step() ? s->Int(0) : 0;
  TRY(s->status());
  return value;
}

std::unexpected<Error> Damaged(const std::string& path, std::string_view problem) {
  return Fail(ErrorCode::kInvalid, "the database " + path + " is damaged (" + std::string(problem) +
                                       "): restore it from a backup (docs/OPERATIONS.md)");
}

Status ConfigureWriter(Connection& conn, const StoreOptions& options) {
  // WAL lets readers run beside the writer; synchronous=FULL makes every commit
  // durable (fsync) before it returns, which the audit guarantee relies on. Debian's
  // SQLite already defaults to FULL; saying it keeps it true on any build.
  TRY(conn.Exec("PRAGMA journal_mode = WAL"));
  TRY(conn.Exec("PRAGMA synchronous = FULL"));
  TRY(conn.Exec("PRAGMA foreign_keys = ON"));
  // Deleted rows are overwritten with zeros in their pages, not left in free space: what
  // an erasure removes (a wrapped data key, sealed bodies) must not stay readable in the
  // file. Debian's SQLite defaults to it; saying it keeps it true on any build.
  TRY(conn.Exec("PRAGMA secure_delete = ON"));
  // Checkpoint every ~4 MiB of WAL and truncate the WAL file back to 64 MiB at most
  // after a checkpoint, so it cannot grow without bound. A page cache that holds a
  // large group's pages: with the 2 MiB default, a bulk import batch spilled and re-read
  // pages it was still writing (random ids touch a new leaf page per row).
  // StoreOptions::bulk_load says why an import wants more of both.
  if (options.bulk_load) {
    TRY(conn.Exec("PRAGMA wal_autocheckpoint = 262144"));
    TRY(conn.Exec("PRAGMA cache_size = -524288"));
  } else {
    TRY(conn.Exec("PRAGMA wal_autocheckpoint = 1000"));
    TRY(conn.Exec("PRAGMA cache_size = -65536"));
  }
  TRY(conn.Exec("PRAGMA journal_size_limit = 67108864"));
  return Ok();
}

Status Migrate(Connection& conn, bool fresh) {
  ASSIGN_OR_RETURN(int64_t app_id, QueryInt(conn, "PRAGMA application_id"));
  ASSIGN_OR_RETURN(int64_t tables, QueryInt(conn, "SELECT count(*) FROM sqlite_schema"));
  if (app_id != kApplicationId && !(fresh && tables == 0 && app_id == 0))
    return Fail(ErrorCode::kInvalid, "the database file is not a medvault database");
  TRY(conn.Exec("BEGIN IMMEDIATE"));
  auto run = [&]() -> Status {
    TRY(conn.Exec("PRAGMA application_id = 1297501268"));  // kApplicationId
    TRY(
        conn.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                  "description TEXT NOT NULL, applied_at INTEGER NOT NULL)"));
    ASSIGN_OR_RETURN(int64_t current,
                     QueryInt(conn, "SELECT coalesce(max(version), 0) FROM schema_migrations"));
    auto migrations = sqlite::Migrations();
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
                                    "applied_at) VALUES (?1, ?2, CAST(strftime('%s','now') AS "
                                    "INTEGER) * 1000)"));
      record->Bind(1, int64_t{m.version}).Bind(2, m.description);
      TRY(record->Run());
    }
    return Ok();
  };
  if (Status s = run(); !s) {
    (void)conn.Exec("ROLLBACK");
    return s;
  }
  return conn.Exec("COMMIT");
}

class SqliteStore final : public GroupCommitStore {
 public:
  SqliteStore(std::string path, std::unique_ptr<Connection> writer_conn, int schema_version,
              const StoreOptions& options)
      : GroupCommitStore(std::make_unique<sqlite::SqliteGroupCommitter>(std::move(writer_conn)),
                         schema_version, options),
        path_(std::move(path)),
        options_(options) {}

  Status CheckIntegrity() override {
    ASSIGN_OR_RETURN(auto conn, Connection::Open(path_, false));
    TRY(conn->Exec("PRAGMA query_only = ON"));
    // quick_check(1): the first problem is enough to refuse the file.
    auto check = conn->Prepare("PRAGMA quick_check(1)");
    if (!check) return Damaged(path_, check.error().message);
    std::string verdict = (*check)->Step() ? std::string((*check)->Text(0)) : "";
    if (!(*check)->status()) return Damaged(path_, (*check)->status().error().message);
    if (verdict != "ok") {
      for (char& c : verdict)
        if (c == '\n') c = ' ';
      return Damaged(path_, verdict);
    }
    return Ok();
  }

 private:
  std::unique_ptr<Reader> OpenReader() override {
    auto conn = Connection::Open(path_, false);
    if (conn) {
      auto& c = **conn;
      std::string cache = "PRAGMA cache_size = -" + std::to_string(options_.reader_cache_kib);
      // No memory map: every commit (each request's audit entry) changes the WAL,
      // and SQLite then unmaps a reader's whole mapping at its next transaction; the
      // munmap's TLB shootdown interrupts every core, once per request (measured).
      if (c.Exec("PRAGMA query_only = ON") && c.Exec(cache.c_str()))
        return std::make_unique<sqlite::SqliteReader>(std::move(*conn));
    }
    // Opening another connection to a database the writer holds open fails only when
    // the process is out of descriptors or memory: a broken invariant, not bad input.
    throw std::runtime_error("cannot open a read connection to " + path_);
  }

  std::string path_;
  StoreOptions options_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create,
                                               const StoreOptions& options) {
  struct stat st {};
  bool exists = ::stat(path.c_str(), &st) == 0;
  if (!exists && !create) return Fail(ErrorCode::kInvalid, "database " + path + " does not exist");
  // An empty file is a new database only for `init`: anywhere else it is a database
  // lost (a truncated copy, a full disk during a restore), and SQLite would quietly
  // start over in it.
  if (exists && st.st_size == 0 && !create)
    return Fail(ErrorCode::kInvalid,
                "database " + path + " is empty (0 bytes): restore it from a backup");
  bool fresh = !exists || st.st_size == 0;
  ASSIGN_OR_RETURN(auto conn, Connection::Open(path, create));
  // SQLite quietly opens a file it may not write read-only; every commit would fail.
  if (sqlite3_db_readonly(conn->handle(), "main") == 1)
    return Fail(ErrorCode::kInvalid, "the database " + path +
                                         " is read-only: make it and its directory writable "
                                         "by the user medvault runs as");
  Status opened = ConfigureWriter(*conn, options);
  if (opened) opened = Migrate(*conn, fresh);
  if (!opened) {
    const std::string& message = opened.error().message;
    if (message.find("not a database") != std::string::npos)
      return Fail(ErrorCode::kInvalid, "the database file is not a medvault database");
    if (message.find("malformed") != std::string::npos) return Damaged(path, message);
    return std::unexpected(opened.error());
  }
  // Savepoint journals in memory: every job runs in a savepoint, and past SQLite's
  // 64 KiB in-memory limit its journal spills to a temporary file, two write calls per
  // page (~1,500 pages a second in audit_append_bench). Nothing needs them to survive a
  // crash: durability is the WAL's. Only after the migrations: a migration that sorts a
  // whole table (version 11 sorts the audit index) would hold the sort in memory too,
  // over a gigabyte for ten million audit entries, where a temporary file keeps the
  // process near its page cache's size.
  TRY(conn->Exec("PRAGMA temp_store = MEMORY"));
  int version = static_cast<int>(sqlite::Migrations().back().version);
  return std::unique_ptr<Store>(new SqliteStore(path, std::move(conn), version, options));
}

}  // namespace medvault::store
