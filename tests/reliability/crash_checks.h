// What a crash must leave behind, checked through the restarted server:
//   - every acknowledged create and update reads back with at least its version, and a
//     vread of each acknowledged version gives exactly the content sent;
//   - a write whose answer the crash cut off is either whole (its exact content, at the
//     next version) or absent, and no resource exists that no request sent;
//   - every acknowledged request has its entry in the audit trail.
// (`medvault audit verify` on the crashed files is the harness's.)
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "crash_workload.h"
#include "https_client.h"

namespace medvault::testing::crash {

struct Resolution {
  int64_t versions_checked = 0;  // vreads of acknowledged versions
  int64_t committed = 0;         // writes cut off that the server had made whole
  int64_t absent = 0;            // writes cut off that left no trace
  int64_t audited = 0;           // acknowledged requests found in the trail
};

class Checker {
 public:
  // `physician` and `officer` carry their sessions; each check thread opens a client of
  // its own on the physician's session.
  Checker(HttpsClient& physician, HttpsClient& officer, int threads);

  // Settles `run` against the server: what the crash did commit becomes acknowledged,
  // what it did not is dropped; then moves the run's resources into `history`.
  // Failures are added to failures().
  Resolution ResolveRun(Ledger& run, std::vector<Tracked>& history,
                        std::chrono::system_clock::time_point run_started);
  // Every request id of `run` is in the physician's audit trail between the two times.
  void CheckAuditTrail(const Ledger& run, std::chrono::system_clock::time_point from,
                       std::chrono::system_clock::time_point until, Resolution& resolution);
  // Every resource of `history` is current at its last acknowledged version with that
  // content, and the physician's patients are exactly the known ones.
  void CheckEverything(const std::vector<Tracked>& history);

  const std::vector<std::string>& failures() const { return failures_; }

 private:
  void Fail(std::string what);
  // Runs `check(client, i)` for i in [0, n) on `threads_` clients of the physician's.
  template <typename Check>
  void ForEach(size_t n, const Check& check);
  // Checks `t` against the server and settles its update in doubt.
  void Resolve(HttpsClient& client, Tracked& t, Resolution& resolution);
  // The resources (bodies as served) a search returns, following next links.
  std::vector<std::string> SearchAll(HttpsClient& client, std::string path);

  HttpsClient& physician_;
  HttpsClient& officer_;
  int threads_;
  std::mutex mu_;  // guards failures_ and the Resolution counters during ForEach
  std::vector<std::string> failures_;
};

}  // namespace medvault::testing::crash
