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
  return row;
}

SessionRow ReadSessionRow(const Statement& s) {
  SessionRow row;
  row.id = s.Text(0);
  auto hash = s.Blob(1);
  std::copy_n(hash.begin(), std::min(hash.size(), row.token_hash.size()), row.token_hash.begin());
  row.account_id = s.Text(2);
  row.created_at_ms = s.Int(3);
  row.last_seen_ms = s.Int(4);
  row.expires_at_ms = s.Int(5);
  row.revoked_at_ms = s.Int(6);
  row.client_address = s.Text(7);
  row.user_agent = s.Text(8);
  return row;
}

}  // namespace medvault::store::sqlite
