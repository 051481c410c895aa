#include "detect/budgets.h"

#include <algorithm>
#include <iterator>
#include <vector>

namespace medvault::detect {
namespace {

constexpr int64_t kBurstMs = 600'000;
constexpr int64_t kHourMs = 3'600'000;
constexpr int64_t kDayMs = 24 * kHourMs;

}  // namespace

RoleBudget BudgetOf(const BudgetOptions& options, identity::Role role) {
  switch (role) {
    case identity::Role::kPhysician: return options.physician;
    case identity::Role::kNurse: return options.nurse;
    case identity::Role::kSecretary: return options.secretary;
    case identity::Role::kSecurityOfficer:
    case identity::Role::kAdmin: return RoleBudget{};
  }
  return RoleBudget{};
}

void BudgetLedger::Expire(Account& a, int64_t now_ms) const {
  while (!a.received.empty() && a.received.front().first <= now_ms - kDayMs) {
    a.received_set.erase(a.received.front().second);
    a.received.pop_front();
  }
  while (!a.directory.empty() && a.directory.front() <= now_ms - kHourMs) a.directory.pop_front();
  // An exhaustion, an extension and a refusal each belong to the day they happened in.
  if (a.exhausted_at_ms != 0 && a.exhausted_at_ms <= now_ms - kDayMs) a.exhausted_at_ms = 0;
  if (a.extended_at_ms != 0 && a.extended_at_ms <= now_ms - kDayMs) a.extended_at_ms = 0;
  if (a.refused_at_ms != 0 && a.refused_at_ms <= now_ms - kDayMs) a.refused_at_ms = 0;
}

BudgetUsage BudgetLedger::UsageLocked(Account& a, const RoleBudget& limits, int64_t now_ms) const {
  Expire(a, now_ms);
  BudgetUsage u;
  u.limits = limits;
  u.patients_last_day = static_cast<int64_t>(a.received.size());
  // The deque is in time order: count back from the newest while within the hour.
  for (auto it = a.received.rbegin(); it != a.received.rend() && it->first > now_ms - kHourMs;
       ++it) {
    ++u.patients_last_hour;
    if (it->first > now_ms - kBurstMs) ++u.patients_last_10_minutes;
  }
  u.directory_searches_last_hour = static_cast<int64_t>(a.directory.size());
  u.extended = a.extended_at_ms != 0;
  return u;
}

BudgetCheck BudgetLedger::Charge(const identity::Principal& principal,
                                 std::span<const std::string> patients, bool directory,
                                 int64_t now_ms) {
  return Charge(principal.account_id(), principal.role(), principal.session_stepped_up_at_ms(),
                patients, directory, now_ms);
}

BudgetCheck BudgetLedger::Charge(std::string_view account_id, identity::Role role,
                                 int64_t stepped_up_at_ms, std::span<const std::string> patients,
                                 bool directory, int64_t now_ms) {
  RoleBudget limits = BudgetOf(options_, role);
  std::lock_guard lock(mu_);
  ForgetIdle(now_ms);
  Account& a = accounts_[std::string(account_id)];
  a.last_seen_ms = now_ms;
  BudgetUsage used = UsageLocked(a, limits, now_ms);

  std::vector<const std::string*> fresh;
  for (const std::string& p : patients)
    if (!a.received_set.contains(p) &&
        std::none_of(fresh.begin(), fresh.end(), [&](const std::string* f) { return *f == p; }))
      fresh.push_back(&p);
  const auto added = static_cast<int64_t>(fresh.size());
  if (added == 0 && !directory) return BudgetCheck{};

  BudgetCheck check;
  auto over = [&](int64_t factor) {
    auto exceeds = [&](const char* name, int64_t after, int64_t limit, int64_t retry_ms) {
      if (limit <= 0 || after <= limit * factor) return false;
      check.budget = name;
      check.used = after;
      check.limit = limit * factor;
      check.retry_after_ms = std::max<int64_t>(1000, retry_ms);
      return true;
    };
    auto oldest_in = [&](int64_t window) {
      for (const auto& [t, id] : a.received)
        if (t > now_ms - window) return t + window - now_ms;
      return window;
    };
    return exceeds("patients per 10 minutes", used.patients_last_10_minutes + added,
                   limits.patients_per_10_minutes, oldest_in(kBurstMs)) ||
           exceeds("patients per hour", used.patients_last_hour + added, limits.patients_per_hour,
                   oldest_in(kHourMs)) ||
           exceeds("patients per day", used.patients_last_day + added, limits.patients_per_day,
                   oldest_in(kDayMs)) ||
           (directory &&
            exceeds("directory searches per hour", used.directory_searches_last_hour + 1,
                    limits.directory_searches_per_hour,
                    a.directory.empty() ? kHourMs : a.directory.front() + kHourMs - now_ms));
  };

  bool extended = a.extended_at_ms != 0;
  if (over(extended ? options_.extension_factor : 1)) {
    if (extended) {
      check.verdict = BudgetVerdict::kRefuse;
      check.newly_exhausted = a.refused_at_ms == 0;
      if (a.refused_at_ms == 0) a.refused_at_ms = now_ms;
      return check;
    }
    // A fresh code given after the request to step up extends the budget once.
    if (a.exhausted_at_ms != 0 && stepped_up_at_ms > a.exhausted_at_ms) {
      a.extended_at_ms = now_ms;
      check = BudgetCheck{};
      check.newly_extended = true;
      if (over(options_.extension_factor)) {
        check.verdict = BudgetVerdict::kRefuse;
        check.newly_exhausted = true;
        a.refused_at_ms = now_ms;
        return check;
      }
    } else {
      check.verdict = BudgetVerdict::kStepUp;
      check.newly_exhausted = a.exhausted_at_ms == 0;
      if (a.exhausted_at_ms == 0) a.exhausted_at_ms = now_ms;
      return check;
    }
  }
  for (const std::string* p : fresh) {
    a.received.emplace_back(now_ms, *p);
    a.received_set.insert(*p);
  }
  if (directory) a.directory.push_back(now_ms);
  return check;
}

void BudgetLedger::Count(std::string_view account_id, std::span<const std::string> patients,
                         bool directory, int64_t at_ms, int64_t now_ms) {
  if (at_ms <= now_ms - kDayMs || (patients.empty() && !directory)) return;
  std::lock_guard lock(mu_);
  ForgetIdle(now_ms);
  Account& a = accounts_[std::string(account_id)];
  a.last_seen_ms = std::max(a.last_seen_ms, at_ms);
  Expire(a, now_ms);
  // Another node's request may be a little older than this node's newest: each item
  // goes where its time puts it, so that the windows stay in time order.
  for (const std::string& p : patients) {
    if (!a.received_set.insert(p).second) continue;
    auto at = a.received.end();
    while (at != a.received.begin() && std::prev(at)->first > at_ms) --at;
    a.received.insert(at, {at_ms, p});
  }
  if (directory) {
    auto at = a.directory.end();
    while (at != a.directory.begin() && *std::prev(at) > at_ms) --at;
    a.directory.insert(at, at_ms);
  }
}

BudgetUsage BudgetLedger::Usage(std::string_view account_id, identity::Role role, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(std::string(account_id));
  RoleBudget limits = BudgetOf(options_, role);
  if (it == accounts_.end()) {
    BudgetUsage u;
    u.limits = limits;
    return u;
  }
  return UsageLocked(it->second, limits, now_ms);
}

BudgetUsage BudgetLedger::Usage(const identity::Principal& principal, int64_t now_ms) {
  return Usage(principal.account_id(), principal.role(), now_ms);
}

size_t BudgetLedger::accounts() {
  std::lock_guard lock(mu_);
  return accounts_.size();
}

void BudgetLedger::ForgetIdle(int64_t now_ms) {
  // Accounts quiet for a day are forgotten, at most once a minute (a sweep is O(accounts)).
  if (accounts_.size() <= 4096 || now_ms - last_forget_ms_ <= 60'000) return;
  last_forget_ms_ = now_ms;
  for (auto it = accounts_.begin(); it != accounts_.end();) {
    Expire(it->second, now_ms);
    bool idle = it->second.received.empty() && it->second.directory.empty() &&
                it->second.exhausted_at_ms == 0 && it->second.extended_at_ms == 0;
    it = idle ? accounts_.erase(it) : std::next(it);
  }
}

}  // namespace medvault::detect
