// Reading store records out of SQLite statement columns (store/row_reading.h), and the
// audit-tree queries the reader and the writer share.
#pragma once

#include "store/records.h"
#include "store/row_reading.h"
#include "store/sqlite/connection.h"

namespace medvault::store::sqlite {

Result<std::optional<AuditSubtreeRow>> QueryAuditSubtree(Connection& conn, uint32_t level,
                                                         uint64_t index);
Result<std::optional<TreeHeadRow>> QueryLatestTreeHead(Connection& conn);

}  // namespace medvault::store::sqlite
