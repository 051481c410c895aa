#include "store/sqlite/rows.h"

namespace medvault::store::sqlite {

Result<std::optional<AuditSubtreeRow>> QueryAuditSubtree(Connection& conn, uint32_t level,
                                                         uint64_t index) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare("SELECT level, idx, hash FROM audit_subtrees "
                                        "WHERE pos = ?1"));
  s->Bind(1, AuditSubtreePosition(level, index));
  return OptionalRow<AuditSubtreeRow>(*s, ReadAuditSubtreeRow<Statement>);
}

Result<std::optional<TreeHeadRow>> QueryLatestTreeHead(Connection& conn) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare("SELECT size, root, timestamp, signature FROM "
                                        "audit_tree_heads ORDER BY size DESC LIMIT 1"));
  return OptionalRow<TreeHeadRow>(*s, ReadTreeHeadRow<Statement>);
}

}  // namespace medvault::store::sqlite
