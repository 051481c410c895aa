// How both engines file audit entries under their blind-index terms. An index keyed by
// (term, seq) puts each new entry's rows at random places (a patient's term is a keyed
// hash), so once the index outgrows a commit's worth of rows every row dirties a page
// of its own: a 4 KiB WAL frame per patient named, eight times the entry itself, which
// held durable appends at ~40,000 entries/s. Keyed by (bucket, term, seq), with a bucket
// of 8,192 consecutive entries, a commit's rows fall among the few hundred pages of the
// current bucket, and the pages of older buckets are never written again (~130,000
// entries/s in audit_append_bench). A term's entries are found one bucket at a time,
// newest first: one index descent per bucket, ~1,200 for ten million entries, and a
// page of results usually needs only the newest few.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <vector>

#include "common/result.h"
#include "store/records.h"

namespace medvault::store {

inline constexpr int kAuditBucketBits = 13;

constexpr int64_t AuditBucket(int64_t seq) { return seq >> kAuditBucketBits; }

// Reader::AuditEntriesBefore for a term, given the log's newest entry number and the
// engine's query of one bucket: `query(bucket, limit, rows)` appends, newest first, at
// most `limit` of the bucket's entries that match `scan`.
inline Result<std::vector<AuditRow>> ScanAuditBuckets(
    const AuditScan& scan, int64_t newest_seq,
    const std::function<Status(int64_t bucket, int64_t limit, std::vector<AuditRow>& rows)>&
        query) {
  std::vector<AuditRow> rows;
  const int64_t newest = std::min(newest_seq, scan.before_seq - 1);
  if (newest < 1 || scan.limit <= 0) return rows;
  for (int64_t bucket = AuditBucket(newest);
       bucket >= 0 && static_cast<int64_t>(rows.size()) < scan.limit; --bucket) {
    TRY(query(bucket, scan.limit - static_cast<int64_t>(rows.size()), rows));
  }
  return rows;
}

}  // namespace medvault::store
