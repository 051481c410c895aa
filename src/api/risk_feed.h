// The detector's asynchronous half, wired to the store. Committed requests arrive as
// DetectionEvents; the RiskScorer weighs them (on the feed's own thread in `serve`, in
// the caller's thread when the breach drill drains it); every escalation it decides is
// carried out in one commit: an audit entry saying what the detector did and why, the
// alert naming the entries that triggered it, and the containment of the rung reached
// (a step-up demand, a throttle, the session ended, the account locked). The gate reads
// the containment from the account at the next request.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>

#include "api/request_context.h"
#include "audit/audit_event.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "crypto/keyring.h"
#include "detect/event_sink.h"
#include "detect/risk_scorer.h"
#include "store/store.h"

namespace medvault::api {

class ClinicianKin;

struct RiskFeedOptions {
  // How long the throttle rung slows an account down.
  int64_t throttle_duration_ms = 3'600'000;
  // Queued events beyond this are dropped (and counted): a flood must not take the
  // server's memory. The budgets, in the request path, still hold.
  size_t max_queued = 100'000;
};

class RiskFeed final : public detect::EventSink {
 public:
  // `kin` marks the patients who share the account's clinician's family name or home
  // (may be null: the snooping feature then gets no input).
  RiskFeed(store::Store& store, const audit::AuditLog& audit, const crypto::Keyring& keyring,
           const Clock& clock, detect::RiskScorer& scorer, ClinicianKin* kin,
           RiskFeedOptions options);
  ~RiskFeed() override;
  RiskFeed(const RiskFeed&) = delete;
  RiskFeed& operator=(const RiskFeed&) = delete;

  void Push(detect::DetectionEvent event) override;

  // A consumer thread: weighs events as they come (under load, what came in the last
  // kPace at a time), and lets time pass once a second when none come (windows close,
  // platform hours end).
  void Start();
  // Weighs what is queued, then stops the thread. Idempotent.
  void Stop();
  // In the caller's thread (the feed must not be started): weighs everything queued and
  // lets the clock's present pass; escalations are committed before it returns.
  void Drain();

  detect::RiskScorer& scorer() { return scorer_; }
  // Escalations carried out, and events dropped because the queue was full.
  int64_t escalations() const;
  int64_t dropped() const;

 private:
  void Weigh(std::deque<detect::DetectionEvent>& batch);
  void Carry(const detect::Escalation& escalation);

  store::Store& store_;
  const audit::AuditLog& audit_;
  const crypto::Keyring& keyring_;
  const Clock& clock_;
  detect::RiskScorer& scorer_;
  ClinicianKin* const kin_;
  const RiskFeedOptions options_;

  static constexpr std::chrono::milliseconds kPace{1};

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<detect::DetectionEvent> queue_;
  bool stopping_ = false;
  bool idle_ = false;  // the thread waits for a first event (Push must wake it)
  int64_t escalations_ = 0;
  int64_t dropped_ = 0;
  std::thread thread_;
  std::mutex weigh_mu_;  // one weigher at a time: the scorer sees events in order
};

// What the detector learns of a request: who, from where, what kind of act, and which
// patients' data reached the account or was written, each with how it was reached. The
// pipeline fills in the sequence number and final status after the commit.
detect::DetectionEvent DetectionEventOf(const audit::AuditEvent& who, identity::Role role,
                                        const AuditFacts& facts);

}  // namespace medvault::api
