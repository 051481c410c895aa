// The Merkle subtrees of a five-entry log as schema versions 3 to 9 stored them, keyed by
// level and index, and what the migration to version 10 must keep of them: the same
// hashes, read back in the order the appends completed them. Also the log's blind index
// as it was before version 11 filed it in buckets: the same entries found by term. Shared by both
// engines' store tests, each of which builds a version-9 database with its own SQL.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "store/migrations.h"
#include "store/store.h"

namespace medvault::testing {

// (level, index) in the order appending leaves 0..4 completes them.
inline const std::vector<std::pair<uint32_t, uint64_t>> kEarlierSubtrees = {
    {0, 0}, {0, 1}, {1, 0}, {0, 2}, {0, 3}, {1, 1}, {2, 0}, {0, 4}};

// (term, seq) rows of the audit index as versions 4 to 10 stored them.
inline const std::vector<std::pair<int64_t, int64_t>> kEarlierIndex = {
    {77, 2}, {77, 4}, {77, 20000}, {78, 3}};

// A hash that names its node: its first byte is 16 * level + index + 1.
inline uint8_t EarlierHashTag(uint32_t level, uint64_t index) {
  return static_cast<uint8_t>(16 * level + index + 1);
}

// SQL that builds a version-9 database holding those subtrees: `preamble` (what the
// engine's opener creates before any migration), the engine's migrations 1 to 9 with
// their schema_migrations rows, then the rows, each hash written as `open` + 64 hex
// digits + `close` (x'…' for SQLite, '\x…'::bytea for PostgreSQL).
inline std::string EarlierDatabaseSql(std::span<const store::Migration> migrations,
                                      std::string preamble, const std::string& open,
                                      const std::string& close) {
  std::string sql = std::move(preamble);
  for (const store::Migration& m : migrations) {
    if (m.version >= store::kSubtreesByAppendVersion) break;
    sql += std::string(m.sql) + "INSERT INTO schema_migrations VALUES (" +
           std::to_string(m.version) + ", 'earlier', 0);";
  }
  sql += "INSERT INTO audit_subtrees (level, idx, hash) VALUES ";
  for (size_t i = 0; i < kEarlierSubtrees.size(); ++i) {
    auto [level, index] = kEarlierSubtrees[i];
    char tag[3];
    std::snprintf(tag, sizeof tag, "%02x", EarlierHashTag(level, index));
    sql += (i == 0 ? "(" : ", (") + std::to_string(level) + ", " + std::to_string(index) + ", " +
           open + tag + std::string(62, '0') + close + ")";
  }
  // Entries 1 to 5 and 20,000 (another bucket of the index since version 11), filed
  // under two terms as (term, seq) before version 11.
  sql += "; INSERT INTO audit_log (seq, recorded_at, body) VALUES ";
  for (int64_t seq : {1, 2, 3, 4, 5, 20000})
    sql += (seq == 1 ? "(" : ", (") + std::to_string(seq) + ", " + std::to_string(seq * 1000) +
           ", " + open + "0102" + close + ")";
  sql += "; INSERT INTO audit_index (term, seq) VALUES ";
  for (size_t i = 0; i < kEarlierIndex.size(); ++i)
    sql += (i == 0 ? "(" : ", (") + std::to_string(kEarlierIndex[i].first) + ", " +
           std::to_string(kEarlierIndex[i].second) + ")";
  return sql + ";";
}

inline void ExpectEarlierAuditIndexKept(store::Reader& reader) {
  auto found = [&](int64_t term) {
    store::AuditScan scan;
    scan.term = term;
    std::vector<int64_t> seqs;
    auto rows = reader.AuditEntriesBefore(scan);
    EXPECT_TRUE(rows.has_value()) << rows.error().message;
    if (rows)
      for (const store::AuditRow& row : *rows) seqs.push_back(row.seq);
    return seqs;
  };
  EXPECT_EQ(found(77), (std::vector<int64_t>{20000, 4, 2}));
  EXPECT_EQ(found(78), (std::vector<int64_t>{3}));
}

inline void ExpectEarlierSubtreesKept(store::Reader& reader) {
  auto rows = reader.AuditSubtreesCompletedBy(0, 5);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  ASSERT_EQ(rows->size(), kEarlierSubtrees.size());
  for (size_t i = 0; i < rows->size(); ++i) {
    auto [level, index] = kEarlierSubtrees[i];
    EXPECT_EQ((*rows)[i].level, level) << i;
    EXPECT_EQ((*rows)[i].index, index) << i;
    EXPECT_EQ((*rows)[i].hash[0], EarlierHashTag(level, index)) << i;
    auto one = reader.AuditSubtree(level, index);
    ASSERT_TRUE(one.has_value() && one->has_value()) << level << "/" << index;
    EXPECT_EQ((**one).hash, (*rows)[i].hash);
  }
}

}  // namespace medvault::testing
