// The clinical resources of one patient's history, written one at a time: encounters,
// conditions, allergies, prescriptions, observations and consultation notes. The
// history (clinical_history.cc) decides what happens when; these functions write it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/patient.h"
#include "sim/vocabulary.h"

namespace medvault::sim {

// A long-term condition of the patient and the medications it is treated with.
struct ChronicCondition {
  const ConditionCode* code = nullptr;
  int64_t onset_days = 0;
  std::string condition_id;  // set once the Condition is emitted
  std::vector<const MedicationCode*> treatment;
};

// What the history draws once per patient.
struct PatientChart {
  double adult_height_cm = 170;
  double adult_bmi = 25;
  double systolic_offset = 0;  // personal and treated-hypertension shift
  std::vector<ChronicCondition> chronic;
  std::vector<const AllergyCode*> allergies;

  bool Has(std::string_view icd10_prefix) const;
};

// Everything the writers need about the patient at hand.
struct RecordContext {
  SimRandom& rng;
  ResourceIds& ids;
  ResourceSink& sink;
  const PatientProfile& patient;
  const Practice& practice;
  const PatientChart& chart;
  int64_t today_days;
};

// One consultation.
struct Visit {
  std::string encounter_id;
  int64_t start_seconds = 0;  // UTC
  const Clinician* physician = nullptr;
  double age_years = 0;
  std::string_view reason;
  std::string_view encounter_class = "AMB";  // AMB, HH (home visit) or VR (video)
};

void EmitEncounter(const RecordContext& context, const Visit& visit);

// Returns the Condition id. `abatement_days` < 0: still active.
std::string EmitCondition(const RecordContext& context, const ConditionCode& code,
                          int64_t onset_days, int64_t abatement_days, const Visit* visit);

void EmitAllergy(const RecordContext& context, const AllergyCode& code, const Visit* visit,
                 int64_t recorded_days);

void EmitMedicationRequest(const RecordContext& context, const MedicationCode& medication,
                           std::string_view condition_id, const Visit& visit);

// Vital signs of the visit; appends a French summary ("TA 135/82 mmHg, poids 72,5 kg")
// to `summary`.
void EmitVitalSigns(const RecordContext& context, const Visit& visit, bool fever_checked,
                    std::string& summary);

// Laboratory results reviewed at the visit, one Observation per test of the panels drawn.
void EmitLabResults(const RecordContext& context, const Visit& visit);

// The consultation note (DocumentReference with the text as a base64 attachment).
void EmitConsultationNote(const RecordContext& context, const Visit& visit, std::string_view text);

}  // namespace medvault::sim
