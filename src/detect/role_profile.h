// What each role's honest work looks like (the per-role feature table): the baseline of
// an account before its own habits are known, the allowances no baseline can lower, and
// which features apply at all. Figures from French general practice (see DRILL.md).
#pragma once

#include <bitset>

#include "detect/local_time.h"
#include "identity/role.h"

namespace medvault::detect {

struct RoleProfile {
  // Distinct patients on a working day, until the account has its own baseline.
  double patients_per_day = 0;
  double patients_per_day_sd = 1;
  // Distinct patients in one hour past which the pace counts: near the hourly budget,
  // well above any honest hour (a results catch-up runs at about 25 an hour).
  double patients_per_hour_ceiling = 0;
  // Whether reads normally lead to writes. Clinicians write an encounter or an
  // observation for the patient they consult; secretaries open files to book and file,
  // so the unwritten-read features do not apply to them.
  bool reads_lead_to_writes = false;
  double unwritten_per_hour_allowance = 1;  // unwritten reads in an hour that cost nothing
  double unwritten_per_day_allowance = 4;   // the least a day's threshold can be
  // Extra patients allowed on the first working day after an absence: results and
  // letters that piled up (a GP back from holidays reviews about 60 in a morning).
  double return_catch_up_patients = 0;
  // Directory searches not followed by opening a patient they returned, about an hour's
  // worth, that cost nothing (secretaries search all day).
  double unfollowed_searches_allowance = 4;
  // Distinct patients in 30 days past which coverage counts, when the account's
  // reachable base is not known (a GP sees about 400 different patients a month).
  double coverage_patients_30d = 0;
  // Hours of the week (0 = Monday 00:00–01:00) the role works: an account's habits
  // until it has its own.
  std::bitset<kHoursPerWeek> usual_hours;
};

RoleProfile DefaultRoleProfile(identity::Role role);

}  // namespace medvault::detect
