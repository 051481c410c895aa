// The Merkle tree's complete subtrees as a store reader (and its current snapshot) sees
// them: the source of roots and proofs for the endpoints and the command line.
#pragma once

#include <string>

#include "audit/merkle.h"
#include "store/store.h"

namespace medvault::audit {

class StoredSubtrees final : public SubtreeSource {
 public:
  // A subtree that is not stored fails with `missing` (its meaning depends on the
  // caller: a size beyond the log for a client, a damaged table for the verifier).
  StoredSubtrees(store::Reader& reader, Error missing)
      : reader_(reader), missing_(std::move(missing)) {}

  Result<Hash> Subtree(uint32_t level, uint64_t index) const override {
    ASSIGN_OR_RETURN(auto row, reader_.AuditSubtree(level, index));
    if (!row) return std::unexpected(missing_);
    return row->hash;
  }

 private:
  store::Reader& reader_;
  Error missing_;
};

}  // namespace medvault::audit
