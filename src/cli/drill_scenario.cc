// RunDrillDays: casts the victims and the honest, plans each day at its midnight, runs
// the timeline, then reads the alerts each account raised.
#include "cli/drill_scenario.h"

#include <algorithm>

#include "cli/drill_attacks.h"
#include "cli/drill_honest.h"
#include "cli/drill_timeline.h"

namespace medvault::cli {
namespace {

// The earliest of a moment over accounts (-1: never).
int64_t Earliest(const std::vector<AccountTake>& accounts, int64_t AccountTake::*moment) {
  int64_t out = -1;
  for (const AccountTake& t : accounts)
    if (t.*moment >= 0 && (out < 0 || t.*moment < out)) out = t.*moment;
  return out;
}

void ReadAlerts(store::Reader& reader, AccountTake& take, std::set<std::string>& victim_ids) {
  auto row = reader.AccountByUsername(take.victim);
  if (!row || !*row) return;
  victim_ids.insert((*row)->id);
  auto alerts = reader.Alerts({(*row)->id, "", "", 10'000});
  if (!alerts) return;
  for (const store::AlertRow& alert : *alerts) {
    if (take.started_ms < 0 || alert.created_at_ms < take.started_ms) continue;
    take.alert_kinds.insert(alert.kind);
    if (take.first_alert_ms < 0 || alert.created_at_ms < take.first_alert_ms)
      take.first_alert_ms = alert.created_at_ms;
  }
}

}  // namespace

std::set<std::string> AttackRecord::TakenBefore() const {
  std::set<std::string> out;
  for (const AccountTake& t : accounts) out.insert(t.taken_before.begin(), t.taken_before.end());
  return out;
}

std::set<std::string> AttackRecord::TakenTotal() const {
  std::set<std::string> out;
  for (const AccountTake& t : accounts) out.insert(t.taken_total.begin(), t.taken_total.end());
  return out;
}

std::set<std::string> AttackRecord::AlertKinds() const {
  std::set<std::string> out;
  for (const AccountTake& t : accounts) out.insert(t.alert_kinds.begin(), t.alert_kinds.end());
  return out;
}

int64_t AttackRecord::StartedMs() const { return Earliest(accounts, &AccountTake::started_ms); }
int64_t AttackRecord::FirstAlertMs() const {
  return Earliest(accounts, &AccountTake::first_alert_ms);
}
int64_t AttackRecord::ContainedMs() const { return Earliest(accounts, &AccountTake::contained_ms); }

int64_t AttackRecord::AccountsContained() const {
  return std::count_if(accounts.begin(), accounts.end(),
                       [](const AccountTake& t) { return t.contained_ms >= 0; });
}

int64_t AttackRecord::Requests() const {
  int64_t n = 0;
  for (const AccountTake& t : accounts) n += t.requests;
  return n;
}

int64_t AttackRecord::Refused() const {
  int64_t n = 0;
  for (const AccountTake& t : accounts) n += t.refused;
  return n;
}

DrillOutcome RunDrillDays(const DrillOptions& options, const DrillPopulation& population,
                          DrillClient& client, Runtime& rt) {
  DrillOutcome out;
  Timeline timeline(client.clock());
  HonestWork honest(options, population, client, timeline, out.honest);
  Attacks attacks(options, population, client, timeline, honest, out.attacks);

  std::vector<const LoadedAccount*> physicians;
  for (const LoadedAccount& a : population.accounts) {
    auto patients = population.active_by_practitioner.find(a.practitioner_id);
    if (a.role == identity::Role::kPhysician && patients != population.active_by_practitioner.end())
      physicians.push_back(&a);
  }
  std::set<const LoadedAccount*> absent;
  std::map<const LoadedAccount*, AccountTake*> riding;
  attacks.Cast(physicians, absent, riding);
  honest.Cast(absent, riding);
  honest.PlanHolidays();
  attacks.Start();
  for (int day = 0; day < options.days; ++day)
    timeline.At(options.DayStart(day), [&honest, &attacks, day] {
      honest.PlanDay(day);
      attacks.PlanDay(day);
    });
  timeline.Run();

  store::Reader& reader = rt.store->reader();
  std::set<std::string> victim_ids;
  for (AttackRecord& a : out.attacks)
    for (AccountTake& take : a.accounts) ReadAlerts(reader, take, victim_ids);
  auto all = reader.Alerts({"", "", "", 1'000'000});
  if (all)
    for (const store::AlertRow& alert : *all)
      if (!victim_ids.contains(alert.account_id)) {
        ++out.honest.alerts;
        ++out.honest.alert_kinds[alert.kind];
      }
  return out;
}

}  // namespace medvault::cli
