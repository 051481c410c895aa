// The audit stage's storage: entries are sealed with the audit key and appended in the
// same transaction as the writes they describe, so an acknowledged write always has
// its entry and an entry never describes a write that did not happen.
//
// An AuditReceipt proves that an entry was appended; the request pipeline needs one to
// turn a handler's outcome into a response.
//
// Each entry is also a leaf of an RFC 6962 Merkle tree: leaf = SHA-256(0x00 ‖ canonical
// plaintext entry). The complete subtrees each append creates are stored in the same
// transaction, so roots and proofs never reread old entries, and signed tree heads
// commit the server to the log's contents.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "audit/merkle.h"
#include "common/clock.h"
#include "crypto/keyring.h"
#include "crypto/record_cipher.h"
#include "crypto/signing_key.h"
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

// An entry in its stored form (sealed canonical JSON) with its Merkle leaf hash, made
// before its write transaction: the JSON, the hash and the encryption are most of an
// append's CPU, and the single writer thread need not spend it.
class SealedEntry {
 public:
  int64_t time_ms() const { return time_ms_; }

 private:
  friend class AuditLog;
  int64_t time_ms_ = 0;
  Hash leaf_{};
  crypto::Bytes sealed_;
  std::vector<int64_t> terms_;  // blind-index terms: the patients named, the account
};

// Opens stored entries, for one thread at a time: loops over many entries (the
// verifier, the breach report) keep one per thread. Entries are sealed with AES-256-GCM
// under subkeys of the audit key (crypto/record_cipher.h); those of logs written before
// it, with XChaCha20-Poly1305 under the audit key itself, open too.
class EntryOpener {
 public:
  explicit EntryOpener(const crypto::SecretKey& audit_key)
      : audit_key_(&audit_key), records_(audit_key) {}
  Status Open(std::span<const uint8_t> body, crypto::Bytes& plaintext);
  Status Open(const store::AuditRow& row, crypto::Bytes& plaintext) {
    return Open(row.body, plaintext);
  }

 private:
  const crypto::SecretKey* audit_key_;
  crypto::RecordOpener records_;
};

class AuditLog {
 public:
  // `node` names this process in every entry it seals (AuditEvent::node): set when
  // several servers share the database, empty otherwise.
  explicit AuditLog(const crypto::Keyring& keyring, std::string node = {});

  const std::string& node() const { return node_; }

  // Seals `event` for a later Append, stamped with this process's node; any thread, no
  // transaction.
  SealedEntry Seal(const AuditEvent& event) const;
  // Appends the entry inside the caller's write transaction, with its Merkle leaf.
  Result<AuditReceipt> Append(store::Transaction& txn, const SealedEntry& entry) const;
  // Seals and appends `event`.
  Result<AuditReceipt> Append(store::Transaction& txn, const AuditEvent& event) const {
    return Append(txn, Seal(event));
  }

  // Inside a write transaction: a new signed tree head when the log grew since the last
  // one, nullopt when it did not. The caller inserts it.
  Result<std::optional<store::TreeHeadRow>> NextTreeHead(store::Transaction& txn,
                                                         const crypto::SigningKey& key,
                                                         int64_t now_ms) const;

  // Reads entries back (for tests and, later, the verifier and reports).
  Result<std::vector<AuditEvent>> ReadAll(store::Reader& reader) const;

  // Whether this keyring opens the log's first and newest entries (Ok for an empty log):
  // a master key other than the one the data directory was created with opens neither.
  // kInvalid saying which it looks like: the wrong key, or a damaged entry.
  Status CheckKey(store::Reader& reader) const;

  // Opens one stored entry: its canonical plaintext (what the leaf hashes).
  Result<std::string> OpenEntry(const store::AuditRow& row) const;
  // The same into `plaintext`, reusing its memory.
  Status OpenEntry(const store::AuditRow& row, crypto::Bytes& plaintext) const;
  // For loops over many entries on several threads: one opener per thread.
  EntryOpener NewOpener() const { return EntryOpener(keyring_.audit_key()); }

  // The blind-index terms entries are filed under: one per patient named, one for the
  // acting account. Searches look them up; the table shows only keyed hashes.
  int64_t PatientTerm(std::string_view patient_id) const;
  int64_t AgentTerm(std::string_view account_id) const;

 private:
  // Brings the in-memory frontier to the `size` entries the transaction sees. It lags
  // after a rolled-back commit or another process's append; then it is rebuilt from
  // the stored subtrees (O(log n)).
  Status SyncFrontier(store::Transaction& txn, uint64_t size) const;

  const crypto::Keyring& keyring_;
  const std::string node_;
  // Null where the CPU cannot run AES-256-GCM: entries are then sealed as before it.
  mutable std::unique_ptr<crypto::RecordSealer> sealer_;
  mutable std::mutex open_mu_;
  mutable EntryOpener opener_;  // under open_mu_
  mutable std::mutex mu_;
  mutable MerkleFrontier frontier_;        // under mu_; only the writer's jobs touch it
  mutable uint64_t checked_in_epoch_ = 0;  // under mu_: the store::Transaction::epoch()
                                           // in which frontier_ last matched the store
};

// The latest time the log recorded: its newest entry's or signed tree head's, whichever
// is later (the epoch for an empty log). The server's clock starts no earlier.
Result<Time> LatestRecordedTime(store::Reader& reader);

// The signed text of a tree head (a C2SP checkpoint-style note body):
//   "medvault audit log\n<size>\n<base64 root>\n<timestamp ms>\n"
std::string TreeHeadText(int64_t size, const Hash& root, int64_t timestamp_ms);
bool VerifyTreeHead(const crypto::PublicKey& key, const store::TreeHeadRow& head);

}  // namespace medvault::audit
