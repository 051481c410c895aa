// Deferred statements and the pipelines that send them (libpq's pipeline mode): a
// statement whose only answer is success waits in the connection's queue and travels
// with the next one that needs an answer, so that a job's audit rows cost one round trip
// to the server instead of one each.
#include <optional>

#include "store/postgres/connection.h"

namespace medvault::store::postgres {

Status Connection::Flush() {
  if (deferred_.empty()) return Ok();
  return SendPipeline(nullptr, nullptr);
}

Status Connection::SendPipeline(const PreparedCall* last, PGresult** result) {
  std::vector<PreparedCall> batch = std::move(deferred_);
  deferred_.clear();
  auto unavailable = [&] {
    return Error{ErrorCode::kUnavailable,
                 "cannot send statements to PostgreSQL: " + FirstLine(PQerrorMessage(conn_)),
                 {}};
  };
  if (PQenterPipelineMode(conn_) != 1) return std::unexpected(unavailable());

  std::optional<Error> failure;  // the first
  size_t sent = 0;
  auto send = [&](const PreparedCall& call) {
    if (failure) return;
    std::vector<const char*> values;
    for (const std::string& v : call.values) values.push_back(v.data());
    if (PQsendQueryPrepared(conn_, call.name.c_str(), static_cast<int>(values.size()),
                            values.data(), call.lengths.data(), call.formats.data(), 1) != 1) {
      failure = unavailable();
      return;
    }
    ++sent;
  };
  for (const PreparedCall& call : batch) send(call);
  if (last != nullptr) send(*last);
  if (PQpipelineSync(conn_) != 1 && !failure) failure = unavailable();

  // The answers come in the order sent: a result and then a null per statement (a
  // statement after a failed one is answered PGRES_PIPELINE_ABORTED), then the sync's.
  // A lost connection ends them early.
  size_t answered = 0;
  PGresult* last_result = nullptr;
  for (int nulls = 0; nulls < 2;) {
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) {
      if (PQstatus(conn_) != CONNECTION_OK) break;
      ++nulls;  // between two statements' answers; twice in a row: nothing more comes
      continue;
    }
    nulls = 0;
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      break;
    }
    const bool is_last = last != nullptr && answered == batch.size();
    ++answered;
    if ((st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) && is_last) {
      last_result = r;
      continue;
    }
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_PIPELINE_ABORTED && !failure)
      failure = ErrorOf(r, "statement failed");
    PQclear(r);
  }
  if (PQexitPipelineMode(conn_) != 1 && !failure) failure = unavailable();
  if (!failure && answered != sent)
    failure = Error{ErrorCode::kUnavailable, "PostgreSQL did not answer every statement", {}};
  if (failure) {
    if (last_result != nullptr) PQclear(last_result);
    return std::unexpected(std::move(*failure));
  }
  if (result != nullptr) {
    *result = last_result;
  } else if (last_result != nullptr) {
    PQclear(last_result);
  }
  return Ok();
}

}  // namespace medvault::store::postgres
