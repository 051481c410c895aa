#include "store/sqlite/rows.h"

#include <algorithm>

namespace medvault::store::sqlite {
namespace {

crypto::Bytes Copy(std::span<const uint8_t> blob) { return {blob.begin(), blob.end()}; }

}  // namespace

ResourceRow ReadResourceRow(const Statement& s) {
  ResourceRow row;
  row.type = s.Text(0);
  row.id = s.Text(1);
  row.version = s.Int(2);
  row.compartment = s.Text(3);
  row.last_updated_ms = s.Int(4);
  row.deleted = s.Int(5) != 0;
  row.body = Copy(s.Blob(6));
  return row;
}

CompartmentRow ReadCompartmentRow(const Statement& s, int first) {
  CompartmentRow row;
  row.id = s.Text(first);
  row.kek_version = static_cast<int>(s.Int(first + 1));
  row.wrapped_dek = Copy(s.Blob(first + 2));
  row.organization_id = s.Text(first + 3);
  row.confidentiality = s.Text(first + 4);
  row.created_at_ms = s.Int(first + 5);
  return row;
}

AccountRow ReadAccountRow(const Statement& s, int first) {
  AccountRow row;
  row.id = s.Text(first);
  row.username = s.Text(first + 1);
  row.role = s.Text(first + 2);
  row.organization_id = s.Text(first + 3);
  row.practitioner_id = s.Text(first + 4);
  row.password_hash = s.Text(first + 5);
  row.status = s.Text(first + 6);
  row.created_at_ms = s.Int(first + 7);
  auto secret = s.Blob(first + 8);
  row.totp_secret.assign(secret.begin(), secret.end());
  row.totp_last_step = s.Int(first + 9);
  row.must_change_password = s.Int(first + 10) != 0;
  row.step_up_after_ms = s.Int(first + 11);
  row.throttle_until_ms = s.Int(first + 12);
  return row;
}

namespace {

TokenHash ReadTokenHash(const Statement& s, int column) {
  TokenHash out{};
  auto hash = s.Blob(column);
  std::copy_n(hash.begin(), std::min(hash.size(), out.size()), out.begin());
  return out;
}

}  // namespace

SessionRow ReadSessionRow(const Statement& s, int first) {
  SessionRow row;
  row.id = s.Text(first);
  row.token_hash = ReadTokenHash(s, first + 1);
  row.account_id = s.Text(first + 2);
  row.created_at_ms = s.Int(first + 3);
  row.last_seen_ms = s.Int(first + 4);
  row.expires_at_ms = s.Int(first + 5);
  row.revoked_at_ms = s.Int(first + 6);
  row.client_address = s.Text(first + 7);
  row.user_agent = s.Text(first + 8);
  row.stepped_up_at_ms = s.Int(first + 9);
  return row;
}

namespace {

template <size_t N>
std::array<uint8_t, N> ReadFixed(const Statement& s, int column) {
  std::array<uint8_t, N> out{};
  auto bytes = s.Blob(column);
  std::copy_n(bytes.begin(), std::min(bytes.size(), out.size()), out.begin());
  return out;
}

}  // namespace

AuditSubtreeRow ReadAuditSubtreeRow(const Statement& s) {
  return AuditSubtreeRow{static_cast<uint32_t>(s.Int(0)), static_cast<uint64_t>(s.Int(1)),
                         ReadFixed<32>(s, 2)};
}

TreeHeadRow ReadTreeHeadRow(const Statement& s) {
  return TreeHeadRow{s.Int(0), ReadFixed<32>(s, 1), s.Int(2), ReadFixed<64>(s, 3)};
}

Result<std::optional<AuditSubtreeRow>> QueryAuditSubtree(Connection& conn, uint32_t level,
                                                         uint64_t index) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare("SELECT level, idx, hash FROM audit_subtrees "
                                        "WHERE level = ?1 AND idx = ?2"));
  s->Bind(1, int64_t{level}).Bind(2, static_cast<int64_t>(index));
  std::optional<AuditSubtreeRow> row;
  if (s->Step()) row = ReadAuditSubtreeRow(*s);
  TRY(s->status());
  return row;
}

Result<std::optional<TreeHeadRow>> QueryLatestTreeHead(Connection& conn) {
  ASSIGN_OR_RETURN(auto s, conn.Prepare("SELECT size, root, timestamp, signature FROM "
                                        "audit_tree_heads ORDER BY size DESC LIMIT 1"));
  std::optional<TreeHeadRow> row;
  if (s->Step()) row = ReadTreeHeadRow(*s);
  TRY(s->status());
  return row;
}

LoginChallengeRow ReadChallengeRow(const Statement& s) {
  LoginChallengeRow row;
  row.challenge_hash = ReadTokenHash(s, 0);
  row.account_id = s.Text(1);
  row.created_at_ms = s.Int(2);
  row.expires_at_ms = s.Int(3);
  auto secret = s.Blob(4);
  row.pending_secret.assign(secret.begin(), secret.end());
  row.attempts = s.Int(5);
  row.used_at_ms = s.Int(6);
  row.client_address = s.Text(7);
  row.user_agent = s.Text(8);
  return row;
}

}  // namespace medvault::store::sqlite
