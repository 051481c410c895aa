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
// step, not 2^50. SQLite walks in sqlite/reader.cc, PostgreSQL in one recursive
// statement (postgres/reader.cc).
#pragma once

#include <cstdint>

namespace medvault::store {

inline constexpr int kAuditBucketBits = 13;

constexpr int64_t AuditBucket(int64_t seq) { return seq >> kAuditBucketBits; }

}  // namespace medvault::store
