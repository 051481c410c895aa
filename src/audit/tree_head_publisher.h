// Signs a tree head every interval (one second by default) while entries arrive, and a
// last one when stopped, so that every acknowledged request is covered by a signed head
// within a second: from then on, removing or changing its entry breaks a signature or
// a consistency proof. Heads are kept; any two can be proven consistent.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit/audit_log.h"
#include "common/clock.h"
#include "crypto/signing_key.h"
#include "store/store.h"

namespace medvault::audit {

class TreeHeadPublisher {
 public:
  TreeHeadPublisher(store::Store& store, const AuditLog& log, const crypto::SigningKey& key,
                    const Clock& clock,
                    std::chrono::milliseconds interval = std::chrono::seconds(1));
  ~TreeHeadPublisher() { Stop(); }
  TreeHeadPublisher(const TreeHeadPublisher&) = delete;
  TreeHeadPublisher& operator=(const TreeHeadPublisher&) = delete;

  void Start();
  // Publishes a last head, then stops the thread. Idempotent.
  void Stop();
  // Signs and stores a head now if the log grew since the last one.
  Status PublishNow();

 private:
  void Run();

  store::Store& store_;
  const AuditLog& log_;
  const crypto::SigningKey& key_;
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace medvault::audit
