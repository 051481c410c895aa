// Rotating the key-encryption key while servers keep serving.
//
// `medvault keys rotate` runs beside `medvault serve` on the same database. It writes a
// new random KEK to its own key file (fsync'ed), records the version (one commit), then
// re-wraps every compartment's data key under it in short batches: each batch is one
// small transaction of compare-and-swap updates (a key that changed meanwhile is taken
// again on the next pass), so the server's writer waits at most a few milliseconds for
// the lock (busy timeout 5 s) and no request fails. Servers learn of the version from the
// database: a data key wrapped under a version they do not hold makes them load its key
// file, and they check at most every second which version new data keys take.
//
// Every data key is readable at every moment: the new key is on disk before any data key
// names it, each update replaces one wrapped key by another in one commit, and the old
// version stays loaded until `keys retire` finds no data key under it. A crash leaves a
// mix of both versions; `keys rotate --resume` finishes the job.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>

#include "cli/runtime.h"

namespace medvault::cli {

struct KekRotationOptions {
  size_t batch = 500;                  // data keys per transaction
  std::chrono::milliseconds pause{5};  // between batches: the server's writer goes first
  bool resume = false;                 // finish the newest version instead of a new one
  // How long after the version is recorded a pass must still find nothing left: servers
  // adopt a new version within a second, and a write prepared just before commits within
  // the 5-second busy timeout.
  std::chrono::milliseconds settle{6000};
};

struct KekRotationResult {
  int version = 0;
  int64_t rewrapped = 0;
  int64_t passes = 0;
  double seconds = 0;
};

// Creates a KEK version (or resumes the newest) and re-wraps every data key under it,
// reporting progress on `progress`. Audited (key-rotation).
Result<KekRotationResult> RotateKek(Runtime& rt, const KekRotationOptions& options,
                                    std::ostream& progress);

// Retires KEK `version` once no data key uses it: the version is marked retired (so no
// server can wrap or unwrap with it) and its key file, if any, destroyed. Audited.
Status RetireKek(Runtime& rt, int version);

}  // namespace medvault::cli
