// How both engines file audit entries under their blind-index terms. An index keyed by
// (term, seq) puts each new entry's rows at random places (a patient's term is a keyed
// hash), so once the index outgrows a commit's worth of rows every row dirties a page
// of its own: a 4 KiB WAL frame per patient named, eight times the entry itself, which
// held durable appends at ~40,000 entries/s. Keyed by (bucket, term, seq), with a bucket
// of 8,192 consecutive entries, a commit's rows fall among the few hundred pages of the
// current bucket, and the pages of older buckets are never written again (~120,000
// entries/s in audit_append_bench). A term's entries are found one bucket at a time,
// newest first: two index descents per bucket (the next bucket the index holds, then
// the term in it), ~2,400 for ten million entries, and a page of results usually needs
// only the newest few. The walk goes from bucket to bucket as the index holds them,
// never by counting: a damaged log or index with an entry number near 2^63 costs one
// step, not 2^50.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "common/result.h"
#include "store/records.h"

namespace medvault::store {

inline constexpr int kAuditBucketBits = 13;

constexpr int64_t AuditBucket(int64_t seq) { return seq >> kAuditBucketBits; }

// Reader::AuditEntriesBefore for a term (SQLite's walk; PostgreSQL's runs in one
// statement, postgres/reader.cc), given the engine's two queries:
//   bucket_at_or_below(b): the highest bucket the index holds that is <= b, if any;
//   query(bucket, limit, rows): appends, newest first, at most `limit` of the bucket's
//   entries that match `scan`.
inline Result<std::vector<AuditRow>> ScanAuditBuckets(
    const AuditScan& scan,
    const std::function<Result<std::optional<int64_t>>(int64_t)>& bucket_at_or_below,
    const std::function<Status(int64_t bucket, int64_t limit, std::vector<AuditRow>& rows)>&
        query) {
  std::vector<AuditRow> rows;
  if (scan.limit <= 0 || scan.before_seq <= 1) return rows;
  int64_t at_most = AuditBucket(scan.before_seq - 1);
  while (static_cast<int64_t>(rows.size()) < scan.limit) {
    ASSIGN_OR_RETURN(std::optional<int64_t> bucket, bucket_at_or_below(at_most));
    if (!bucket || *bucket > at_most) break;
    TRY(query(*bucket, scan.limit - static_cast<int64_t>(rows.size()), rows));
    if (*bucket == std::numeric_limits<int64_t>::min()) break;
    at_most = *bucket - 1;
  }
  return rows;
}

}  // namespace medvault::store
