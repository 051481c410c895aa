#include "store/postgres/connection.h"

#include <endian.h>

#include <cstring>

namespace medvault::store::postgres {
namespace {

// Type OIDs of the parameters medvault binds (pg_type.dat).
constexpr Oid kInt8 = 20;
constexpr Oid kText = 25;
constexpr Oid kBytea = 17;

}  // namespace

std::string FirstLine(const char* message) {
  std::string line = message != nullptr ? message : "";
  if (auto end = line.find('\n'); end != std::string::npos) line.resize(end);
  return line;
}

ErrorCode ErrorCodeOf(std::string_view sqlstate) {
  if (sqlstate.size() != 5) return ErrorCode::kUnavailable;  // no SQLSTATE: the connection
  std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "23") return ErrorCode::kConflict;  // integrity constraint violation
  // Connection exceptions, insufficient resources (disk full, out of memory or
  // connections), operator intervention (shutdown), system errors (I/O), a read-only
  // transaction (a hot standby), serialization failures and deadlocks.
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58" || cls == "40" ||
      sqlstate == "25006")
    return ErrorCode::kUnavailable;
  return ErrorCode::kInternal;
}

Statement::~Statement() { Clear(); }

void Statement::Clear() {
  if (result_ != nullptr) PQclear(result_);
  result_ = nullptr;
  row_ = -1;
}

Statement::Param& Statement::At(int index) {
  if (static_cast<size_t>(index) > params_.size()) params_.resize(static_cast<size_t>(index));
  return params_[static_cast<size_t>(index - 1)];
}

Statement& Statement::Bind(int index, std::string_view text) {
  Param& p = At(index);
  p = Param{kText, 0, std::string(text), true};
  return *this;
}

Statement& Statement::Bind(int index, int64_t value) {
  Param& p = At(index);
  uint64_t big = htobe64(static_cast<uint64_t>(value));
  p = Param{kInt8, 1, std::string(reinterpret_cast<const char*>(&big), sizeof big), true};
  return *this;
}

Statement& Statement::Bind(int index, std::span<const uint8_t> blob) {
  Param& p = At(index);
  p = Param{kBytea, 1, std::string(reinterpret_cast<const char*>(blob.data()), blob.size()), true};
  return *this;
}

Result<std::string> Statement::PreparedName() const {
  std::vector<Oid> types;
  for (const Param& p : params_) {
    if (!p.set) return Fail(ErrorCode::kInternal, "a statement parameter was left unbound");
    types.push_back(p.type);
  }
  if (conn_.reconnect_on_use_) (void)conn_.EnsureConnected();
  return conn_.Prepared(sql_, types);
}

PreparedCall Statement::Copy(std::string name) const {
  PreparedCall call{std::move(name), {}, {}, {}};
  for (const Param& p : params_) {
    call.values.push_back(p.bytes);
    call.lengths.push_back(static_cast<int>(p.bytes.size()));
    call.formats.push_back(p.format);
  }
  return call;
}

void Statement::Execute() {
  Clear();
  changes_ = 0;
  auto name = PreparedName();
  if (!name) {
    status_ = std::unexpected(name.error());
    return;
  }
  if (conn_.HasDeferred()) {
    // The deferred statements go first, in the same round trip.
    PreparedCall call = Copy(std::move(*name));
    if (Status sent = conn_.SendPipeline(&call, &result_); !sent) {
      status_ = std::unexpected(sent.error());
      Clear();
      return;
    }
  } else {
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
    for (const Param& p : params_) {
      values.push_back(p.bytes.data());
      lengths.push_back(static_cast<int>(p.bytes.size()));
      formats.push_back(p.format);
    }
    result_ = PQexecPrepared(conn_.handle(), name->c_str(), static_cast<int>(values.size()),
                             values.data(), lengths.data(), formats.data(), 1);
    ExecStatusType st = PQresultStatus(result_);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      status_ = std::unexpected(conn_.ErrorOf(result_, "statement failed"));
      Clear();
      return;
    }
  }
  status_ = Ok();
  const char* tuples = PQcmdTuples(result_);
  changes_ = (tuples != nullptr && *tuples != '\0') ? std::strtoll(tuples, nullptr, 10) : 0;
}

Status Statement::Defer() {
  ASSIGN_OR_RETURN(std::string name, PreparedName());
  conn_.deferred_.push_back(Copy(std::move(name)));
  return Ok();
}

bool Statement::Step() {
  if (row_ < 0) {
    Execute();
    if (result_ == nullptr) return false;
  }
  if (row_ + 1 >= PQntuples(result_)) {
    row_ = PQntuples(result_);
    return false;
  }
  ++row_;
  return true;
}

