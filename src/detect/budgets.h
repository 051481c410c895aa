// Synchronous budgets: the hard cap on what one account can take, checked before a
// response leaves. Per account, the distinct patients whose data it received in the
// last hour and the last 24 hours, and its directory searches in the last hour. An
// honest day stays far below; a scraper runs into the cap within a few dozen patients.
//
// When a budget runs out the caller must step up (a fresh code from the clinician's
// phone, which a thief with a stolen session lacks); after a step-up the budget is
// extended once, for the rest of its window. Running out again is refused outright.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "identity/principal.h"

namespace medvault::detect {

struct RoleBudget {
  int64_t patients_per_hour = 0;  // 0: no budget (the role receives no patient data)
  int64_t patients_per_day = 0;
  int64_t directory_searches_per_hour = 0;
  // A burst: an honest clinician opens a patient or two per consultation, a scraper
  // dozens a minute. 0: no burst budget.
  int64_t patients_per_10_minutes = 0;
};

struct BudgetOptions {
  // A GP sees 22–30 patients on a busy day; secretaries open 40–80 files.
  RoleBudget physician{40, 150, 40, 15};
  RoleBudget nurse{30, 100, 20, 12};
  RoleBudget secretary{80, 250, 120, 25};
  // How much a step-up extends an exhausted budget (a multiple of it).
  int64_t extension_factor = 2;
};

RoleBudget BudgetOf(const BudgetOptions& options, identity::Role role);

enum class BudgetVerdict {
  kWithin,  // deliver; the patients are now counted
  kStepUp,  // exhausted: ask for a fresh code, then the budget is extended once
  kRefuse,  // exhausted after the extension: 429 until the window moves on
};

struct BudgetCheck {
  BudgetVerdict verdict = BudgetVerdict::kWithin;
  std::string budget;  // which one: "patients per hour", "patients per day", …
  int64_t used = 0;    // what delivering would have made it
  int64_t limit = 0;
  int64_t retry_after_ms = 0;  // kRefuse: until the oldest counted item leaves the window
  // The first time this window's budget ran out, or the extension was granted: the
  // moments the security officer hears of.
  bool newly_exhausted = false;
  bool newly_extended = false;
};

// What an account has used, for the security officer's view.
struct BudgetUsage {
  int64_t patients_last_10_minutes = 0;
  int64_t patients_last_hour = 0;
  int64_t patients_last_day = 0;
  int64_t directory_searches_last_hour = 0;
  bool extended = false;
  RoleBudget limits;
};

class BudgetLedger {
 public:
  explicit BudgetLedger(BudgetOptions options) : options_(options) {}

  // Whether delivering data of `patients` (and one directory search when `directory`)
  // keeps the principal's account within its budgets at `now_ms`; when it does, they
  // are counted. Check and count are one step: concurrent requests cannot both take the
  // last patient.
  BudgetCheck Charge(const identity::Principal& principal, std::span<const std::string> patients,
                     bool directory, int64_t now_ms);
  // The same, by account: `stepped_up_at_ms` is the session's last fresh code.
  BudgetCheck Charge(std::string_view account_id, identity::Role role, int64_t stepped_up_at_ms,
                     std::span<const std::string> patients, bool directory, int64_t now_ms);

  // Counts what another node delivered to the account at `at_ms` (its audit entry, read
  // after the commit): no verdict, no exhaustion recorded here; the account's next
  // request on this node is charged on top of it. Entries older than a day are ignored.
  void Count(std::string_view account_id, std::span<const std::string> patients, bool directory,
             int64_t at_ms, int64_t now_ms);

  BudgetUsage Usage(const identity::Principal& principal, int64_t now_ms);
  BudgetUsage Usage(std::string_view account_id, identity::Role role, int64_t now_ms);

  // Accounts currently tracked (for the memory figure).
  size_t accounts();

 private:
  struct Account {
    std::deque<std::pair<int64_t, std::string>> received;  // first receipt in the last day
    std::unordered_set<std::string> received_set;
    std::deque<int64_t> directory;  // directory searches in the last hour
    int64_t exhausted_at_ms = 0;    // asked to step up at (0: not asked in this window)
    int64_t extended_at_ms = 0;     // extended after a step-up at (0: not extended)
    int64_t refused_at_ms = 0;      // first refused after the extension at
    int64_t last_seen_ms = 0;
  };
  void Expire(Account& account, int64_t now_ms) const;
  BudgetUsage UsageLocked(Account& account, const RoleBudget& limits, int64_t now_ms) const;
  void ForgetIdle(int64_t now_ms);

  const BudgetOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Account> accounts_;
  int64_t last_forget_ms_ = 0;
};

}  // namespace medvault::detect
