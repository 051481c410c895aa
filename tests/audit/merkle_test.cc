#include "audit/merkle.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "support/reference_merkle.h"

namespace medvault::audit {
namespace {

namespace independent = medvault::testing::rfc6962;
// ---------------------------------------------------------------------------------------

static_assert(std::is_same_v<independent::Digest, Hash>);

Hash FromHex(std::string_view hex) {
  auto bytes = crypto::FromHex(hex);
  if (!bytes || bytes->size() != 32) throw std::invalid_argument("bad hash hex");
  Hash h;
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

std::vector<std::string> Hexes(std::span<const Hash> hs) {
  std::vector<std::string> out;
  for (const Hash& h : hs) out.push_back(crypto::ToHex(h));
  return out;
}

Hash Flip(Hash h, size_t byte, int bit) {
  h[byte] ^= static_cast<uint8_t>(1u << bit);
  return h;
}

// A store stand-in: the complete subtrees the frontier reported, and a count of lookups
// so that tests can hold proofs to their O(log n) budget.
class MapSource : public SubtreeSource {
 public:
  void Put(std::span<const MerkleFrontier::Completed> completed) {
    for (const auto& c : completed) {
      bool fresh = subtrees_.emplace(std::pair(c.level, c.index), c.hash).second;
      EXPECT_TRUE(fresh) << "subtree reported twice: " << c.level << "/" << c.index;
    }
  }
  Result<Hash> Subtree(uint32_t level, uint64_t index) const override {
    ++lookups_;
    auto it = subtrees_.find({level, index});
    if (it == subtrees_.end()) return Fail(ErrorCode::kNotFound, "no such subtree");
    return it->second;
  }
  size_t stored() const { return subtrees_.size(); }
  int TakeLookups() const { return std::exchange(lookups_, 0); }

 private:
  std::map<std::pair<uint32_t, uint64_t>, Hash> subtrees_;
  mutable int lookups_ = 0;
};

// ---------------------------------------------------------------------------------------
// RFC 6962 test vectors as published with Certificate Transparency: the 8-leaf sample
// tree of google/certificate-transparency cpp/merkletree/merkle_tree_test.cc (replicated
// in Chromium's net/cert/ct_log_verifier_unittest.cc) and transparency-dev/merkle
// proof/verify_test.go, which adds the 6 -> 7 consistency proof.

constexpr std::string_view kLeafData[8] = {"",
                                           "00",
                                           "10",
                                           "2021",
                                           "3031",
                                           "40414243",
                                           "5051525354555657",
                                           "606162636465666768696a6b6c6d6e6f"};

constexpr std::string_view kLeafHashes[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1"};

// kRoots[n - 1] is the root of the tree of the first n leaves.
constexpr std::string_view kRoots[8] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

constexpr std::string_view kEmptyRoot =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct InclusionVector {
  uint64_t index;
  uint64_t size;
  std::vector<std::string_view> proof;
};

const std::vector<InclusionVector>& InclusionVectors() {
  static const std::vector<InclusionVector> v = {
      {0, 1, {}},
      {0,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {5,
       8,
       {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
      {1,
       5,
       {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
  };
  return v;
}

struct ConsistencyVector {
  uint64_t old_size;
  uint64_t new_size;
  std::vector<std::string_view> proof;
};

const std::vector<ConsistencyVector>& ConsistencyVectors() {
  static const std::vector<ConsistencyVector> v = {
      {1, 1, {}},
      {1,
       8,
       {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
      {6,
       8,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
      {2,
       5,
       {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
      {6,
       7,
       {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
  };
  return v;
}

std::vector<Hash> ProofOf(const std::vector<std::string_view>& hexes) {
  std::vector<Hash> out;
  for (auto hex : hexes) out.push_back(FromHex(hex));
  return out;
}

std::vector<std::string> RfcEntries() {
  std::vector<std::string> entries;
  for (auto hex : kLeafData) {
    // crypto::FromHex("") hands libsodium a null buffer, which UBSan rejects.
    if (hex.empty()) {
      entries.emplace_back();
      continue;
    }
    auto bytes = crypto::FromHex(hex);
    entries.emplace_back(crypto::AsText(*bytes));
  }
  return entries;
}

std::vector<Hash> RfcLeafHashes() {
  std::vector<Hash> leaves;
  for (const std::string& e : RfcEntries()) leaves.push_back(LeafHash(crypto::AsBytes(e)));
  return leaves;
}

// Builds the tree over `leaves` with a frontier, storing every completed subtree.
MapSource SourceFor(std::span<const Hash> leaves) {
  MapSource source;
  MerkleFrontier frontier;
  for (const Hash& leaf : leaves) source.Put(frontier.Append(leaf));
  return source;
}

// ---------------------------------------------------------------------------------------
// Negative probes: each valid proof, spoiled in every way a careless verifier might
// still accept. Every probe must fail under both the library and the independent
// verifier. `root_of(size)` gives the true root of another size of the same tree, so
// that a wrong size is also tried with the root that size really has. (A neighbouring
// size with the *same* root is no probe: its proof can have the same shape, and then
// only the root, signed together with the size in a tree head, tells them apart.)

using RootOfSize = std::function<std::optional<Hash>(uint64_t)>;

struct InclusionProbe {
  std::string what;
  Hash leaf;
  uint64_t index;
  uint64_t size;
  std::vector<Hash> proof;
  Hash root;
};

std::vector<Hash> With(std::vector<Hash> proof, size_t at, const Hash& h) {
  proof.insert(proof.begin() + static_cast<ptrdiff_t>(at), h);
  return proof;
}
std::vector<Hash> Without(std::vector<Hash> proof, size_t at) {
  proof.erase(proof.begin() + static_cast<ptrdiff_t>(at));
  return proof;
}

std::vector<InclusionProbe> SpoilInclusion(const InclusionProbe& good, const RootOfSize& root_of) {
  const auto& [_, leaf, index, size, proof, root] = good;
  const Hash zero{};
  std::vector<InclusionProbe> probes = {
      {"index - 1", leaf, index - 1, size, proof, root},
      {"index + 1", leaf, index + 1, size, proof, root},
      {"index ^ 1", leaf, index ^ 1, size, proof, root},
      {"index ^ 2", leaf, index ^ 2, size, proof, root},
      {"size * 2", leaf, index, size * 2, proof, root},
      {"size / 2", leaf, index, size / 2, proof, root},
      {"index / 2, size / 2", leaf, index / 2, size / 2, proof, root},
      {"size 0", leaf, index, 0, proof, root},
      {"flipped leaf bit", Flip(leaf, 0, 0), index, size, proof, root},
      {"flipped leaf last bit", Flip(leaf, 31, 7), index, size, proof, root},
      {"flipped root bit", leaf, index, size, proof, Flip(root, 0, 0)},
      {"flipped root last bit", leaf, index, size, proof, Flip(root, 31, 7)},
      {"empty-tree root", leaf, index, size, proof, EmptyRoot()},
      {"zero hash appended", leaf, index, size, With(proof, proof.size(), zero), root},
      {"root appended", leaf, index, size, With(proof, proof.size(), root), root},
      {"leaf appended", leaf, index, size, With(proof, proof.size(), leaf), root},
      {"zero hash prepended", leaf, index, size, With(proof, 0, zero), root},
      {"root prepended", leaf, index, size, With(proof, 0, root), root},
      {"leaf prepended", leaf, index, size, With(proof, 0, leaf), root},
  };
  // In a one-leaf tree the leaf is the root.
  if (leaf != root) probes.push_back({"leaf as root", leaf, index, size, proof, leaf});
  for (uint64_t other : {size - 1, size + 1}) {
    if (auto other_root = root_of(other)) {
      probes.push_back({"size " + std::to_string(other) + " with its root", leaf, index, other,
                        proof, *other_root});
    }
  }
  for (size_t i = 0; i < proof.size(); ++i) {
    std::string at = "[" + std::to_string(i) + "]";
    for (auto [byte, bit] : {std::pair<size_t, int>{0, 0}, {0, 3}, {15, 5}, {31, 7}}) {
      std::vector<Hash> wrong = proof;
      wrong[i] = Flip(wrong[i], byte, bit);
      probes.push_back({"flipped bit in proof" + at, leaf, index, size, wrong, root});
    }
    probes.push_back({"removed proof" + at, leaf, index, size, Without(proof, i), root});
    probes.push_back({"zero hash inserted at" + at, leaf, index, size, With(proof, i, zero), root});
    probes.push_back({"duplicated proof" + at, leaf, index, size, With(proof, i, proof[i]), root});
    if (i + 1 < proof.size()) {
      std::vector<Hash> swapped = proof;
      std::swap(swapped[i], swapped[i + 1]);
      probes.push_back({"swapped proof" + at + " and next", leaf, index, size, swapped, root});
    }
  }
  if (!proof.empty()) probes.push_back({"empty proof", leaf, index, size, {}, root});
  return probes;
}

struct ConsistencyProbe {
  std::string what;
  uint64_t old_size;
  uint64_t new_size;
  Hash old_root;
  Hash new_root;
  std::vector<Hash> proof;
};

std::vector<ConsistencyProbe> SpoilConsistency(const ConsistencyProbe& good,
                                               const RootOfSize& root_of) {
  const auto& [_, m, n, old_root, new_root, proof] = good;
  const Hash zero{};
  std::vector<ConsistencyProbe> probes = {
      {"old size - 1", m - 1, n, old_root, new_root, proof},
      {"old size + 1", m + 1, n, old_root, new_root, proof},
      {"old size ^ 2", m ^ 2, n, old_root, new_root, proof},
      {"flipped old root bit", m, n, Flip(old_root, 0, 0), new_root, proof},
      {"flipped old root last bit", m, n, Flip(old_root, 31, 7), new_root, proof},
      {"zero hash appended", m, n, old_root, new_root, With(proof, proof.size(), zero)},
      {"old root appended", m, n, old_root, new_root, With(proof, proof.size(), old_root)},
      {"new root appended", m, n, old_root, new_root, With(proof, proof.size(), new_root)},
      {"zero hash prepended", m, n, old_root, new_root, With(proof, 0, zero)},
      {"old root prepended", m, n, old_root, new_root, With(proof, 0, old_root)},
      {"new root prepended", m, n, old_root, new_root, With(proof, 0, new_root)},
  };
  if (old_root != new_root) {
    probes.push_back({"swapped roots", m, n, new_root, old_root, proof});
  }
  // Any tree extends the empty tree: with old size 0 only the old side can be wrong.
  if (m != 0) {
    probes.push_back({"new size * 2", m, n * 2, old_root, new_root, proof});
    probes.push_back({"new size / 2", m, n / 2, old_root, new_root, proof});
    probes.push_back({"flipped new root bit", m, n, old_root, Flip(new_root, 0, 0), proof});
    probes.push_back({"flipped new root last bit", m, n, old_root, Flip(new_root, 31, 7), proof});
    for (uint64_t other : {n - 1, n + 1}) {
      if (auto other_root = root_of(other); other_root && other >= m) {
        probes.push_back({"new size " + std::to_string(other) + " with its root", m, other,
                          old_root, *other_root, proof});
      }
    }
  }
  for (uint64_t other : {m - 1, m + 1}) {
    // PROOF(0, D[n]) and PROOF(n, D[n]) are both empty: an empty proof rightly passes.
    if (proof.empty() && (other == 0 || other == n)) continue;
    if (auto other_root = root_of(other); other_root && other <= n) {
      probes.push_back({"old size " + std::to_string(other) + " with its root", other, n,
                        *other_root, new_root, proof});
    }
  }
  for (size_t i = 0; i < proof.size(); ++i) {
    std::string at = "[" + std::to_string(i) + "]";
    for (auto [byte, bit] : {std::pair<size_t, int>{0, 0}, {0, 4}, {15, 5}, {31, 7}}) {
      std::vector<Hash> wrong = proof;
      wrong[i] = Flip(wrong[i], byte, bit);
      probes.push_back({"flipped bit in proof" + at, m, n, old_root, new_root, wrong});
    }
    probes.push_back({"removed proof" + at, m, n, old_root, new_root, Without(proof, i)});
    probes.push_back(
        {"zero hash inserted at" + at, m, n, old_root, new_root, With(proof, i, zero)});
    probes.push_back({"duplicated proof" + at, m, n, old_root, new_root, With(proof, i, proof[i])});
    if (i + 1 < proof.size()) {
      std::vector<Hash> swapped = proof;
      std::swap(swapped[i], swapped[i + 1]);
      probes.push_back({"swapped proof" + at + " and next", m, n, old_root, new_root, swapped});
    }
  }
  if (!proof.empty()) probes.push_back({"empty proof", m, n, old_root, new_root, {}});
  return probes;
}

bool LibraryAccepts(const InclusionProbe& p) {
  return VerifyInclusion(p.leaf, p.index, p.size, p.proof, p.root);
}
bool IndependentAccepts(const InclusionProbe& p) {
  return independent::CheckInclusion(p.leaf, p.index, p.size, p.proof, p.root);
}
bool LibraryAccepts(const ConsistencyProbe& p) {
  return VerifyConsistency(p.old_size, p.new_size, p.old_root, p.new_root, p.proof);
}
bool IndependentAccepts(const ConsistencyProbe& p) {
  return independent::CheckConsistency(p.old_size, p.new_size, p.old_root, p.new_root, p.proof);
}

// The valid proof passes both verifiers and every spoiled variant fails both.
template <typename Probe, typename Spoil>
void ExpectOnlyTheValidProofPasses(const Probe& good, Spoil spoil, const RootOfSize& root_of) {
  EXPECT_TRUE(LibraryAccepts(good)) << good.what;
  EXPECT_TRUE(IndependentAccepts(good)) << good.what;
  for (const Probe& p : spoil(good, root_of)) {
    EXPECT_FALSE(LibraryAccepts(p)) << good.what << ": library accepted " << p.what;
    EXPECT_FALSE(IndependentAccepts(p)) << good.what << ": reference accepted " << p.what;
  }
}

RootOfSize RootsOfPrefixes(std::span<const Hash> leaves) {
  std::vector<Hash> roots;
  for (size_t size = 0; size <= leaves.size(); ++size) roots.push_back(RootOf(leaves.first(size)));
  return [roots = std::move(roots)](uint64_t size) -> std::optional<Hash> {
    if (size >= roots.size()) return std::nullopt;
    return roots[size];
  };
}

// =======================================================================================

TEST(MerkleHashing, MatchesRfc6962Vectors) {
  EXPECT_EQ(crypto::ToHex(EmptyRoot()), kEmptyRoot);
  // transparency-dev/merkle rfc6962_test.go: SHA-256(0x00 ‖ "L123456").
  EXPECT_EQ(crypto::ToHex(LeafHash(crypto::AsBytes("L123456"))),
            "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
  std::vector<Hash> leaves = RfcLeafHashes();
  for (size_t i = 0; i < 8; ++i) EXPECT_EQ(crypto::ToHex(leaves[i]), kLeafHashes[i]) << i;
  // A node is not the leaf of its children's concatenation, nor symmetric.
  Hash node = NodeHash(leaves[0], leaves[1]);
  EXPECT_EQ(node, independent::Node(leaves[0], leaves[1]));
  EXPECT_NE(node, NodeHash(leaves[1], leaves[0]));
  std::vector<uint8_t> joined(leaves[0].begin(), leaves[0].end());
  joined.insert(joined.end(), leaves[1].begin(), leaves[1].end());
  EXPECT_NE(node, LeafHash(joined));
}

TEST(MerkleReference, RootsMatchRfc6962Vectors) {
  std::vector<Hash> leaves = RfcLeafHashes();
  EXPECT_EQ(RootOf({}), EmptyRoot());
  for (size_t n = 1; n <= 8; ++n) {
    EXPECT_EQ(crypto::ToHex(RootOf(std::span(leaves).first(n))), kRoots[n - 1]) << n;
  }
}

TEST(MerkleReference, InclusionProofsMatchRfc6962Vectors) {
  std::vector<Hash> leaves = RfcLeafHashes();
  MapSource source = SourceFor(leaves);
  std::vector<std::string> entries = RfcEntries();
  for (const auto& v : InclusionVectors()) {
    SCOPED_TRACE("leaf " + std::to_string(v.index) + " of " + std::to_string(v.size));
    std::vector<Hash> want = ProofOf(v.proof);
    auto prefix = std::span(leaves).first(v.size);
    EXPECT_EQ(Hexes(InclusionProofOf(prefix, v.index)), Hexes(want));
    auto served = InclusionProof(v.index, v.size, source);
    ASSERT_TRUE(served.has_value()) << served.error().message;
    EXPECT_EQ(Hexes(*served), Hexes(want));
    EXPECT_EQ(Hexes(independent::Path(v.index, std::span(entries).first(v.size))), Hexes(want));
    InclusionProbe good{
        "vector", leaves[v.index], v.index, v.size, want, FromHex(kRoots[v.size - 1])};
    ExpectOnlyTheValidProofPasses(good, SpoilInclusion, RootsOfPrefixes(leaves));
  }
}

TEST(MerkleReference, ConsistencyProofsMatchRfc6962Vectors) {
  std::vector<Hash> leaves = RfcLeafHashes();
  MapSource source = SourceFor(leaves);
  std::vector<std::string> entries = RfcEntries();
  for (const auto& v : ConsistencyVectors()) {
    SCOPED_TRACE(std::to_string(v.old_size) + " -> " + std::to_string(v.new_size));
    std::vector<Hash> want = ProofOf(v.proof);
    auto prefix = std::span(leaves).first(v.new_size);
    EXPECT_EQ(Hexes(ConsistencyProofOf(prefix, v.old_size)), Hexes(want));
    auto served = ConsistencyProof(v.old_size, v.new_size, source);
    ASSERT_TRUE(served.has_value()) << served.error().message;
    EXPECT_EQ(Hexes(*served), Hexes(want));
    EXPECT_EQ(Hexes(independent::Proof(v.old_size, std::span(entries).first(v.new_size))),
              Hexes(want));
    ConsistencyProbe good{"vector",
                          v.old_size,
                          v.new_size,
                          FromHex(kRoots[v.old_size - 1]),
                          FromHex(kRoots[v.new_size - 1]),
                          want};
    ExpectOnlyTheValidProofPasses(good, SpoilConsistency, RootsOfPrefixes(leaves));
  }
}

TEST(MerkleVerify, InclusionEdgeCases) {
  Hash leaf = LeafHash(crypto::AsBytes("data"));
  // A one-leaf tree's root is its leaf, with an empty path.
  EXPECT_TRUE(VerifyInclusion(leaf, 0, 1, {}, leaf));
  EXPECT_FALSE(VerifyInclusion(leaf, 0, 1, {}, EmptyRoot()));
  EXPECT_FALSE(VerifyInclusion(EmptyRoot(), 0, 1, {}, leaf));
  std::vector<Hash> one = {leaf};
  EXPECT_FALSE(VerifyInclusion(leaf, 0, 1, one, NodeHash(leaf, leaf)));
  EXPECT_FALSE(VerifyInclusion(leaf, 0, 1, one, leaf));
  for (auto [index, size] : {std::pair<uint64_t, uint64_t>{0, 0},
                             {1, 0},
                             {1, 1},
                             {2, 1},
                             {UINT64_MAX, UINT64_MAX},
                             {UINT64_MAX, 5}}) {
    EXPECT_FALSE(VerifyInclusion(leaf, index, size, {}, leaf)) << index << "/" << size;
    EXPECT_FALSE(VerifyInclusion(leaf, index, size, {}, EmptyRoot())) << index << "/" << size;
  }
  // Sizes near the top of the range: a path cannot make up a tree 64 levels tall.
  EXPECT_FALSE(VerifyInclusion(leaf, UINT64_MAX - 1, UINT64_MAX, one, leaf));
}

TEST(MerkleVerify, ConsistencyEdgeCases) {
  Hash a = LeafHash(crypto::AsBytes("a"));
  Hash b = LeafHash(crypto::AsBytes("b"));
  Hash empty = EmptyRoot();
  std::vector<Hash> one = {empty};
  // Sizes that are always consistent, given the right roots and an empty proof.
  EXPECT_TRUE(VerifyConsistency(0, 0, empty, empty, {}));
  EXPECT_TRUE(VerifyConsistency(0, 1, empty, a, {}));
  EXPECT_TRUE(VerifyConsistency(0, 1000, empty, b, {}));
  EXPECT_TRUE(VerifyConsistency(1, 1, a, a, {}));
  EXPECT_TRUE(VerifyConsistency(5, 5, a, a, {}));
  // Equal sizes, different roots: a fork.
  EXPECT_FALSE(VerifyConsistency(1, 1, a, b, {}));
  EXPECT_FALSE(VerifyConsistency(0, 0, empty, a, {}));
  // Size 0 carries the empty-tree root.
  EXPECT_FALSE(VerifyConsistency(0, 0, a, a, {}));
  EXPECT_FALSE(VerifyConsistency(0, 1, a, b, {}));
  // Time travel.
  EXPECT_FALSE(VerifyConsistency(1, 0, a, empty, {}));
  EXPECT_FALSE(VerifyConsistency(2, 1, a, b, {}));
  // Growth needs a proof.
  EXPECT_FALSE(VerifyConsistency(1, 2, a, b, {}));
  EXPECT_FALSE(VerifyConsistency(1, 2, a, NodeHash(a, b), {}));
  EXPECT_TRUE(VerifyConsistency(1, 2, a, NodeHash(a, b), std::vector<Hash>{b}));
  // Trivial cases with a proof that should not be there.
  EXPECT_FALSE(VerifyConsistency(0, 0, empty, empty, one));
  EXPECT_FALSE(VerifyConsistency(0, 1, empty, a, one));
  EXPECT_FALSE(VerifyConsistency(1, 1, a, a, one));
  EXPECT_FALSE(VerifyConsistency(UINT64_MAX, UINT64_MAX, a, a, one));
  EXPECT_FALSE(VerifyConsistency(1, UINT64_MAX, a, b, one));
}

// Every size 1..70, every leaf and every old size: the library agrees with the
// independent implementation on the proofs, and both verifiers accept exactly the valid
// proof.
TEST(MerkleCrossCheck, AgreesWithIndependentImplementation) {
  constexpr size_t kMax = 70;
  std::vector<std::string> entries;
  std::vector<Hash> leaves;
  for (size_t i = 0; i < kMax; ++i) {
    entries.push_back("entry " + std::to_string(i) + std::string(i % 7, '*'));
    leaves.push_back(LeafHash(crypto::AsBytes(entries.back())));
    ASSERT_EQ(leaves.back(), independent::Leaf(entries.back()));
  }
  RootOfSize root_of = RootsOfPrefixes(leaves);
  EXPECT_EQ(RootOf({}), independent::Mth({}));
  for (size_t n = 1; n <= kMax; ++n) {
    SCOPED_TRACE("tree size " + std::to_string(n));
    auto d = std::span(entries).first(n);
    auto l = std::span(leaves).first(n);
    Hash root = RootOf(l);
    ASSERT_EQ(root, independent::Mth(d));
    for (uint64_t m = 0; m < n; ++m) {
      std::vector<Hash> path = InclusionProofOf(l, m);
      ASSERT_EQ(Hexes(path), Hexes(independent::Path(m, d))) << "leaf " << m;
      InclusionProbe good{"leaf " + std::to_string(m), l[m], m, n, path, root};
      ExpectOnlyTheValidProofPasses(good, SpoilInclusion, root_of);
    }
    for (uint64_t m = 0; m <= n; ++m) {
      std::vector<Hash> proof = ConsistencyProofOf(l, m);
      ASSERT_EQ(Hexes(proof), Hexes(independent::Proof(m, d))) << "old size " << m;
      ConsistencyProbe good{"old size " + std::to_string(m), m, n, *root_of(m), root, proof};
      ExpectOnlyTheValidProofPasses(good, SpoilConsistency, root_of);
    }
  }
}

// A proof for one leaf never proves another leaf of the same tree.
TEST(MerkleCrossCheck, NoProofServesAnotherLeaf) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 40; ++i) leaves.push_back(LeafHash(crypto::AsBytes(std::to_string(i))));
  for (size_t n = 1; n <= leaves.size(); ++n) {
    auto l = std::span(leaves).first(n);
    Hash root = RootOf(l);
    for (uint64_t j = 0; j < n; ++j) {
      std::vector<Hash> path = InclusionProofOf(l, j);
      for (uint64_t i = 0; i < n; ++i) {
        EXPECT_EQ(VerifyInclusion(l[i], i, n, path, root), i == j) << i << " " << j << " " << n;
        EXPECT_EQ(VerifyInclusion(l[j], i, n, path, root), i == j) << i << " " << j << " " << n;
      }
    }
  }
}

TEST(MerkleReference, RejectsArgumentsOutsideTheTree) {
  std::vector<Hash> leaves = RfcLeafHashes();
  EXPECT_THROW(InclusionProofOf({}, 0), std::out_of_range);
  EXPECT_THROW(InclusionProofOf(leaves, 8), std::out_of_range);
  EXPECT_THROW(ConsistencyProofOf(leaves, 9), std::out_of_range);
  EXPECT_TRUE(ConsistencyProofOf(leaves, 0).empty());
  EXPECT_TRUE(ConsistencyProofOf(leaves, 8).empty());
  EXPECT_TRUE(ConsistencyProofOf({}, 0).empty());
}

// ---------------------------------------------------------------------------------------
// The frontier and the proofs from stored subtrees.

std::vector<Hash> NumberedLeaves(size_t n) {
  std::vector<Hash> leaves;
  for (size_t i = 0; i < n; ++i) {
    std::string entry = "audit entry #" + std::to_string(i);
    leaves.push_back(LeafHash(crypto::AsBytes(entry)));
  }
  return leaves;
}

void ExpectSameCompleted(std::span<const MerkleFrontier::Completed> got,
                         std::span<const MerkleFrontier::Completed> want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].level, want[i].level) << i;
    EXPECT_EQ(got[i].index, want[i].index) << i;
    EXPECT_EQ(got[i].hash, want[i].hash) << i;
  }
}

TEST(MerkleFrontier, RootAndCompletedSubtreesAtEverySize) {
  constexpr size_t kMax = 300;
  std::vector<Hash> leaves = NumberedLeaves(kMax);
  MerkleFrontier frontier;
  EXPECT_EQ(frontier.size(), 0u);
  EXPECT_EQ(frontier.Root(), EmptyRoot());
  size_t reported = 0;
  for (size_t i = 0; i < kMax; ++i) {
    std::vector<MerkleFrontier::Completed> completed = frontier.Append(leaves[i]);
    uint64_t size = i + 1;
    ASSERT_EQ(frontier.size(), size);
    ASSERT_EQ(frontier.Root(), RootOf(std::span(leaves).first(size))) << size;
    // Exactly the complete subtrees that end at this leaf: one per level L with 2^L
    // dividing the new size, lowest first.
    ASSERT_EQ(completed.size(), static_cast<size_t>(std::countr_zero(size)) + 1) << size;
    for (uint32_t level = 0; level < completed.size(); ++level) {
      const auto& c = completed[level];
      uint64_t width = uint64_t{1} << level;
      EXPECT_EQ(c.level, level);
      EXPECT_EQ(c.index, size / width - 1);
      EXPECT_EQ(c.hash, RootOf(std::span(leaves).subspan(c.index * width, width)))
          << "level " << level << " index " << c.index;
    }
    reported += completed.size();
  }
  // Over the whole run: every complete subtree of the 300-leaf tree, once.
  size_t all = 0;
  for (size_t width = 1; width <= kMax; width *= 2) all += kMax / width;
  EXPECT_EQ(reported, all);
}

TEST(MerkleFrontier, RestoreFromStoredSubtreesContinuesIdentically) {
  constexpr size_t kMax = 300;
  std::vector<Hash> leaves = NumberedLeaves(kMax + 20);
  MapSource source;  // holds exactly what has been reported so far
  MerkleFrontier live;
  for (size_t size = 0; size <= kMax; ++size) {
    SCOPED_TRACE("restored at size " + std::to_string(size));
    source.TakeLookups();
    auto restored = MerkleFrontier::Restore(size, source);
    ASSERT_TRUE(restored.has_value()) << restored.error().message;
    EXPECT_EQ(source.TakeLookups(), std::popcount(size));
    EXPECT_EQ(restored->size(), size);
    EXPECT_EQ(restored->Root(), live.Root());

    // The restored frontier carries on exactly as the one that never stopped.
    MerkleFrontier copy = live;
    for (size_t i = size; i < size + 20; ++i) {
      ExpectSameCompleted(restored->Append(leaves[i]), copy.Append(leaves[i]));
      ASSERT_EQ(restored->Root(), copy.Root());
    }

    // A size beyond what is stored is a lookup failure, reported as such.
    auto too_far = MerkleFrontier::Restore(size + 1, source);
    ASSERT_FALSE(too_far.has_value());
    EXPECT_EQ(too_far.error().code, ErrorCode::kNotFound);

    if (size < kMax) source.Put(live.Append(leaves[size]));
  }
}

// At every size up to 100, with only the subtrees stored so far: the served root and
// proofs equal the reference ones, within an O(log n) lookup budget.
TEST(MerkleProofs, FromStoredSubtreesEqualTheReference) {
  constexpr size_t kMax = 100;
  std::vector<Hash> leaves = NumberedLeaves(kMax);
  MapSource source;
  MerkleFrontier frontier;
  EXPECT_EQ(*RootAt(0, source), EmptyRoot());
  for (size_t n = 1; n <= kMax; ++n) {
    SCOPED_TRACE("tree size " + std::to_string(n));
    source.Put(frontier.Append(leaves[n - 1]));
    auto l = std::span(leaves).first(n);
    const int budget = 2 * static_cast<int>(std::bit_width(n)) + 1;
    source.TakeLookups();
    for (uint64_t size = 0; size <= n; ++size) {
      auto root = RootAt(size, source);
      ASSERT_TRUE(root.has_value()) << root.error().message;
      ASSERT_EQ(*root, RootOf(l.first(size))) << size;
      EXPECT_EQ(source.TakeLookups(), std::popcount(size));
    }
    for (uint64_t index = 0; index < n; ++index) {
      auto proof = InclusionProof(index, n, source);
      ASSERT_TRUE(proof.has_value()) << proof.error().message;
      ASSERT_EQ(Hexes(*proof), Hexes(InclusionProofOf(l, index))) << "leaf " << index;
      EXPECT_LE(source.TakeLookups(), budget) << "leaf " << index;
    }
    for (uint64_t old_size = 0; old_size <= n; ++old_size) {
      auto proof = ConsistencyProof(old_size, n, source);
      ASSERT_TRUE(proof.has_value()) << proof.error().message;
      ASSERT_EQ(Hexes(*proof), Hexes(ConsistencyProofOf(l, old_size))) << "old " << old_size;
      EXPECT_LE(source.TakeLookups(), budget) << "old " << old_size;
    }
  }
  EXPECT_EQ(source.stored(), 197u);  // 100 + 50 + 25 + 12 + 6 + 3 + 1
}

TEST(MerkleProofs, InvalidArgumentsAndMissingSubtrees) {
  std::vector<Hash> leaves = NumberedLeaves(8);
  MapSource source = SourceFor(leaves);
  for (auto [index, size] : {std::pair<uint64_t, uint64_t>{0, 0},
                             {8, 8},
                             {9, 8},
                             {UINT64_MAX, 3},
                             {UINT64_MAX, UINT64_MAX}}) {
    auto proof = InclusionProof(index, size, source);
    ASSERT_FALSE(proof.has_value()) << index << "/" << size;
    EXPECT_EQ(proof.error().code, ErrorCode::kInvalid);
    EXPECT_NE(proof.error().message.find("outside"), std::string::npos) << proof.error().message;
  }
  auto backwards = ConsistencyProof(6, 5, source);
  ASSERT_FALSE(backwards.has_value());
  EXPECT_EQ(backwards.error().code, ErrorCode::kInvalid);
  EXPECT_NE(backwards.error().message.find("exceeds"), std::string::npos);

  // The trivial proofs need no lookups at all.
  source.TakeLookups();
  EXPECT_TRUE(ConsistencyProof(0, 5, source)->empty());
  EXPECT_TRUE(ConsistencyProof(5, 5, source)->empty());
  EXPECT_TRUE(ConsistencyProof(0, 0, source)->empty());
  EXPECT_EQ(source.TakeLookups(), 0);

  // Sizes beyond the stored tree: the source's error comes back unchanged.
  auto root = RootAt(9, source);
  ASSERT_FALSE(root.has_value());
  EXPECT_EQ(root.error().code, ErrorCode::kNotFound);
  auto inclusion = InclusionProof(3, 12, source);
  ASSERT_FALSE(inclusion.has_value());
  EXPECT_EQ(inclusion.error().code, ErrorCode::kNotFound);
  auto consistency = ConsistencyProof(3, 9, source);
  ASSERT_FALSE(consistency.has_value());
  EXPECT_EQ(consistency.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace medvault::audit
