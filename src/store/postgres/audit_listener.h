// LISTEN/NOTIFY for the audit log: the writer of every node notifies the channel
// "medvault_audit" in each transaction that appended entries (group_commit.cc), and
// PostgreSQL delivers it at COMMIT to every connection listening, on whichever node.
#pragma once

#include <memory>
#include <string>

#include "store/postgres/connection.h"
#include "store/store.h"

namespace medvault::store::postgres {

class PgAuditListener final : public AuditAppendListener {
 public:
  // A connection of its own, listening from now on.
  static Result<std::unique_ptr<PgAuditListener>> Open(const std::string& conninfo);

  Result<bool> Wait(int timeout_ms) override;

 private:
  explicit PgAuditListener(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
  // Takes every notification libpq has read; whether there was one.
  bool TakeNotifications();
  Error Lost() const;

  std::unique_ptr<Connection> conn_;
};

}  // namespace medvault::store::postgres
