// Versioned schema migrations. Each engine keeps its own SQL beside the others
// (sqlite/schema.cc, postgres/schema.cc); a version means the same change in each, and
// its description is kept here once, so that the engines cannot drift apart: an engine
// whose list is longer or shorter than kSchemaChanges does not compile.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace medvault::store {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;  // one or more statements
};

// What each version changes: version i + 1 is kSchemaChanges[i].
inline constexpr std::string_view kSchemaChanges[] = {
    "foundation: compartments, resources, blind indexes, accounts, sessions, audit",
    "identity: TOTP, recovery codes, login challenges and throttling, step-up",
    "audit: Merkle subtree hashes and signed tree heads",
    "audit: blind index of entries by patient and account, and by time",
    "resource versions in a rowid table (bodies inline, not in overflow pages)",
    "authorization: care links from CareTeams, break-the-glass grants, alerts",
    "detection: containment on the account row, alerts tied to audit entries",
    "keys: versions of the key-encryption and blind-index keys; erased patients",
    "health: a row to probe whether the disk takes writes",
    "audit: Merkle subtrees keyed by the append that completes them",
    "audit: the blind index of entries in buckets of consecutive entries",
};
inline constexpr int kSchemaVersion = static_cast<int>(std::size(kSchemaChanges));
// The versions that rewrite an audit table (a few seconds per million entries each):
// upgrading from before them is worth a word to the operator.
inline constexpr int kSubtreesByAppendVersion = 10;
inline constexpr int kAuditIndexInBucketsVersion = 11;

// What to log before migrating a database at version `current`, or nothing: a fresh
// database, or one already current, is not upgraded.
inline std::optional<std::string> SchemaUpgradeNotice(int64_t current) {
  if (current <= 0 || current >= kSchemaVersion) return std::nullopt;
  std::string notice = "upgrading the database schema from version " + std::to_string(current) +
                       " to " + std::to_string(kSchemaVersion);
  if (current < kSubtreesByAppendVersion)
    notice +=
        "; rewriting the audit log's subtrees and index takes a few seconds per million "
        "entries";
  else if (current < kAuditIndexInBucketsVersion)
    notice += "; rewriting the audit log's index takes a few seconds per million entries";
  return notice;
}

// An engine's migrations from its SQL for each version, oldest first.
template <size_t N>
constexpr std::array<Migration, N> MigrationsOf(const std::array<std::string_view, N>& sql) {
  static_assert(N == std::size(kSchemaChanges), "one SQL text per schema version, no more");
  std::array<Migration, N> migrations{};
  for (size_t i = 0; i < N; ++i)
    migrations[i] = Migration{static_cast<int>(i + 1), kSchemaChanges[i], sql[i]};
  return migrations;
}

}  // namespace medvault::store
