#include "store/postgres/audit_listener.h"

#include <poll.h>

#include <cerrno>

namespace medvault::store::postgres {

Result<std::unique_ptr<PgAuditListener>> PgAuditListener::Open(const std::string& conninfo) {
  ASSIGN_OR_RETURN(auto conn, Connection::Open(conninfo));
  TRY(conn->Exec("LISTEN medvault_audit"));
  return std::unique_ptr<PgAuditListener>(new PgAuditListener(std::move(conn)));
}

bool PgAuditListener::TakeNotifications() {
  bool any = false;
  while (PGnotify* note = PQnotifies(conn_->handle())) {
    PQfreemem(note);
    any = true;
  }
  return any;
}

Error PgAuditListener::Lost() const {
  return Error{ErrorCode::kUnavailable,
               "the connection listening for audit appends was lost (cannot reach PostgreSQL)",
               {}};
}

Result<bool> PgAuditListener::Wait(int timeout_ms) {
  PGconn* conn = conn_->handle();
  if (PQstatus(conn) != CONNECTION_OK) return std::unexpected(Lost());
  // Notifications libpq read along with an earlier answer are already queued.
  if (TakeNotifications()) return true;
  pollfd fd{PQsocket(conn), POLLIN, 0};
  if (fd.fd < 0) return std::unexpected(Lost());
  int ready = ::poll(&fd, 1, timeout_ms);
  if (ready < 0) {
    if (errno == EINTR) return false;
    return std::unexpected(Lost());
  }
  if (ready == 0) return false;
  // Readable: a notification, or the server closing the connection (then the read
  // fails or the status turns bad).
  if (PQconsumeInput(conn) == 0 || PQstatus(conn) != CONNECTION_OK) return std::unexpected(Lost());
  return TakeNotifications();
}

}  // namespace medvault::store::postgres
