// A patient's clinical history with the practice: long-term conditions and allergies,
// then consultations over the years of the relationship (recent years for current
// patients, the years before they left for past ones), each with what it produced.
#pragma once

#include <cstdint>

#include "sim/patient.h"

namespace medvault::sim {

// Emits the history after the patient's CareTeam. `scale` multiplies the number of
// consultations; 0 emits nothing.
void EmitClinicalHistory(SimRandom& rng, ResourceIds& ids, const PatientProfile& patient,
                         const Practice& practice, double scale, int64_t today_days,
                         ResourceSink& sink);

}  // namespace medvault::sim
