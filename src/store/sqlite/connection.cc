#include "store/sqlite/connection.h"

namespace medvault::store::sqlite {

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::span<const uint8_t> blob) {
  // An empty blob is still a blob (not NULL): zeroblob keeps the distinction.
  if (blob.empty()) {
    sqlite3_bind_zeroblob(stmt_, index, 0);
  } else {
    sqlite3_bind_blob(stmt_, index, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  }
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) status_ = std::unexpected(conn_->LastError("statement failed"));
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  // Ready for the next binding, as when a loop runs the same statement many times.
  sqlite3_reset(stmt_);
  return status_;
}

std::string_view Statement::Text(int column) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::span<const uint8_t> Statement::Blob(int column) const {
  const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(stmt_, column));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

namespace {

// SQLite keeps memory statistics under one process-wide mutex taken on every
// allocation; with several threads each running statements, that mutex was the main
// source of lock contention (futex calls) on the request path. medvault does not read
// those statistics. Must run before SQLite initializes, hence at the first Open.
void ConfigureSqliteOnce() {
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool create) {
  ConfigureSqliteOnce();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database " + path + ": " + sqlite3_errstr(rc);
    sqlite3_close(db);
    return Fail(ErrorCode::kUnavailable, message);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, 5000);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status Connection::Exec(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  sqlite3_free(err);
  if (rc != SQLITE_OK) return std::unexpected(LastError("database command failed"));
  return Ok();
}

Status Connection::Run(const char* sql) {
  ASSIGN_OR_RETURN(auto s, Prepare(sql));
  return s->Run();
}

Result<std::unique_ptr<Statement>> Connection::Prepare(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
      return std::unexpected(LastError("cannot prepare a statement"));
    it = statements_.emplace(sql, stmt).first;
  }
  return std::make_unique<Statement>(it->second, this);
}

Error Connection::LastError(std::string_view what) const {
  int rc = sqlite3_extended_errcode(db_);
  int primary = rc & 0xff;
  ErrorCode code = ErrorCode::kInternal;
  if (primary == SQLITE_CONSTRAINT) code = ErrorCode::kConflict;
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_BUSY ||
      primary == SQLITE_LOCKED || primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN)
    code = ErrorCode::kUnavailable;
  // sqlite3_errstr names the class of error only: no SQL text, no bound values.
  return Error{code, std::string(what) + ": " + sqlite3_errstr(rc), {}};
}

}  // namespace medvault::store::sqlite
