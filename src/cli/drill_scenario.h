// The breach drill's simulated days (docs/DETECTION.md): honest work by the practices'
// physicians, nurses and secretaries, and the attacks of DRILL.md on victim accounts mixed
// into it, all through the DrillClient on a ManualClock. Deterministic from the seed.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli/drill_client.h"

namespace medvault::cli {

// What the drill knows of the population: gathered from the generated resources.
struct DrillPatient {
  std::string id;
  std::string family;
  std::string birth_date;
  std::string organization_id;
};
struct DrillPopulation {
  std::vector<DrillPatient> patients;
  // Practitioner (physician or nurse) → the patients whose active CareTeam names them.
  std::map<std::string, std::vector<size_t>> active_by_practitioner;
  std::map<std::string, std::vector<size_t>> past_by_organization;  // inactive care
  std::map<std::string, std::vector<size_t>> by_organization;
  std::vector<LoadedAccount> accounts;
  std::map<std::string, size_t> index_of_id;  // patient id → index in `patients`

  // Indexes Patient and CareTeam resources as they are generated.
  void Observe(fhir::ResourceType type, const std::string& json);
};

// What one stolen account gave the attacker.
struct AccountTake {
  std::string victim;  // username
  int64_t started_ms = -1;
  int64_t contained_ms = -1;  // the first refused request
  std::string contained_by;   // its status
  std::set<std::string> taken_before;
  std::set<std::string> taken_total;
  int64_t requests = 0;
  int64_t refused = 0;
  int64_t victim_step_ups = 0;  // a victim who kept working: their own prompts
  int64_t grants = 0;           // break-the-glass grants obtained (strategy 5)
  // From the alerts table at the end.
  int64_t first_alert_ms = -1;
  std::set<std::string> alert_kinds;
};

struct AttackRecord {
  int strategy = 0;
  std::string name;
  bool run = false;
  std::string not_run;                // why not, when not run
  std::vector<AccountTake> accounts;  // one victim; many for strategy 6

  // Over every account: distinct patients (the union), the earliest moments.
  std::set<std::string> TakenBefore() const;
  std::set<std::string> TakenTotal() const;
  int64_t StartedMs() const;
  int64_t FirstAlertMs() const;
  int64_t ContainedMs() const;  // the first account contained
  int64_t AccountsContained() const;
  int64_t Requests() const;
  int64_t Refused() const;
  std::set<std::string> AlertKinds() const;
};

struct HonestRecord {
  int64_t clinician_days = 0;  // physicians' and nurses' working days
  int64_t physician_days = 0;
  int64_t nurse_days = 0;
  int64_t secretary_days = 0;
  int64_t holiday_days = 0;  // physicians' working days spent on holiday
  int64_t consultations = 0;
  int64_t nurse_visits = 0;
  int64_t files_opened = 0;     // secretaries
  int64_t list_checks = 0;      // physicians' looks at the practice's list (see drill_honest.cc)
  int64_t step_up_prompts = 0;  // detection: budgets, containment
  int64_t sensitive_step_up_prompts = 0;  // break-the-glass asks a fresh code by design
  int64_t refusals = 0;                   // 429 and 401 by containment or budget
  int64_t forbidden = 0;                  // 403 answers (care-based access)
  int64_t suspensions = 0;                // logins refused to honest people
  int64_t relogins = 0;                   // sessions that expired in the day
  // Honest exceptions, drawn from the seed: the sum, then each kind.
  int64_t exceptions = 0;
  int64_t catch_ups = 0;       // results read on the first day back from holidays
  int64_t locum_covers = 0;    // a colleague covering an absent physician's patients
  int64_t locum_days = 0;      // the working days of those covers
  int64_t on_call_nights = 0;  // out-of-hours consultations
  int64_t break_glass = 0;     // justified break-the-glass
  int64_t care_started = 0;    // POST /access/care-relationships by covering physicians
  int64_t alerts = 0;          // alerts raised on honest accounts
  std::map<std::string, int64_t> alert_kinds;  // those alerts by kind
};

struct DrillOptions {
  int days = 5;
  uint64_t seed = 1;
  // Midnight of the first simulated day, a Monday (UTC stands for local time).
  int64_t start_ms = 0;

  // Midnight of day `day` (0 is the first).
  int64_t DayStart(int day) const { return start_ms + int64_t{day} * 86'400'000; }
};

struct DrillOutcome {
  std::vector<AttackRecord> attacks;  // strategies 1 to 7, in order
  HonestRecord honest;
};

// Runs the simulated days. `client` sends everything; the runtime is read at the end
// for alerts.
DrillOutcome RunDrillDays(const DrillOptions& options, const DrillPopulation& population,
                          DrillClient& client, Runtime& rt);

}  // namespace medvault::cli
