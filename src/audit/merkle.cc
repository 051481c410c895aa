#include "audit/merkle.h"

#include <openssl/evp.h>

#include <algorithm>
#include <bit>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>

namespace medvault::audit {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;

// SHA-256 over the concatenation of `parts`, through OpenSSL: it uses the CPU's SHA
// instructions where there are any, about five times libsodium's speed on an audit entry
// (0.4 against 2.2 µs on the reference machine), which both appending and `audit verify`
// pay for every leaf. The digest and a context per thread are set up once.
Hash Sha256(std::initializer_list<std::span<const uint8_t>> parts) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                                                 EVP_MD_CTX_free);
  Hash out;
  bool ok = sha256 != nullptr && ctx != nullptr && EVP_DigestInit_ex2(ctx.get(), sha256, nullptr);
  for (std::span<const uint8_t> part : parts)
    ok = ok && EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  unsigned int size = 0;
  ok = ok && EVP_DigestFinal_ex(ctx.get(), out.data(), &size) && size == out.size();
  // Only a broken OpenSSL installation or exhausted memory gets here.
  if (!ok) throw std::runtime_error("OpenSSL SHA-256 failed");
  return out;
}

// RFC 6962 splits n >= 2 leaves at the largest power of two strictly below n; this is
// what makes every left child a complete subtree.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

// The level of a complete subtree of `width` (a power of two) leaves.
uint32_t LevelOf(uint64_t width) { return static_cast<uint32_t>(std::countr_zero(width)); }

// Hashes right to left: a node of the RFC tree whose leaves split into complete
// subtrees of decreasing size is NodeHash(first, NodeHash(second, …)).
Hash FoldRightToLeft(std::span<const Hash> subtrees) {
  Hash root = subtrees.back();
  for (size_t i = subtrees.size() - 1; i-- > 0;) root = NodeHash(subtrees[i], root);
  return root;
}

// --- Reference computations (RFC 6962 §2.1, recursively, over all leaves) ---

void PathInto(std::span<const Hash> leaves, uint64_t m, std::vector<Hash>& out) {
  if (leaves.size() == 1) return;
  uint64_t k = SplitPoint(leaves.size());
  if (m < k) {
    PathInto(leaves.first(k), m, out);
    out.push_back(RootOf(leaves.subspan(k)));
  } else {
    PathInto(leaves.subspan(k), m - k, out);
    out.push_back(RootOf(leaves.first(k)));
  }
}

// SUBPROOF(m, D[n], b); `old_root_known` is the RFC's b: while it holds, the subtree
// D[0:m] is the whole old tree, whose root the verifier already has.
void SubproofInto(std::span<const Hash> leaves, uint64_t m, bool old_root_known,
                  std::vector<Hash>& out) {
  if (m == leaves.size()) {
    if (!old_root_known) out.push_back(RootOf(leaves));
    return;
  }
  uint64_t k = SplitPoint(leaves.size());
  if (m <= k) {
    SubproofInto(leaves.first(k), m, old_root_known, out);
    out.push_back(RootOf(leaves.subspan(k)));
  } else {
    SubproofInto(leaves.subspan(k), m - k, false, out);
    out.push_back(RootOf(leaves.first(k)));
  }
}

// --- From stored complete subtrees ---

// The complete subtrees that make up the RFC tree node covering [begin, begin + count),
// left to right. Every node of an RFC tree starts at a multiple of a power of two that
// is at least its leaf count, so the set bits of count name complete subtrees in turn.
Result<std::vector<Hash>> SubtreesOf(uint64_t begin, uint64_t count, const SubtreeSource& source) {
  std::vector<Hash> subtrees;
  subtrees.reserve(std::popcount(count));
  for (int level = static_cast<int>(std::bit_width(count)) - 1; level >= 0; --level) {
    uint64_t width = uint64_t{1} << level;
    if ((count & width) == 0) continue;
    ASSIGN_OR_RETURN(Hash hash, source.Subtree(static_cast<uint32_t>(level), begin >> level));
    subtrees.push_back(hash);
    begin += width;
  }
  return subtrees;
}

// MTH of the node covering [begin, end) (end > begin), in popcount(end - begin) lookups.
Result<Hash> NodeAt(uint64_t begin, uint64_t end, const SubtreeSource& source) {
  ASSIGN_OR_RETURN(std::vector<Hash> subtrees, SubtreesOf(begin, end - begin, source));
  return FoldRightToLeft(subtrees);
}

// A left child: always complete, so one lookup.
Result<Hash> CompleteAt(uint64_t begin, uint64_t width, const SubtreeSource& source) {
  uint32_t level = LevelOf(width);
  return source.Subtree(level, begin >> level);
}

}  // namespace

Hash LeafHash(std::span<const uint8_t> entry) { return Sha256({{&kLeafPrefix, 1}, entry}); }

Hash NodeHash(const Hash& left, const Hash& right) {
  return Sha256({{&kNodePrefix, 1}, left, right});
}

Hash EmptyRoot() { return Sha256({}); }

Hash RootOf(std::span<const Hash> leaves) {
  if (leaves.empty()) return EmptyRoot();
  if (leaves.size() == 1) return leaves[0];
  uint64_t k = SplitPoint(leaves.size());
  return NodeHash(RootOf(leaves.first(k)), RootOf(leaves.subspan(k)));
}

std::vector<Hash> InclusionProofOf(std::span<const Hash> leaves, uint64_t index) {
  if (index >= leaves.size()) {
    throw std::out_of_range("InclusionProofOf: leaf index " + std::to_string(index) +
                            " is outside a tree of " + std::to_string(leaves.size()) + " leaves");
  }
  std::vector<Hash> path;
  PathInto(leaves, index, path);
  return path;
}

