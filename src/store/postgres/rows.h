// The audit-tree queries the reader and the writer's transaction share.
#pragma once

#include <cstdint>

#include "store/postgres/connection.h"
#include "store/records.h"

namespace medvault::store::postgres {

// A size_t limit as a LIMIT parameter: "no limit" (SIZE_MAX) would wrap to -1, which
// SQLite reads as no limit and PostgreSQL refuses.
inline int64_t SqlLimit(size_t limit) {
  return limit > static_cast<size_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(limit);
}

Result<std::optional<AuditSubtreeRow>> QueryAuditSubtree(Connection& conn, uint32_t level,
                                                         uint64_t index);
Result<std::optional<TreeHeadRow>> QueryLatestTreeHead(Connection& conn);

}  // namespace medvault::store::postgres
