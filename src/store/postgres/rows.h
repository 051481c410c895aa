// The audit-tree queries the reader and the writer's transaction share.
#pragma once

#include "store/postgres/connection.h"
#include "store/records.h"

namespace medvault::store::postgres {

Result<std::optional<AuditSubtreeRow>> QueryAuditSubtree(Connection& conn, uint32_t level,
                                                         uint64_t index);
Result<std::optional<TreeHeadRow>> QueryLatestTreeHead(Connection& conn);

}  // namespace medvault::store::postgres