Status Statement::Run() {
  Execute();
  Clear();
  return status_;
}

std::string_view Statement::Text(int column) const {
  if (PQgetisnull(result_, row_, column)) return {};
  return {PQgetvalue(result_, row_, column),
          static_cast<size_t>(PQgetlength(result_, row_, column))};
}

int64_t Statement::Int(int column) const {
  if (PQgetisnull(result_, row_, column)) return 0;
  const auto* p = reinterpret_cast<const uint8_t*>(PQgetvalue(result_, row_, column));
  int length = PQgetlength(result_, row_, column);
  // Binary results are big-endian two's complement of the column's own width (bool: one
  // byte).
  int64_t value = (length > 0 && (p[0] & 0x80) != 0 && length < 8) ? -1 : 0;
  for (int i = 0; i < length; ++i)
    value = static_cast<int64_t>((static_cast<uint64_t>(value) << 8) | p[i]);
  return value;
}

std::span<const uint8_t> Statement::Blob(int column) const {
  if (PQgetisnull(result_, row_, column)) return {};
  return {reinterpret_cast<const uint8_t*>(PQgetvalue(result_, row_, column)),
          static_cast<size_t>(PQgetlength(result_, row_, column))};
}

bool Statement::IsNull(int column) const { return PQgetisnull(result_, row_, column) != 0; }

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) return Fail(ErrorCode::kUnavailable, "cannot reach PostgreSQL (no memory)");
  if (PQstatus(conn) != CONNECTION_OK) {
    // libpq's message names the host, the role and the reason; never the password.
    std::string message = "cannot connect to PostgreSQL: " + FirstLine(PQerrorMessage(conn));
    PQfinish(conn);
    return Fail(ErrorCode::kUnavailable, message);
  }
  auto connection = std::unique_ptr<Connection>(new Connection(conn));
  // Notices (e.g. "relation already exists, skipping") are not for the server's log.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  TRY(connection->Exec("SET client_min_messages = warning"));
  return connection;
}

Connection::~Connection() { PQfinish(conn_); }

bool Connection::EnsureConnected() {
  if (PQstatus(conn_) == CONNECTION_OK) return true;
  PQreset(conn_);
  prepared_.clear();
  deferred_.clear();  // they belonged to the lost transaction
  if (PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) (void)PQexitPipelineMode(conn_);
  return PQstatus(conn_) == CONNECTION_OK;
}

bool Connection::InUsableTransaction() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_INTRANS;
}

Status Connection::Exec(const char* sql) {
  if (HasDeferred()) TRY(Flush());
  PGresult* result = PQexec(conn_, sql);
  ExecStatusType st = PQresultStatus(result);
  Status outcome = Ok();
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
    outcome = std::unexpected(ErrorOf(result, "database command failed"));
  PQclear(result);
  return outcome;
}

Status Connection::Run(const char* sql) {
  ASSIGN_OR_RETURN(auto s, Prepare(sql));
  return s->Run();
}

Status Connection::Defer(const char* sql) {
  ASSIGN_OR_RETURN(auto s, Prepare(sql));
  return s->Defer();
}

Result<std::unique_ptr<Statement>> Connection::Prepare(const char* sql) {
  return std::make_unique<Statement>(*this, sql);
}

Result<std::string> Connection::Prepared(const char* sql, const std::vector<Oid>& types) {
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return it->second;
  std::string name = "medvault_" + std::to_string(++next_name_);
  PGresult* result = PQprepare(conn_, name.c_str(), sql, static_cast<int>(types.size()),
                               types.empty() ? nullptr : types.data());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  Error error = ok ? Error{} : ErrorOf(result, "cannot prepare a statement");
  PQclear(result);
  if (!ok) return std::unexpected(error);
  prepared_.emplace(sql, name);
  return name;
}

Error Connection::ErrorOf(const PGresult* result, std::string_view what) const {
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary =
      result != nullptr ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string reason = primary != nullptr ? FirstLine(primary) : FirstLine(PQerrorMessage(conn_));
  ErrorCode code = ErrorCodeOf(sqlstate != nullptr ? sqlstate : "");
  if (PQstatus(conn_) != CONNECTION_OK) code = ErrorCode::kUnavailable;
  // The primary message names constraints and tables, never the values (those are in
  // the DETAIL field, which is not read here).
  return Error{code, std::string(what) + ": " + reason, {}};
}

}  // namespace medvault::store::postgres
