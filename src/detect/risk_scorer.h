// The detector's asynchronous half: streaming features per account and across the
// platform, a risk score per account (and per session) with an explanation, and an
// escalation ladder. It catches what stays under the synchronous budgets: a scraper
// riding a clinician's session a few patients an hour for days, a night harvest, a habit
// of breaking the glass, fifty stolen accounts each a little busier than usual.
//
// Fed one DetectionEvent per request after its audit entry commits (in the server, by
// one consumer thread; in the breach drill, synchronously). Time is whatever the events
// and Advance say: a simulated clock may run days in seconds. A pure library: no I/O, no
// threads, no clock. One mutex guards the state, so Assess may be called from any thread.
//
// Honest work must almost never be bothered (at most one step-up per 100 clinician-days,
// one suspension per 10,000): the defaults below are set so that a clinician's rare
// exceptions — a catch-up after holidays, a night on call, a locum's day, a justified
// break-the-glass — raise at most an alert, while a pattern sustained hour after hour or
// day after day climbs the ladder.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "detect/account_features.h"
#include "detect/detection_event.h"
#include "detect/escalation_ladder.h"
#include "detect/platform_features.h"
#include "detect/risk_ledger.h"
#include "detect/score_trail.h"

namespace medvault::detect {

struct ScoringOptions {
  AccountFeatureOptions features;
  PlatformFeatureOptions platform;
  // Points per unit of each feature and their half-lives (risk_ledger.cc says why).
  FeatureWeights weights = DefaultFeatureWeights();
  LadderOptions ladder;
  // A session's own score fades with this half-life (it names the session to suspend).
  int64_t session_half_life_ms = 6 * kHourMs;
  // An account without activity this long and at no level is forgotten, baselines and
  // all (it starts again from its role's profile).
  int64_t forget_after_ms = 45 * kDayMs;
};

// An account rose on the ladder: what the containment and the security officer act on.
struct Escalation {
  std::string account_id;
  std::string session_id;  // the account's session carrying the most risk ("" if none known)
  Level level = Level::kNone;
  double score = 0;
  std::string_view severity;  // "low", "medium", "high"
  std::vector<ExplanationLine> explanation;
  std::vector<int64_t> audit_seqs;  // the events that contributed most (at most 20)
  int64_t time_ms = 0;
};

// The security officer's view of one account.
struct RiskAssessment {
  std::string account_id;
  bool tracked = false;  // the scorer has state for this account
  Level level = Level::kNone;
  double score = 0;
  std::string_view severity;
  std::vector<ExplanationLine> explanation;
  std::vector<SessionRisk> sessions;
  std::vector<int64_t> audit_seqs;
};

class RiskScorer {
 public:
  explicit RiskScorer(ScoringOptions options = {});
  ~RiskScorer();
  RiskScorer(const RiskScorer&) = delete;
  RiskScorer& operator=(const RiskScorer&) = delete;

  // One request. Time first moves to the event's (see Advance); returns the escalations
  // it caused, for any account (a platform hour closing may escalate many).
  std::vector<Escalation> Observe(const DetectionEvent& event);
  // Time passes without events: reads whose write window ended are judged, platform
  // hours close. Returns the escalations that caused. (Observe does this itself; call it
  // when the event stream is quiet, e.g. once a minute, so that evidence is not late.)
  std::vector<Escalation> Advance(int64_t now_ms);

  RiskAssessment Assess(std::string_view account_id, int64_t now_ms) const;
  // The account's score each time it rose, from `from_ms` on (see ScoreTrail): the
  // security officer's plot of its risk over time.
  std::vector<ScoreSample> Trail(std::string_view account_id, int64_t from_ms) const;
  // The patients an account can reach through its care relationships, when known: its
  // coverage is then judged as a share of them.
  void SetReachablePatients(std::string_view account_id, int64_t count);

  size_t accounts() const;
  // Bytes held, estimated from the structures' sizes (the bench measures the heap).
  size_t MemoryBytes() const;
  PlatformHour LastPlatformHour() const;

 private:
  struct Account;
  struct Due {
    int64_t due_ms;
    Account* account;  // valid: forgetting accounts rebuilds the queue
    bool operator>(const Due& other) const { return due_ms > other.due_ms; }
  };

  Account& AccountFor(const DetectionEvent& event);
  void AdvanceLocked(int64_t now_ms, std::vector<Escalation>& out);
  void CloseHours(int64_t now_ms, std::vector<Escalation>& out);
  void Attribute(const PlatformHour& hour, std::vector<Escalation>& out);
  void Book(Account& account, const std::vector<FeatureReading>& readings, int64_t now_ms,
            std::vector<Escalation>& out);
  void Schedule(Account& account);
  void ForgetIdle(int64_t now_ms);
  void Forget(std::vector<const Account*> accounts);

  const ScoringOptions options_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::unique_ptr<Account>> accounts_;
  std::unordered_map<uint64_t, Account*> by_key_;
  std::unordered_map<std::string, int64_t> reachable_;
  std::priority_queue<Due, std::vector<Due>, std::greater<>> due_;
  PlatformFeatures platform_;
  uint64_t next_key_ = 1;
  int64_t clock_ms_ = 0;
  int64_t last_forget_ms_ = 0;
  // Scratch, reused between events.
  AccountUpdate update_;
  std::vector<uint64_t> hashes_;
};

}  // namespace medvault::detect
