// The Merkle tree over the audit log, hashed as RFC 6962 §2.1 prescribes (SHA-256,
// 0x00 before a leaf, 0x01 before a pair of children, no padding), so that any
// Certificate Transparency style client can check our proofs without medvault code.
//
// Two families of functions live here:
//  - reference computations over every leaf hash (RootOf, InclusionProofOf,
//    ConsistencyProofOf). They are O(n), follow the RFC's recursive definitions
//    literally, and serve tests and `audit verify`, which recomputes everything anyway;
//  - the server's O(log n) path: a MerkleFrontier that appends leaves and reports the
//    complete subtrees each append creates, and proofs built from those stored subtrees
//    through a SubtreeSource, so that storage can back them without this file knowing it.
// The verifiers are the RFC 9162 §2.1.3.2 and §2.1.4.2 algorithms.
//
// A tree node is named (level, index): the complete subtree of 2^level leaves that
// starts at leaf index * 2^level. Only complete subtrees are ever stored; the hashes of
// the incomplete nodes on a tree's right edge are recomputed from them.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/result.h"

namespace medvault::audit {

using Hash = std::array<uint8_t, 32>;

// SHA-256(0x00 ‖ entry): the distinct prefixes keep a leaf from passing for a node.
Hash LeafHash(std::span<const uint8_t> entry);
// SHA-256(0x01 ‖ left ‖ right).
Hash NodeHash(const Hash& left, const Hash& right);
// MTH({}) = SHA-256(""): the root a tree head of size 0 carries.
Hash EmptyRoot();

// Reference computations over all leaf hashes (RFC 6962 §2.1 MTH, PATH and PROOF).
// Their index and size arguments come from the caller's own data, so one outside the
// tree is a bug and throws std::out_of_range rather than returning an error.
Hash RootOf(std::span<const Hash> leaves);
// PATH(index, D[n]), n = leaves.size(); requires index < n.
std::vector<Hash> InclusionProofOf(std::span<const Hash> leaves, uint64_t index);
// PROOF(old_size, D[n]); requires old_size <= n. Empty when old_size is 0 or n, since
// every tree extends the empty tree and itself.
std::vector<Hash> ConsistencyProofOf(std::span<const Hash> leaves, uint64_t old_size);

// True only if `proof` shows that `leaf_hash` is leaf `index` of the tree of `tree_size`
// leaves whose root is `root`. Any mismatch, an index outside the tree, or a proof with
// a hash too many or too few gives false. Take tree_size and root from the same signed
// tree head: a neighbouring size can give a proof the same shape, so the root is what
// pins the size (the same holds for new_size and new_root below).
bool VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                     std::span<const Hash> proof, const Hash& root);

// True only if `proof` shows that the tree of `old_size` leaves with `old_root` is a
// prefix of the tree of `new_size` leaves with `new_root`. Equal sizes need an empty
// proof and equal roots; old_size 0 needs an empty proof and old_root == EmptyRoot()
// (stricter than RFC 9162, which leaves that case open: our size-0 heads carry it).
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof);

// Where complete-subtree hashes come from: the store, a cache, a map in a test.
// Subtree(level, index) is the hash of the complete subtree of 2^level leaves starting
// at leaf index * 2^level; a subtree not (yet) stored is an error, typically kNotFound.
class SubtreeSource {
 public:
  virtual ~SubtreeSource() = default;
  virtual Result<Hash> Subtree(uint32_t level, uint64_t index) const = 0;
};

// The right edge of the growing tree (a "compact range" over [0, size)): one complete
// subtree per set bit of size, so appending and the root cost O(log n) hashes and the
// server never rereads old entries to extend the log.
class MerkleFrontier {
 public:
  // A complete subtree that an append created; the store keeps these so that proofs and
  // Restore need no leaves.
  struct Completed {
    uint32_t level;
    uint64_t index;
    Hash hash;
  };

  MerkleFrontier() = default;

  // Appends a leaf hash and returns the subtrees it completed, from the leaf itself
  // (level 0) upward: one more than the number of trailing one bits of the old size.
  std::vector<Completed> Append(const Hash& leaf_hash);

  Hash Root() const;
  uint64_t size() const { return size_; }

  // Rebuilds the frontier of a tree of `size` leaves from stored subtrees, with one
  // lookup per set bit of size.
  static Result<MerkleFrontier> Restore(uint64_t size, const SubtreeSource& source);

  // The rightmost complete subtree (it holds the last leaf): level = trailing zero bits
  // of size. Comparing it with the stored one tells whether the frontier still describes
  // the stored tree. Requires size() > 0.
  const Hash& LastPeak() const { return peaks_.back(); }

 private:
  uint64_t size_ = 0;
  // The complete subtrees covering [0, size_), left to right (so levels decrease); the
  // level of each one is the matching set bit of size_.
  std::vector<Hash> peaks_;
};

// The proofs the server serves, from stored complete subtrees instead of leaves. Each
// needs O(log n) lookups: one per proof element, plus the few that rebuild the single
// incomplete node a proof can contain. Every size passed must be at most the size of
// the tree whose subtrees `source` holds; a missing subtree is returned as the error.

// Root of the tree of the first `size` leaves; EmptyRoot() for size 0.
Result<Hash> RootAt(uint64_t size, const SubtreeSource& source);
// PATH(index, D[size]); kInvalid unless index < size.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         const SubtreeSource& source);
// PROOF(old_size, D[new_size]); kInvalid if old_size > new_size. Empty when old_size is
// 0 or new_size.
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const SubtreeSource& source);

}  // namespace medvault::audit
