// PostgreSQL's half of the group-commit writer (store/group_commit_writer.h): a group
// runs in one transaction on the writer's connection, each job in a savepoint, and
// commits once (synchronous_commit as the server sets it; on by default, so a commit
// has reached the server's WAL on disk before any job hears of it).
#pragma once

#include <memory>

#include "store/group_commit_writer.h"
#include "store/postgres/connection.h"

namespace medvault::store::postgres {

class PgGroupCommitter final : public GroupCommitter {
 public:
  explicit PgGroupCommitter(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
  std::vector<Status> CommitGroup(std::span<const WriteJob* const> jobs) override;

 private:
  std::unique_ptr<Connection> conn_;
};

}  // namespace medvault::store::postgres
