// The breach drill's simulated days (docs/DETECTION.md): honest work by the practices'
// physicians and secretaries, and attacks on victim accounts mixed into it, all through
// the request pipeline on a ManualClock. Deterministic from the seed.
#pragma once

#include <cstdint>
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
  std::map<std::string, std::vector<size_t>> active_by_practitioner;  // GP → patients
  std::map<std::string, std::vector<size_t>> past_by_organization;    // inactive care
  std::map<std::string, std::vector<size_t>> by_organization;
  std::vector<LoadedAccount> accounts;
  std::map<std::string, size_t> index_of_id;  // patient id → index in `patients`

  // Indexes Patient and CareTeam resources as they are generated.
  void Observe(fhir::ResourceType type, const std::string& json);
};

struct AttackRecord {
  int strategy = 0;
  std::string name;
  bool run = false;
  std::string not_run;  // why not, when not run
  std::string victim;   // username
  int64_t started_ms = -1;
  int64_t contained_ms = -1;  // the first refused request
  std::string contained_by;   // its status and what it said
  std::set<std::string> taken_before;
  std::set<std::string> taken_total;
  int64_t requests = 0;
  int64_t refused = 0;
  int64_t victim_step_ups = 0;  // strategy 7: the victim's prompts
  // From the alerts table at the end.
  int64_t first_alert_ms = -1;
  std::set<std::string> alert_kinds;
};

struct HonestRecord {
  int64_t clinician_days = 0;  // physicians' working days
  int64_t secretary_days = 0;
  int64_t consultations = 0;
  int64_t files_opened = 0;               // secretaries
  int64_t step_up_prompts = 0;            // detection: budgets, containment
  int64_t sensitive_step_up_prompts = 0;  // break-the-glass asks a fresh code by design
  int64_t refusals = 0;                   // 429 and 403 by containment or budget
  int64_t forbidden = 0;                  // 403 answers (care-based access)
  int64_t suspensions = 0;                // logins refused to honest people
  int64_t relogins = 0;                   // sessions that expired in the day
  int64_t exceptions = 0;                 // catch-up after holidays, break-the-glass
  int64_t alerts = 0;                     // alerts raised on honest accounts
};

struct DrillOptions {
  int days = 5;
  uint64_t seed = 1;
  int64_t start_ms = 0;  // midnight of the first simulated day (UTC stands for local time)
};

struct DrillOutcome {
  std::vector<AttackRecord> attacks;
  HonestRecord honest;
};

// Runs the simulated days. `client` sends everything; the runtime is read at the end
// for alerts.
DrillOutcome RunDrillDays(const DrillOptions& options, const DrillPopulation& population,
                          DrillClient& client, Runtime& rt);

}  // namespace medvault::cli
