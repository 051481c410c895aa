// SQLite's half of the group-commit writer (store/group_commit_writer.h): a group runs
// in one BEGIN IMMEDIATE transaction on the writer's connection, each job in a
// savepoint (a lone job needs none), and commits once with synchronous=FULL.
#pragma once

#include <memory>

#include "store/group_commit_writer.h"
#include "store/sqlite/connection.h"

namespace medvault::store::sqlite {

class SqliteGroupCommitter final : public GroupCommitter {
 public:
  explicit SqliteGroupCommitter(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}
  std::vector<Status> CommitGroup(std::span<const WriteJob* const> jobs) override;

 private:
  std::unique_ptr<Connection> conn_;
};

}  // namespace medvault::store::sqlite
