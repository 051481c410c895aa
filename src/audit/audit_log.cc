#include "audit/audit_log.h"

#include <algorithm>
#include <bit>
#include <optional>

#include "crypto/aead.h"
#include "crypto/encoding.h"

namespace medvault::audit {
namespace {

constexpr std::string_view kAssociatedData = "medvault/audit/v1";

// Stored subtrees as the writer's transaction sees them.
class TransactionSubtrees final : public SubtreeSource {
 public:
  explicit TransactionSubtrees(store::Transaction& txn) : txn_(txn) {}
  Result<Hash> Subtree(uint32_t level, uint64_t index) const override {
    ASSIGN_OR_RETURN(auto row, txn_.AuditSubtree(level, index));
    if (!row) return Fail(ErrorCode::kInternal, "an audit subtree hash is missing");
    return row->hash;
  }

 private:
  store::Transaction& txn_;
};

// The entry with the highest number, by a backward scan (no arithmetic on a number a
// damaged log may have set to anything).
Result<std::optional<store::AuditRow>> NewestEntry(store::Reader& reader) {
  store::AuditScan scan;
  scan.limit = 1;
  ASSIGN_OR_RETURN(auto rows, reader.AuditEntriesBefore(scan));
  if (rows.empty()) return std::nullopt;
  return std::move(rows[0]);
}

}  // namespace

Status EntryOpener::Open(std::span<const uint8_t> body, crypto::Bytes& plaintext) {
  if (crypto::LooksLikeSealedRecord(body) && records_.Open(body, kAssociatedData, plaintext))
    return Ok();
  // Sealed before the record cipher (or where the CPU lacks it); one in 256 of these
  // starts with the record cipher's tag and comes here after trying it.
  return crypto::OpenInto(*audit_key_, body, kAssociatedData, plaintext);
}

AuditLog::AuditLog(const crypto::Keyring& keyring, std::string node)
    : keyring_(keyring), node_(std::move(node)), opener_(keyring.audit_key()) {
  if (crypto::RecordCipherAvailable())
    sealer_ = std::make_unique<crypto::RecordSealer>(keyring_.audit_key());
}

Status AuditLog::SyncFrontier(store::Transaction& txn, uint64_t size) const {
  if (frontier_.size() == size) {
    if (size == 0) return Ok();
    // Same size is not enough: after a rolled-back append, another writer may have
    // committed as many entries as were lost. The last peak holds the last leaf, and
    // every append checks it, so one lookup tells whether the frontier is current.
    // Once per transaction epoch is enough: without an undo in between, the log only
    // grew, and growth that did not come through this frontier changes the size.
    if (txn.epoch() == checked_in_epoch_) return Ok();
    auto level = static_cast<uint32_t>(std::countr_zero(size));
    ASSIGN_OR_RETURN(auto stored, txn.AuditSubtree(level, (size >> level) - 1));
    if (stored && stored->hash == frontier_.LastPeak()) {
      checked_in_epoch_ = txn.epoch();
      return Ok();
    }
  }
  ASSIGN_OR_RETURN(frontier_, MerkleFrontier::Restore(size, TransactionSubtrees(txn)));
  checked_in_epoch_ = txn.epoch();
  return Ok();
}

SealedEntry AuditLog::Seal(const AuditEvent& event) const {
  SealedEntry entry;
  std::string canonical;
  if (node_.empty() || !event.node.empty()) {
    canonical = CanonicalJson(event);
  } else {
    AuditEvent stamped = event;
    stamped.node = node_;
    canonical = CanonicalJson(stamped);
  }
  entry.time_ms_ = event.time_ms;
  entry.leaf_ = LeafHash(crypto::AsBytes(canonical));
  entry.sealed_ = sealer_ != nullptr ? sealer_->Seal(crypto::AsBytes(canonical), kAssociatedData)
                                     : crypto::Seal(keyring_.audit_key(),
                                                    crypto::AsBytes(canonical), kAssociatedData);
  entry.terms_.reserve(event.patients.size() + 1);
  for (const std::string& patient : event.patients) entry.terms_.push_back(PatientTerm(patient));
  if (!event.account_id.empty()) entry.terms_.push_back(AgentTerm(event.account_id));
  return entry;
}

Result<AuditReceipt> AuditLog::Append(store::Transaction& txn, const SealedEntry& entry) const {
  ASSIGN_OR_RETURN(int64_t seq, txn.AppendAudit(entry.time_ms_, entry.sealed_));
  std::lock_guard lock(mu_);
  TRY(SyncFrontier(txn, static_cast<uint64_t>(seq - 1)));
  std::vector<store::AuditSubtreeRow> rows;
  for (const MerkleFrontier::Completed& c : frontier_.Append(entry.leaf_))
    rows.push_back({c.level, c.index, c.hash});
  TRY(txn.PutAuditSubtrees(rows));
  TRY(txn.PutAuditIndex(seq, entry.terms_));
  return AuditReceipt(seq);
}

Result<std::optional<store::TreeHeadRow>> AuditLog::NextTreeHead(store::Transaction& txn,
                                                                 const crypto::SigningKey& key,
                                                                 int64_t now_ms) const {
  ASSIGN_OR_RETURN(int64_t size, txn.AuditSize());
  ASSIGN_OR_RETURN(auto latest, txn.LatestTreeHead());
  if (size == 0 || (latest && latest->size >= size)) return std::nullopt;
  std::lock_guard lock(mu_);
  TRY(SyncFrontier(txn, static_cast<uint64_t>(size)));
  store::TreeHeadRow head;
  head.size = size;
  head.root = frontier_.Root();
  head.timestamp_ms = now_ms;
  head.signature = key.Sign(crypto::AsBytes(TreeHeadText(size, head.root, now_ms)));
  return head;
}

Result<std::string> AuditLog::OpenEntry(const store::AuditRow& row) const {
  crypto::Bytes plain;
  TRY(OpenEntry(row, plain));
  return std::string(crypto::AsText(plain));
}

Status AuditLog::CheckKey(store::Reader& reader) const {
  ASSIGN_OR_RETURN(auto first, reader.AuditEntries(1, 1));
  ASSIGN_OR_RETURN(auto newest, NewestEntry(reader));
  if (first.empty() && !newest) return Ok();
  int opened = 0;
  crypto::Bytes plain;
  if (!first.empty() && OpenEntry(first[0], plain)) ++opened;
  if (newest && OpenEntry(*newest, plain)) ++opened;
  if (opened < 2 && newest && crypto::LooksLikeSealedRecord(newest->body) &&
      !crypto::RecordCipherAvailable())
    return Fail(ErrorCode::kInvalid,
                "this machine's CPU cannot run AES-256-GCM (AES-NI and PCLMUL), which the "
                "audit log's entries are sealed with: run medvault on a CPU that has them");
  if (opened == 0)
    return Fail(ErrorCode::kInvalid,
                "the master key does not open this data directory's audit log: it is not the "
                "key the directory was created with (check master.key or MEDVAULT_MASTER_KEY)");
  if (opened == 1)
    return Fail(ErrorCode::kInvalid,
                "an audit entry does not open: the log is damaged (medvault audit verify "
                "names the entry)");
  return Ok();
}

int64_t AuditLog::PatientTerm(std::string_view patient_id) const {
  return keyring_.BlindIndex("audit.patient", patient_id);
}

int64_t AuditLog::AgentTerm(std::string_view account_id) const {
  return keyring_.BlindIndex("audit.agent", account_id);
}

Status AuditLog::OpenEntry(const store::AuditRow& row, crypto::Bytes& plaintext) const {
  std::lock_guard lock(open_mu_);
  return opener_.Open(row, plaintext);
}

Result<Time> LatestRecordedTime(store::Reader& reader) {
  int64_t latest = 0;
  ASSIGN_OR_RETURN(auto head, reader.LatestTreeHead());
  if (head) latest = head->timestamp_ms;
  ASSIGN_OR_RETURN(auto newest, NewestEntry(reader));
  if (newest) latest = std::max(latest, newest->recorded_at_ms);
  return FromUnixMillis(latest);
}

std::string TreeHeadText(int64_t size, const Hash& root, int64_t timestamp_ms) {
  return "medvault audit log\n" + std::to_string(size) + "\n" + crypto::ToBase64(root) + "\n" +
         std::to_string(timestamp_ms) + "\n";
}

bool VerifyTreeHead(const crypto::PublicKey& key, const store::TreeHeadRow& head) {
  return crypto::VerifySignature(
      key, crypto::AsBytes(TreeHeadText(head.size, head.root, head.timestamp_ms)), head.signature);
}

Result<std::vector<AuditEvent>> AuditLog::ReadAll(store::Reader& reader) const {
  ASSIGN_OR_RETURN(int64_t count, reader.AuditCount());
  std::vector<AuditEvent> events;
  events.reserve(static_cast<size_t>(count));
  constexpr int64_t kPage = 1000;
  for (int64_t first = 1; first <= count; first += kPage) {
    ASSIGN_OR_RETURN(auto rows, reader.AuditEntries(first, kPage));
    for (const store::AuditRow& row : rows) {
      ASSIGN_OR_RETURN(std::string plain, OpenEntry(row));
      ASSIGN_OR_RETURN(AuditEvent e, ParseCanonicalJson(plain));
      events.push_back(std::move(e));
    }
  }
  return events;
}

}  // namespace medvault::audit
