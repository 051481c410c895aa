// A thin RAII layer over one libpq connection, shaped like the SQLite one so that the
// two engines read alike: statements are compile-time string literals with $n
// parameters, prepared once per connection (named after the literal), and every value
// reaches PostgreSQL as a bound parameter. Integers and blobs travel in binary (int8,
// bytea), text as text; results come back in binary.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace medvault::store::postgres {

class Connection;

// A prepared statement with its parameters, ready to send.
struct PreparedCall {
  std::string name;
  std::vector<std::string> values;
  std::vector<int> lengths, formats;
};

// One execution of a prepared statement: bind, then Step() through the rows (the
// statement runs at the first Step or Run), or Run() it for its effect.
class Statement {
 public:
  Statement(Connection& conn, const char* sql) : conn_(conn), sql_(sql) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are numbered from 1, as $1, $2… in the SQL.
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::span<const uint8_t> blob);

  // True when a row is available, false when done. Errors are kept and returned by
  // status().
  bool Step();
  Status Run();  // runs it (again, with the current bindings) for its effect
  // Queues it, with the current bindings, to travel with the connection's next round
  // trip (libpq's pipeline mode): for writes whose only answer is success, such as the
  // audit log's subtree and index rows. Its failure is reported by what sends it (the
  // next statement that needs an answer, or Connection::Flush) and skips what was sent
  // after it, as the failure aborts the transaction anyway.
  Status Defer();
  Status status() const { return status_; }
  // Rows the last run inserted, updated or deleted.
  int64_t changes() const { return changes_; }

  std::string_view Text(int column) const;
  // int8, int4, int2 or bool columns.
  int64_t Int(int column) const;
  std::span<const uint8_t> Blob(int column) const;
  bool IsNull(int column) const;

 private:
  struct Param {
    Oid type = 0;
    int format = 0;  // 0 text, 1 binary
    std::string bytes;
    bool set = false;
  };
  Param& At(int index);
  // The prepared statement's name, once every parameter is bound (prepared at first use).
  Result<std::string> PreparedName() const;
  // The call with a copy of the bindings, for a pipeline: deferred ones outlive the
  // statement. A call sent at once uses the bindings in place.
  PreparedCall Copy(std::string name) const;
  void Execute();
  void Clear();

  Connection& conn_;
  const char* sql_;
  std::vector<Param> params_;
  PGresult* result_ = nullptr;
  int row_ = -1;
  int64_t changes_ = 0;
  Status status_;
};

class Connection {
 public:
  // Connects with a libpq connection string or postgresql:// URI. Fails with
  // kUnavailable when the server cannot be reached or refuses; the message is libpq's,
  // without the password.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();

  // Runs SQL without parameters (several statements allowed): DDL, transactions.
  Status Exec(const char* sql);
  // Runs one parameterless statement through the prepared-statement cache (savepoints).
  Status Run(const char* sql);
  // A statement for `sql` (a string literal), prepared on this connection at first use.
  Result<std::unique_ptr<Statement>> Prepare(const char* sql);

  // Deferred statements (Statement::Defer; pipeline.cc). Defer(sql) queues a
  // parameterless one (a savepoint's release). Flush sends the queue now, in one round
  // trip, and returns the first failure in it. DropDeferred forgets the queue unsent,
  // for a rollback that would undo it anyway.
  Status Defer(const char* sql);
  Status Flush();
  bool HasDeferred() const { return !deferred_.empty(); }
  void DropDeferred() { deferred_.clear(); }

  PGconn* handle() const { return conn_; }
  // Whether a transaction is open and usable (not aborted by an error, not lost).
  bool InUsableTransaction() const;
  // Reconnects when the connection was lost (a restarted server, a network cut).
  // Prepared statements are prepared again as they are used.
  bool EnsureConnected();
  // Readers reconnect at their next statement after a lost connection; the writer only
  // between transactions (group_commit.cc), never in the middle of one.
  void set_reconnect_on_use(bool on) { reconnect_on_use_ = on; }
  // A safe Error for a failed result: SQLSTATE class mapped to a code, PostgreSQL's
  // primary message (no SQL text; values bound as parameters are not quoted in it
  // except for key values in constraint details, which are left out).
  Error ErrorOf(const PGresult* result, std::string_view what) const;

 private:
  friend class Statement;
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // The name of the prepared statement for `sql`, preparing it with these parameter
  // types when it is new.
  Result<std::string> Prepared(const char* sql, const std::vector<Oid>& types);
  // Sends the deferred statements, then `last` when not null, as one pipeline. The first
  // failure; otherwise `last`'s result in *result (the caller's to clear).
  Status SendPipeline(const PreparedCall* last, PGresult** result);

  PGconn* conn_;
  std::vector<PreparedCall> deferred_;
  std::unordered_map<const char*, std::string> prepared_;
  uint64_t next_name_ = 0;
  bool reconnect_on_use_ = false;
};

// libpq's messages end with a newline and may span lines: the first line.
std::string FirstLine(const char* message);

// What the SQLSTATE says to a caller: kConflict for integrity violations,
// kUnavailable for the server's trouble (connection, disk, shutdown, read-only),
// kInternal for the rest (a bug in medvault's SQL).
ErrorCode ErrorCodeOf(std::string_view sqlstate);

}  // namespace medvault::store::postgres
