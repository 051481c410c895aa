// The traffic of the other nodes, when several `medvault serve` share one PostgreSQL
// database. Budgets and risk scores are kept in each process's memory; without this, an
// account alternating between two nodes would get each node's budget. Every node
// follows the one audit log: the entries another node appended (their `node` is not
// this process's) are opened with the audit key, their patients charged to the
// account's budget on this node (counted, no verdict: the other node gave its own), and
// their requests fed to the risk scorer.
//
// It wakes when a writer's commit notifies that entries were appended (LISTEN/NOTIFY),
// or after a second of silence when notifications do not come; a lost connection is
// listened again and nothing is missed, since it resumes from the last sequence number
// it read. Before a response with patient data is charged, the request path catches up
// too (CatchUp): a request another node answered has committed its entry, so an
// attacker who alternates nodes request after request is charged for all of it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "audit/audit_event.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "detect/budgets.h"
#include "detect/event_sink.h"
#include "store/store.h"

namespace medvault::api {

struct PeerTrafficOptions {
  // Without a notification, the log is read again after this long.
  int quiet_poll_ms = 1000;
  // Entries read per query: what one catch-up holds in memory at most.
  int64_t page = 256;
};

class PeerTraffic {
 public:
  // `scorer` may be null (risk scoring off). The audit log's node must be set.
  PeerTraffic(store::Store& store, const audit::AuditLog& audit, detect::BudgetLedger& budgets,
              detect::EventSink* scorer, const Clock& clock, PeerTrafficOptions options = {});
  ~PeerTraffic();
  PeerTraffic(const PeerTraffic&) = delete;
  PeerTraffic& operator=(const PeerTraffic&) = delete;

  // Follows from the log's current end (what came before this process started is not
  // replayed), on a thread of its own.
  Status Start();
  // Stops the thread (within a fraction of a second). Idempotent.
  void Stop();

  // Reads every entry appended since the last one read, in the caller's thread, and
  // charges and feeds the other nodes' ones. One caller at a time reads; the others wait
  // for it (they then find nothing new).
  Status CatchUp();

  // Entries of other nodes taken into account, and the last sequence number read.
  int64_t peer_entries() const { return peer_entries_.load(); }
  int64_t last_seq() const { return last_seq_.load(); }

 private:
  void Follow();
  void Take(const audit::AuditEvent& entry, int64_t seq, store::Reader& reader);
  // Whether the patient is labelled restricted (R or V), from a cache of a minute: one
  // query per patient would make the follower slower than the writers it follows.
  // Under read_mu_.
  bool Restricted(const std::string& patient, store::Reader& reader);

  store::Store& store_;
  const audit::AuditLog& audit_;
  detect::BudgetLedger& budgets_;
  detect::EventSink* scorer_;
  const Clock& clock_;
  const PeerTrafficOptions options_;

  std::mutex read_mu_;  // one reader of the log at a time
  struct Label {
    bool restricted = false;
    int64_t read_at_ms = 0;
  };
  std::unordered_map<std::string, Label> labels_;  // under read_mu_
  std::atomic<int64_t> last_seq_{0};
  std::atomic<int64_t> peer_entries_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// What another node's entry tells the detector, or nullopt when it tells nothing
// (unauthenticated, a role the scorer does not know, the detector's own escalations).
// The entry does not say whether a patient is labelled confidential: `restricted` says
// (PeerTraffic looks the label up); a patient reached on unknown grounds (an entry
// without `outside_care`) counts as outside care.
std::optional<detect::DetectionEvent> PeerDetectionEvent(
    const audit::AuditEvent& entry, int64_t seq,
    const std::function<bool(const std::string& patient)>& restricted);

// Whether an entry records patient data delivered to its account (what budgets
// count), and whether it was a directory search.
bool DeliveredPatientData(const audit::AuditEvent& entry);
bool DirectorySearch(const audit::AuditEvent& entry);

}  // namespace medvault::api
