// The audit stage's storage: entries are sealed with the audit key and appended in the
// same transaction as the writes they describe, so an acknowledged write always has
// its entry and an entry never describes a write that did not happen.
//
// An AuditReceipt proves that an entry was appended; the request pipeline needs one to
// turn a handler's outcome into a response. (The Merkle tree, signed tree heads and
// proofs come with the audit-log issue and hash the same canonical entries.)
#pragma once

#include <cstdint>
#include <vector>

#include "audit/audit_event.h"
#include "crypto/keyring.h"
#include "store/store.h"

namespace medvault::audit {

class AuditReceipt {
 public:
  int64_t sequence() const { return sequence_; }

 private:
  friend class AuditLog;
  explicit AuditReceipt(int64_t sequence) : sequence_(sequence) {}
  int64_t sequence_;
};

class AuditLog {
 public:
  explicit AuditLog(const crypto::Keyring& keyring) : keyring_(keyring) {}

  // Appends `event` inside the caller's write transaction.
  Result<AuditReceipt> Append(store::Transaction& txn, const AuditEvent& event) const;

  // Reads entries back (for tests and, later, the verifier and reports).
  Result<std::vector<AuditEvent>> ReadAll(store::Reader& reader) const;

 private:
  const crypto::Keyring& keyring_;
};

}  // namespace medvault::audit
