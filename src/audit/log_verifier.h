// The whole-log check: recomputes the audit log's Merkle tree from every entry and checks
// it against the stored tree and every signed tree head. It trusts only the audit key,
// which opens the entries, and the signing key it is given, which vouches for the heads;
// it takes nothing from the stored tree on trust, but compares with it to say where the
// log was changed. `medvault audit verify` runs it; so does every breach report, which
// reads the entries it needs while they are open, so that the log is decrypted once.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "audit/merkle.h"
#include "crypto/signing_key.h"
#include "store/store.h"

namespace medvault::audit {

// Sees each entry's canonical plaintext while the verifier holds it open.
class EntryVisitor {
 public:
  virtual ~EntryVisitor() = default;
  // Before the first Visit: Visit is called from `workers` threads, numbered from 0.
  virtual void Begin(unsigned workers) { (void)workers; }
  // Entry `seq`, which opened and is a canonical entry, on worker thread `worker`:
  // concurrently with the other workers, in no particular order, each entry once. The
  // visits count only if the verification then succeeds.
  // `head` is the entry's, read while checking it (its views valid during the call).
  virtual void Visit(unsigned worker, int64_t seq, std::string_view canonical_json,
                     const EntryHead& head) = 0;
};

// What a successful verification established.
struct LogVerification {
  int64_t entries = 0;                // entries 1..entries hold
  int64_t signed_heads = 0;           // all checked
  int64_t heads_by_earlier_keys = 0;  // signed by keys a rotation replaced
  int64_t covered = 0;                // entries covered by the largest signed head
  Hash root{};                        // the recomputed root of the whole log
};

// "audit log verified: N entries, H signed heads [(K by earlier signing keys)], root <hex>"
std::string Summary(const LogVerification& verified);

struct VerifyOptions {
  EntryVisitor* visitor = nullptr;
  // Called after every 100,000 entries with (entries verified, entries in the log).
  std::function<void(int64_t, int64_t)> progress;
};

// The verification over one snapshot of the log (a server may keep appending). Fails
// with kInvalid and a message naming the first bad entry or head (changed, missing,
// reordered, truncated, forged), or with the store's error when it cannot read.
// `keys`: the trusted signing keys, oldest first (a signing key rotation keeps the
// earlier ones, so that old heads still verify).
Result<LogVerification> VerifyLog(store::Store& store, const AuditLog& log,
                                  std::span<const crypto::PublicKey> keys,
                                  const VerifyOptions& options = {});

}  // namespace medvault::audit
