// Arbitrary bytes as the query string of the audit log's endpoints: the inclusion and
// consistency proofs (api/proof_query.h) and the AuditEvent search (api/audit_query.h).
// A proof query that parses is then answered as the server answers it, from the
// complete subtrees of a tree (audit/merkle.h), and checked:
//  - over a small tree of distinct leaves: the proof is the reference one and
//    verifies; a size past the tree gets no answer (proof and leaf hash, as the
//    endpoint answers);
//  - over a tree as large as the query asks (up to 2^64 - 1 leaves, all equal, so every
//    subtree hash is known without hashing 2^64 leaves): the proof verifies against the
//    root the server would sign, which exercises the index arithmetic at any size.
// An AuditEvent query that parses re-encodes to a canonical query (the self and next
// links) that parses back to the same criteria, with _count and _cursor appended.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/audit_query.h"
#include "api/proof_query.h"
#include "audit/merkle.h"

namespace {

using namespace medvault;
using audit::Hash;

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "property broken: %s\n", property);
  std::abort();
}

constexpr uint64_t kSmallTree = 37;

// The subtrees a store holds for a tree of `size` leaves.
class MapSource final : public audit::SubtreeSource {
 public:
  Result<Hash> Subtree(uint32_t level, uint64_t index) const override {
    auto it = subtrees_.find({level, index});
    if (it == subtrees_.end()) return Fail(ErrorCode::kInvalid, "not that long yet");
    return it->second;
  }
  std::map<std::pair<uint32_t, uint64_t>, Hash> subtrees_;
};

struct SmallTree {
  std::vector<Hash> leaves;
  MapSource source;
};

const SmallTree& Small() {
  static const SmallTree tree = [] {
    SmallTree t;
    audit::MerkleFrontier frontier;
    for (uint64_t i = 0; i < kSmallTree; ++i) {
      std::array<uint8_t, 8> entry{};
      for (size_t b = 0; b < 8; ++b) entry[b] = static_cast<uint8_t>(i >> (8 * b));
      t.leaves.push_back(audit::LeafHash(entry));
      for (const auto& c : frontier.Append(t.leaves.back()))
        t.source.subtrees_[{c.level, c.index}] = c.hash;
    }
    return t;
  }();
  return tree;
}

// A tree of `size` equal leaves: the complete subtree of 2^level leaves has one hash
// per level, and exists when it ends within the tree.
class UniformSource final : public audit::SubtreeSource {
 public:
  explicit UniformSource(uint64_t size) : size_(size) {
    levels_[0] = audit::LeafHash(std::array<uint8_t, 1>{42});
    for (size_t l = 1; l < levels_.size(); ++l)
      levels_[l] = audit::NodeHash(levels_[l - 1], levels_[l - 1]);
  }
  Result<Hash> Subtree(uint32_t level, uint64_t index) const override {
    if (level >= 64 || index >= (size_ >> level))
      return Fail(ErrorCode::kInvalid, "not that long yet");
    return levels_[level];
  }
  const Hash& Leaf() const { return levels_[0]; }

 private:
  uint64_t size_;
  std::array<Hash, 64> levels_;
};

void CheckInclusion(uint64_t index, uint64_t size) {
  const SmallTree& small = Small();
  auto proof = audit::InclusionProof(index, size, small.source);
  if (index >= size) {
    if (proof) Broken("no inclusion proof for an index outside the tree");
    return;
  }
  if (size > kSmallTree) {
    // The path alone may exist (for the last leaf it needs only the leaves before it);
    // the endpoint answers with the leaf hash as well, which does not.
    if (proof && small.source.Subtree(0, index)) Broken("no inclusion answer past the stored tree");
  } else {
    std::span<const Hash> prefix(small.leaves.data(), size);
    if (!proof || *proof != audit::InclusionProofOf(prefix, index))
      Broken("inclusion proof is the reference one");
    if (!audit::VerifyInclusion(small.leaves[index], index, size, *proof, audit::RootOf(prefix)))
      Broken("inclusion proof verifies");
  }
  UniformSource uniform(size);
  auto big = audit::InclusionProof(index, size, uniform);
  auto root = audit::RootAt(size, uniform);
  if (!big || !root) Broken("inclusion proof in a tree of any size");
  if (!audit::VerifyInclusion(uniform.Leaf(), index, size, *big, *root))
    Broken("inclusion proof in a tree of any size verifies");
}

void CheckConsistency(uint64_t from, uint64_t to) {
  const SmallTree& small = Small();
  auto proof = audit::ConsistencyProof(from, to, small.source);
  if (from > to) {
    if (proof) Broken("no consistency proof from a larger tree");
    return;
  }
  if (to <= kSmallTree) {
    std::span<const Hash> leaves(small.leaves.data(), to);
    if (!proof || *proof != audit::ConsistencyProofOf(leaves, from))
      Broken("consistency proof is the reference one");
    if (!audit::VerifyConsistency(from, to, audit::RootOf(leaves.first(from)),
                                  audit::RootOf(leaves), *proof))
      Broken("consistency proof verifies");
  } else if (audit::RootAt(to, small.source)) {
    Broken("no root past the stored tree");
  }
  UniformSource uniform(to);
  auto big = audit::ConsistencyProof(from, to, uniform);
  auto old_root = audit::RootAt(from, uniform);
  auto new_root = audit::RootAt(to, uniform);
  if (!big || !old_root || !new_root) Broken("consistency proof in a tree of any size");
  if (!audit::VerifyConsistency(from, to, *old_root, *new_root, *big))
    Broken("consistency proof in a tree of any size verifies");
}

void CheckAuditQuery(std::string_view input) {
  auto query = api::ParseAuditQuery(input);
  if (!query) return;
  // The next link: the canonical query, the page size and where the next page starts.
  std::string link = query->canonical_query + (query->canonical_query.empty() ? "" : "&") +
                     "_count=" + std::to_string(query->count) + "&_cursor=1";
  auto again = api::ParseAuditQuery(link);
  if (!again) Broken("the next link of an audit search parses");
  const audit::AuditCriteria& a = query->criteria;
  const audit::AuditCriteria& b = again->criteria;
  if (again->canonical_query != query->canonical_query || again->count != query->count ||
      again->agent_name != query->agent_name || a.patient != b.patient ||
      a.account_id != b.account_id || a.from_ms != b.from_ms || a.until_ms != b.until_ms ||
      a.outcomes != b.outcomes || a.max_events != b.max_events || b.before_seq != 1)
    Broken("the next link of an audit search selects the same entries");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto q = api::ParseInclusionQuery(input)) {
    auto again = api::ParseInclusionQuery("size=" + std::to_string(q->size) +
                                          "&index=" + std::to_string(q->index));
    if (!again || again->index != q->index || again->size != q->size)
      Broken("an inclusion query reads back the same");
    CheckInclusion(q->index, q->size);
  }
  if (auto q = api::ParseConsistencyQuery(input)) {
    auto again = api::ParseConsistencyQuery("to=" + std::to_string(q->to) +
                                            "&from=" + std::to_string(q->from));
    if (!again || again->from != q->from || again->to != q->to)
      Broken("a consistency query reads back the same");
    CheckConsistency(q->from, q->to);
  }
  CheckAuditQuery(input);
  return 0;
}
