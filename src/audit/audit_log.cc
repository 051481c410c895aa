#include "audit/audit_log.h"

#include "crypto/aead.h"

namespace medvault::audit {
namespace {

constexpr std::string_view kAssociatedData = "medvault/audit/v1";

}  // namespace

Result<AuditReceipt> AuditLog::Append(store::Transaction& txn, const AuditEvent& event) const {
  std::string canonical = CanonicalJson(event);
  crypto::Bytes sealed =
      crypto::Seal(keyring_.audit_key(), crypto::AsBytes(canonical), kAssociatedData);
  ASSIGN_OR_RETURN(int64_t seq, txn.AppendAudit(event.time_ms, sealed));
  return AuditReceipt(seq);
}

Result<std::vector<AuditEvent>> AuditLog::ReadAll(store::Reader& reader) const {
  ASSIGN_OR_RETURN(int64_t count, reader.AuditCount());
  std::vector<AuditEvent> events;
  events.reserve(static_cast<size_t>(count));
  constexpr int64_t kPage = 1000;
  for (int64_t first = 1; first <= count; first += kPage) {
    ASSIGN_OR_RETURN(auto rows, reader.AuditEntries(first, kPage));
    for (const store::AuditRow& row : rows) {
      ASSIGN_OR_RETURN(crypto::Bytes plain,
                       crypto::Open(keyring_.audit_key(), row.body, kAssociatedData));
      ASSIGN_OR_RETURN(AuditEvent e, ParseCanonicalJson(crypto::AsText(plain)));
      events.push_back(std::move(e));
    }
  }
  return events;
}

}  // namespace medvault::audit
