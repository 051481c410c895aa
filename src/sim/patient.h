// A patient of a practice: identity (names, sex, birth date on the French age pyramid,
// NIR, address, phones, e-mail, administrative comment, confidentiality label), the
// care relationship with the practice, and the Patient and CareTeam resources.
#pragma once

#include <cstdint>
#include <string>

#include "sim/nir.h"
#include "sim/person_names.h"
#include "sim/practice.h"
#include "sim/resource_ids.h"
#include "sim/sim_random.h"

namespace medvault::sim {

// Where a patient stands with the practice: a current patient of one physician (the
// médecin traitant), or a past patient whose last physician it was.
struct CareAssignment {
  bool active = true;
  int physician = 0;  // index in Practice::physicians
};

struct PatientProfile {
  std::string id;
  Sex sex = Sex::kFemale;
  PersonName name;
  int64_t birth_days = 0;  // days since 1970-01-01
  int age = 0;             // today
  CareAssignment care;
  int nurse = -1;               // index in Practice::nurses, or -1
  int64_t care_start_days = 0;  // the practice's first contact
  int64_t care_end_days = 0;    // today for current patients
  int64_t deceased_days = -1;   // -1 when alive
  char confidentiality = 0;     // 'R' or 'V' for restricted records, 0 otherwise
};

PatientProfile DrawPatient(SimRandom& rng, ResourceIds& ids, const Practice& practice,
                           CareAssignment care, int64_t today_days);

// `nir_orders` keeps NIRs unique across the population.
void EmitPatient(SimRandom& rng, NirOrders& nir_orders, const PatientProfile& patient,
                 const Practice& practice, ResourceSink& sink);

// The care relationship: active with the médecin traitant (and the practice, and a nurse
// for some), or inactive with an end date for past patients.
void EmitCareTeam(ResourceIds& ids, const PatientProfile& patient, const Practice& practice,
                  ResourceSink& sink);

}  // namespace medvault::sim
