// A thin RAII layer over one SQLite connection: prepared statements cached per SQL
// text, typed binding and column access. Every value reaches SQL as a bound
// parameter; statements are compile-time string literals.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace medvault::store::sqlite {

class Connection;

// A prepared statement borrowed from a Connection's cache; reset when it goes out of
// scope so the next use starts clean.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, Connection* conn) : stmt_(stmt), conn_(conn) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::span<const uint8_t> blob);
  Statement& BindNull(int index);

  // Steps once: true when a row is available, false when done. Errors are kept and
  // returned by status().
  bool Step();
  Status Run();  // steps to completion
  Status status() const { return status_; }

  std::string_view Text(int column) const;
  int64_t Int(int column) const;
  std::span<const uint8_t> Blob(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
  Connection* conn_;
  Status status_;
};

class Connection {
 public:
  // Opens `path` (creating it when `create`). Fails with kUnavailable on I/O trouble.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool create);
  ~Connection();

  Status Exec(const char* sql);
  // Runs one statement (a string literal) through the statement cache: for statements
  // run very often, such as savepoints.
  Status Run(const char* sql);
  // Borrows the cached statement for `sql` (a string literal), preparing it once.
  Result<std::unique_ptr<Statement>> Prepare(const char* sql);

  sqlite3* handle() const { return db_; }
  // Maps the last SQLite error to a safe Error (no SQL, no values in the message).
  Error LastError(std::string_view what) const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> statements_;
};

}  // namespace medvault::store::sqlite
