// An RFC 6962 §2.1 Merkle tree implementation for tests, sharing no code with
// src/audit/merkle.cc: SHA-256 from OpenSSL instead of libsodium, leaves hashed from the
// raw entries, proofs generated and checked by the RFC's recursive definitions (no bit
// arithmetic on sizes), so that a mistake in the server cannot hide behind the same
// mistake in its check. Header-only; link OpenSSL::Crypto.
#pragma once

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

// An RFC 6962 §2.1 implementation that shares no code with audit/merkle.cc: SHA-256 from
// OpenSSL instead of libsodium, leaves hashed from the raw entries, proofs generated and
// checked by the RFC's recursive definitions (no bit arithmetic on sizes), so a mistake in
// the library cannot hide behind the same mistake in the check.
namespace medvault::testing::rfc6962 {

// A plain byte array; the library's Hash happens to be the same type, which spares the
// tests conversions (and allocations) without sharing any code.
using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

inline Digest Sha256(std::span<const unsigned char> data) {
  // One context for the test binary: the one-shot SHA256() allocates one per call, which
  // under ASan dominated the cross-check's run time.
  static EVP_MD_CTX* const ctx = EVP_MD_CTX_new();
  Digest out;
  unsigned int length = 0;
  if (ctx == nullptr || EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx, out.data(), &length) != 1 || length != out.size())
    throw std::runtime_error("OpenSSL SHA-256 failed");
  return out;
}

inline Digest EmptyTreeRoot() { return Sha256({}); }

inline Digest Leaf(std::string_view entry) {
  std::vector<unsigned char> buffer = {0x00};
  buffer.insert(buffer.end(), entry.begin(), entry.end());
  return Sha256(buffer);
}

inline Digest Node(const Digest& left, const Digest& right) {
  std::array<unsigned char, 1 + 2 * SHA256_DIGEST_LENGTH> buffer;
  buffer[0] = 0x01;
  std::copy(left.begin(), left.end(), buffer.begin() + 1);
  std::copy(right.begin(), right.end(), buffer.begin() + 1 + SHA256_DIGEST_LENGTH);
  return Sha256(buffer);
}

// The largest power of two strictly below n (n >= 2), by doubling.
inline size_t Split(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

using Entries = std::span<const std::string>;

inline Digest Mth(Entries d) {
  if (d.empty()) return EmptyTreeRoot();
  if (d.size() == 1) return Leaf(d[0]);
  size_t k = Split(d.size());
  return Node(Mth(d.first(k)), Mth(d.subspan(k)));
}

// PATH(m, D[n]).
inline std::vector<Digest> Path(size_t m, Entries d) {
  if (d.size() == 1) return {};
  size_t k = Split(d.size());
  std::vector<Digest> out;
  if (m < k) {
    out = Path(m, d.first(k));
    out.push_back(Mth(d.subspan(k)));
  } else {
    out = Path(m - k, d.subspan(k));
    out.push_back(Mth(d.first(k)));
  }
  return out;
}

// SUBPROOF(m, D[n], b) and PROOF(m, D[n]).
inline std::vector<Digest> Subproof(size_t m, Entries d, bool b) {
  if (m == d.size()) return b ? std::vector<Digest>{} : std::vector<Digest>{Mth(d)};
  size_t k = Split(d.size());
  std::vector<Digest> out;
  if (m <= k) {
    out = Subproof(m, d.first(k), b);
    out.push_back(Mth(d.subspan(k)));
  } else {
    out = Subproof(m - k, d.subspan(k), false);
    out.push_back(Mth(d.first(k)));
  }
  return out;
}
inline std::vector<Digest> Proof(size_t m, Entries d) {
  if (m == 0) return {};
  return Subproof(m, d, true);
}

// Walks PATH's definition backwards: the last element is the root's other child.
inline std::optional<Digest> Climb(uint64_t index, uint64_t size, const Digest& leaf,
                                   std::span<const Digest> proof) {
  if (size == 1) return proof.empty() ? std::optional(leaf) : std::nullopt;
  if (proof.empty()) return std::nullopt;
  uint64_t k = Split(size);
  const Digest& sibling = proof.back();
  std::span<const Digest> rest = proof.first(proof.size() - 1);
  if (index < k) {
    auto left = Climb(index, k, leaf, rest);
    return left ? std::optional(Node(*left, sibling)) : std::nullopt;
  }
  auto right = Climb(index - k, size - k, leaf, rest);
  return right ? std::optional(Node(sibling, *right)) : std::nullopt;
}

inline bool CheckInclusion(const Digest& leaf, uint64_t index, uint64_t size,
                           std::span<const Digest> proof, const Digest& root) {
  if (index >= size) return false;
  auto got = Climb(index, size, leaf, proof);
  return got && *got == root;
}

struct Roots {
  Digest old_root;
  Digest new_root;
};

// Walks SUBPROOF's definition backwards, rebuilding the old and the new root at once.
inline std::optional<Roots> Rebuild(uint64_t m, uint64_t n, bool b, const Digest& old_root,
                                    std::span<const Digest> proof) {
  if (m == n) {
    if (b) return proof.empty() ? std::optional(Roots{old_root, old_root}) : std::nullopt;
    return proof.size() == 1 ? std::optional(Roots{proof[0], proof[0]}) : std::nullopt;
  }
  if (proof.empty()) return std::nullopt;
  uint64_t k = Split(n);
  const Digest& sibling = proof.back();
  std::span<const Digest> rest = proof.first(proof.size() - 1);
  if (m <= k) {
    auto sub = Rebuild(m, k, b, old_root, rest);
    if (!sub) return std::nullopt;
    return Roots{sub->old_root, Node(sub->new_root, sibling)};
  }
  auto sub = Rebuild(m - k, n - k, false, old_root, rest);
  if (!sub) return std::nullopt;
  return Roots{Node(sibling, sub->old_root), Node(sibling, sub->new_root)};
}

// Same contract as VerifyConsistency, including its rule for old size 0.
inline bool CheckConsistency(uint64_t m, uint64_t n, const Digest& old_root, const Digest& new_root,
                             std::span<const Digest> proof) {
  if (m > n) return false;
  if (m == 0)
    return proof.empty() && old_root == EmptyTreeRoot() && (n > 0 || new_root == old_root);
  if (m == n) return proof.empty() && old_root == new_root;
  auto got = Rebuild(m, n, true, old_root, proof);
  return got && got->old_root == old_root && got->new_root == new_root;
}

}  // namespace medvault::testing::rfc6962
