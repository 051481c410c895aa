// Rotating the blind-index key: `medvault keys rotate-index`, with the server stopped.
//
// Every blind index depends on the key: the search index (keyed hashes of names,
// birth dates, identifiers of Patients, Practitioners and Organizations) and the audit
// index (keyed hashes of the patients and accounts each entry names). A new random key is
// written to its key file and recorded as a pending version; the indexes are rebuilt
// under it into tables beside the ones in use, in batches (each resource opened through
// the RecordVault as an export would, each audit entry opened with the audit key); then
// one commit swaps the rebuilt tables in, makes the new version active and retires the
// old one, whose key file is then destroyed.
//
// Offline because a server hashes every query with the key it loaded: between the swap
// and its restart it would find nothing. A crash before the swap leaves the indexes and
// the version in use as they were (the next run starts over); after it, the new ones.
#pragma once

#include <iosfwd>

#include "cli/runtime.h"

namespace medvault::cli {

struct IndexRotationResult {
  int version = 0;
  int64_t resources = 0;      // resources re-indexed
  int64_t audit_entries = 0;  // audit entries re-filed
  double seconds = 0;
};

// `rt` must be opened with the data directory locked for an offline operation.
Result<IndexRotationResult> RotateBlindIndexKey(Runtime& rt, std::ostream& progress);

}  // namespace medvault::cli