std::vector<Hash> ConsistencyProofOf(std::span<const Hash> leaves, uint64_t old_size) {
  if (old_size > leaves.size()) {
    throw std::out_of_range("ConsistencyProofOf: old size " + std::to_string(old_size) +
                            " exceeds the tree's " + std::to_string(leaves.size()) + " leaves");
  }
  std::vector<Hash> proof;
  if (old_size == 0) return proof;
  SubproofInto(leaves, old_size, true, proof);
  return proof;
}

// RFC 9162 §2.1.3.2. fn walks the leaf's position up the tree and sn the last leaf's;
// where they meet, the node has no right sibling at some levels and the path skips them.
bool VerifyInclusion(const Hash& leaf_hash, uint64_t index, uint64_t tree_size,
                     std::span<const Hash> proof, const Hash& root) {
  if (index >= tree_size) return false;
  uint64_t fn = index;
  uint64_t sn = tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;  // the path is longer than the tree is tall
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;  // sn != 0: the path stopped short of the root
}

// RFC 9162 §2.1.4.2: rebuilds both roots from the same path, the old one from only the
// hashes to the left of the old tree's last leaf.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, std::span<const Hash> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) {
    return proof.empty() && old_root == new_root && (old_size > 0 || old_root == EmptyRoot());
  }
  if (old_size == 0) return proof.empty() && old_root == EmptyRoot();
  if (proof.empty()) return false;

  // A power-of-two old tree is itself a node of the new tree; the proof leaves its hash
  // out because the verifier holds it.
  std::vector<Hash> path;
  path.reserve(proof.size() + 1);
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());

  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

std::vector<MerkleFrontier::Completed> MerkleFrontier::Append(const Hash& leaf_hash) {
  if (size_ == UINT64_MAX) throw std::length_error("MerkleFrontier: tree is full");
  std::vector<Completed> completed;
  completed.push_back({0, size_, leaf_hash});
  // Each trailing one bit of the old size is a complete subtree of that level waiting for
  // a right sibling of the same size, which the new leaf has just completed.
  Hash hash = leaf_hash;
  uint32_t level = 0;
  while (((size_ >> level) & 1) == 1) {
    hash = NodeHash(peaks_.back(), hash);
    peaks_.pop_back();
    ++level;
    completed.push_back({level, size_ >> level, hash});
  }
  peaks_.push_back(hash);
  ++size_;
  return completed;
}

Hash MerkleFrontier::Root() const {
  if (peaks_.empty()) return EmptyRoot();
  return FoldRightToLeft(peaks_);
}

Result<MerkleFrontier> MerkleFrontier::Restore(uint64_t size, const SubtreeSource& source) {
  MerkleFrontier frontier;
  ASSIGN_OR_RETURN(frontier.peaks_, SubtreesOf(0, size, source));
  frontier.size_ = size;
  return frontier;
}

Result<Hash> RootAt(uint64_t size, const SubtreeSource& source) {
  if (size == 0) return EmptyRoot();
  return NodeAt(0, size, source);
}

// PATH walked from the root down to the leaf over [begin, end). Only the first right
// sibling met on the tree's right edge can be incomplete (after a step left every node is
// complete), so this costs one lookup per element plus at most log n more.
Result<std::vector<Hash>> InclusionProof(uint64_t index, uint64_t size,
                                         const SubtreeSource& source) {
  if (index >= size) {
    return Fail(ErrorCode::kInvalid, "leaf index " + std::to_string(index) +
                                         " is outside a tree of " + std::to_string(size) +
                                         " leaves");
  }
  std::vector<Hash> path;
  uint64_t begin = 0;
  uint64_t end = size;
  while (end - begin > 1) {
    uint64_t k = SplitPoint(end - begin);
    if (index < begin + k) {
      ASSIGN_OR_RETURN(Hash right, NodeAt(begin + k, end, source));
      path.push_back(right);
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(Hash left, CompleteAt(begin, k, source));
      path.push_back(left);
      begin += k;
    }
  }
  std::ranges::reverse(path);  // the RFC lists the leaf's sibling first
  return path;
}

// SUBPROOF walked from the root down over [begin, end) until the node that ends where
// the old tree ends; same lookup bound as InclusionProof.
Result<std::vector<Hash>> ConsistencyProof(uint64_t old_size, uint64_t new_size,
                                           const SubtreeSource& source) {
  if (old_size > new_size) {
    return Fail(ErrorCode::kInvalid, "old tree size " + std::to_string(old_size) +
                                         " exceeds new tree size " + std::to_string(new_size));
  }
  std::vector<Hash> proof;
  if (old_size == 0 || old_size == new_size) return proof;

  std::vector<Hash> siblings;  // top-down
  uint64_t begin = 0;
  uint64_t end = new_size;
  bool old_root_known = true;
  while (end != old_size) {
    uint64_t k = SplitPoint(end - begin);
    if (old_size <= begin + k) {
      ASSIGN_OR_RETURN(Hash right, NodeAt(begin + k, end, source));
      siblings.push_back(right);
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(Hash left, CompleteAt(begin, k, source));
      siblings.push_back(left);
      begin += k;
      old_root_known = false;
    }
  }
  if (!old_root_known) {
    ASSIGN_OR_RETURN(Hash node, NodeAt(begin, end, source));
    proof.push_back(node);
  }
  proof.insert(proof.end(), siblings.rbegin(), siblings.rend());
  return proof;
}

}  // namespace medvault::audit
