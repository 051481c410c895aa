#include "detect/risk_scorer.h"

#include <algorithm>
#include <limits>

namespace medvault::detect {
namespace {

constexpr int64_t kNotScheduled = std::numeric_limits<int64_t>::max();
// Rough cost of a hash-map node and its bucket beyond the value (for MemoryBytes).
constexpr size_t kMapNodeBytes = 64;

bool DeliversPatients(const DetectionEvent& e) {
  return (e.kind == DetectionEvent::Kind::kRead || e.kind == DetectionEvent::Kind::kSearch) &&
         e.status >= 200 && e.status < 300;
}

}  // namespace

struct RiskScorer::Account {
  Account(std::string account_id, uint64_t account_key, identity::Role role,
          const AccountFeatureOptions& options)
      : id(std::move(account_id)), key(account_key), features(role, options) {}

  std::string id;
  uint64_t key;
  AccountFeatures features;
  RiskLedger ledger;
  EscalationLadder ladder;
  ScoreTrail trail;
  int64_t scheduled_due_ms = kNotScheduled;
  uint64_t last_session = 0;  // the session last named to the ledger
};

RiskScorer::RiskScorer(ScoringOptions options)
    : options_(std::move(options)), platform_(options_.platform) {}

RiskScorer::~RiskScorer() = default;

std::vector<Escalation> RiskScorer::Observe(const DetectionEvent& event) {
  std::lock_guard lock(mu_);
  std::vector<Escalation> out;
  const int64_t now = std::max(event.time_ms, clock_ms_);
  AdvanceLocked(now, out);

  Account& a = AccountFor(event);
  hashes_.clear();
  for (const DetectionEvent::Patient& p : event.patients) hashes_.push_back(HashId(p.id));
  // 32 bits name a session among an account's few (episodes keep no more).
  const uint64_t session = static_cast<uint32_t>(HashId(event.session_id));
  if (session != a.last_session) {
    a.ledger.NameSession(session, event.session_id, now, options_.session_half_life_ms);
    a.last_session = session;
  }
  update_.Clear();
  a.features.Observe(event, session, hashes_, update_);
  if (DeliversPatients(event)) platform_.RecordPatients(a.key, hashes_, update_.new_patients, now);
  if (update_.unwritten_resolved > 0 && !a.features.returning_today())
    platform_.RecordUnwritten(a.key, update_.unwritten_resolved, now);
  Book(a, update_.readings, now, out);
  Schedule(a);
  return out;
}

std::vector<Escalation> RiskScorer::Advance(int64_t now_ms) {
  std::lock_guard lock(mu_);
  std::vector<Escalation> out;
  AdvanceLocked(std::max(now_ms, clock_ms_), out);
  return out;
}

RiskScorer::Account& RiskScorer::AccountFor(const DetectionEvent& event) {
  auto it = accounts_.find(event.account_id);
  if (it != accounts_.end() && it->second->features.role() == event.role) return *it->second;
  // The account changed role: its habits belong to the old one. Start again.
  if (it != accounts_.end()) Forget({it->second.get()});
  auto account =
      std::make_unique<Account>(event.account_id, next_key_++, event.role, options_.features);
  if (auto r = reachable_.find(event.account_id); r != reachable_.end())
    account->features.set_reachable_patients(r->second);
  Account& a = *account;
  by_key_[a.key] = &a;
  accounts_.emplace(event.account_id, std::move(account));
  return a;
}

void RiskScorer::AdvanceLocked(int64_t now_ms, std::vector<Escalation>& out) {
  clock_ms_ = std::max(clock_ms_, now_ms);
  // Accounts whose evidence is due, in time order; platform hours close in between, so
  // that each unwritten read lands in the hour its window ended in.
  while (!due_.empty() && due_.top().due_ms <= now_ms) {
    const Due due = due_.top();
    due_.pop();
    Account& a = *due.account;
    if (a.scheduled_due_ms != due.due_ms) continue;  // rescheduled since
    a.scheduled_due_ms = kNotScheduled;
    CloseHours(due.due_ms, out);
    update_.Clear();
    a.features.Advance(due.due_ms, update_);
    if (update_.unwritten_resolved > 0 && !a.features.returning_today())
      platform_.RecordUnwritten(a.key, update_.unwritten_resolved, due.due_ms);
    Book(a, update_.readings, due.due_ms, out);
    Schedule(a);
  }
  CloseHours(now_ms, out);
  if (now_ms - last_forget_ms_ >= kDayMs) {
    last_forget_ms_ = now_ms;
    ForgetIdle(now_ms);
  }
}

void RiskScorer::CloseHours(int64_t now_ms, std::vector<Escalation>& out) {
  for (const PlatformHour& hour : platform_.CloseHours(now_ms)) Attribute(hour, out);
}

void RiskScorer::Attribute(const PlatformHour& hour, std::vector<Escalation>& out) {
  const int64_t end_ms = hour.start_ms + kHourMs;
  const double cap = options_.platform.unwritten_cap_per_account;
  std::vector<FeatureReading> readings;
  for (const PlatformContributor& c : hour.contributors) {
    auto it = by_key_.find(c.account);
    if (it == by_key_.end()) continue;
    Account& a = *it->second;
    readings.clear();
    // Each contributing account answers for its own part: its unwritten reads in the
    // hour (up to the cap), and its new patients beyond its own usual hour.
    const double unwritten = std::min<double>(c.unwritten, cap);
    if (hour.unwritten_anomalous && unwritten > 0)
      readings.push_back(FeatureReading{Feature::kPlatformUnwritten, unwritten * hour.severity,
                                        hour.unwritten, hour.unwritten_usual,
                                        hour.unwritten_threshold, unwritten, end_ms, -1, 0});
    const double usual_hour = a.features.NewPatientsPerHourThreshold();
    if (hour.patients_anomalous && c.new_patients > usual_hour)
      readings.push_back(
          FeatureReading{Feature::kPlatformVolume,
                         std::min(cap, (c.new_patients - usual_hour) / 3) * hour.severity,
                         hour.patients, hour.patients_usual, hour.patients_threshold,
                         static_cast<double>(c.new_patients), end_ms, -1, 0});
    Book(a, readings, std::max(end_ms, clock_ms_), out);
  }
}

void RiskScorer::Book(Account& a, const std::vector<FeatureReading>& readings, int64_t now_ms,
                      std::vector<Escalation>& out) {
  if (readings.empty()) return;
  const double before = a.ledger.Score(now_ms, options_.weights);
  double added = 0;
  for (const FeatureReading& r : readings)
    added += a.ledger.Book(r, options_.weights, options_.session_half_life_ms);
  if (added <= 0) return;
  const double score = a.ledger.Score(now_ms, options_.weights);
  a.trail.Record(now_ms, score);
  if (score >= options_.ladder.alert) a.features.MarkSuspicious();
  const auto level = a.ladder.Raise(before, score, added, now_ms, options_.ladder);
  if (!level) return;
  Escalation e;
  e.account_id = a.id;
  const auto sessions = a.ledger.Sessions(now_ms, options_.session_half_life_ms);
  if (!sessions.empty()) e.session_id = sessions.front().session_id;
  e.level = *level;
  e.score = score;
  e.severity = SeverityOf(*level);
  e.explanation = a.ledger.Explain(now_ms, options_.weights);
  e.audit_seqs = a.ledger.TopEvents(now_ms);
  e.time_ms = now_ms;
  out.push_back(std::move(e));
}

void RiskScorer::Schedule(Account& a) {
  const int64_t due = a.features.next_due_ms();
  if (due == a.scheduled_due_ms) return;
  a.scheduled_due_ms = due;
  if (due != kNotScheduled) due_.push(Due{due, &a});
}

void RiskScorer::ForgetIdle(int64_t now_ms) {
  std::vector<const Account*> idle;
  for (const auto& [id, a] : accounts_)
    if (a->features.last_activity_ms() < now_ms - options_.forget_after_ms &&
        a->scheduled_due_ms == kNotScheduled &&
        a->ladder.Current(a->ledger.Score(now_ms, options_.weights), now_ms, options_.ladder) ==
            Level::kNone)
      idle.push_back(a.get());
  if (!idle.empty()) Forget(std::move(idle));
}

void RiskScorer::Forget(std::vector<const Account*> accounts) {
  std::sort(accounts.begin(), accounts.end());
  auto forgotten = [&](const Account* a) {
    return std::binary_search(accounts.begin(), accounts.end(), a);
  };
  // The queue keeps only live entries: none may point to a forgotten account.
  std::vector<Due> live;
  for (; !due_.empty(); due_.pop()) {
    const Due& d = due_.top();
    if (!forgotten(d.account) && d.account->scheduled_due_ms == d.due_ms) live.push_back(d);
  }
  due_ = decltype(due_)(std::greater<>(), std::move(live));
  for (const Account* a : accounts) {
    by_key_.erase(a->key);
    const std::string id = a->id;  // the key must outlive the node it names
    accounts_.erase(id);
  }
}

RiskAssessment RiskScorer::Assess(std::string_view account_id, int64_t now_ms) const {
  std::lock_guard lock(mu_);
  RiskAssessment r;
  r.account_id = std::string(account_id);
  auto it = accounts_.find(r.account_id);
  if (it == accounts_.end()) return r;
  const Account& a = *it->second;
  r.tracked = true;
  r.score = a.ledger.Score(now_ms, options_.weights);
  r.level = a.ladder.Current(r.score, now_ms, options_.ladder);
  r.severity = SeverityOf(r.level);
  r.explanation = a.ledger.Explain(now_ms, options_.weights);
  r.sessions = a.ledger.Sessions(now_ms, options_.session_half_life_ms);
  r.audit_seqs = a.ledger.TopEvents(now_ms);
  return r;
}

std::vector<ScoreSample> RiskScorer::Trail(std::string_view account_id, int64_t from_ms) const {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(std::string(account_id));
  if (it == accounts_.end()) return {};
  return it->second->trail.Since(from_ms);
}

void RiskScorer::SetReachablePatients(std::string_view account_id, int64_t count) {
  std::lock_guard lock(mu_);
  const std::string id(account_id);
  reachable_[id] = count;
  if (auto it = accounts_.find(id); it != accounts_.end())
    it->second->features.set_reachable_patients(count);
}

size_t RiskScorer::accounts() const {
  std::lock_guard lock(mu_);
  return accounts_.size();
}

size_t RiskScorer::MemoryBytes() const {
  std::lock_guard lock(mu_);
  size_t bytes = sizeof(*this) + platform_.MemoryBytes() - sizeof(PlatformFeatures) +
                 due_.size() * sizeof(Due) + reachable_.size() * (kMapNodeBytes + 32);
  for (const auto& [id, a] : accounts_) {
    bytes += sizeof(Account) - sizeof(AccountFeatures) - sizeof(RiskLedger) +
             a->features.MemoryBytes() + a->ledger.MemoryBytes() + a->trail.MemoryBytes() +
             2 * kMapNodeBytes;
    if (id.capacity() > 15) bytes += 2 * (id.capacity() + 1);  // the map's key and a.id
  }
  return bytes;
}

PlatformHour RiskScorer::LastPlatformHour() const {
  std::lock_guard lock(mu_);
  return platform_.last_closed();
}

}  // namespace medvault::detect
