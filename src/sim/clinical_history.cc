#include "sim/clinical_history.h"

#include <algorithm>
#include <vector>

#include "sim/civil_time.h"
#include "sim/clinical_records.h"

namespace medvault::sim {
namespace {

// The years of history the record holds: current patients' files go back five years,
// past patients' the last three years before they left.
constexpr double kActiveHistoryYears = 5;
constexpr double kPastHistoryYears = 3;

bool SexAllows(const ConditionCode& code, Sex sex) {
  return code.only_sex == 0 || code.only_sex == (sex == Sex::kMale ? 'M' : 'F');
}

// A condition of the kind asked for, by weight among those the patient may have; nullptr
// when none fits.
const ConditionCode* DrawCondition(SimRandom& rng, bool chronic, int age, Sex sex,
                                   const PatientChart& chart) {
  int total = 0;
  auto eligible = [&](const ConditionCode& code) {
    return code.chronic == chronic && age >= code.min_age && SexAllows(code, sex) &&
           !(chronic && chart.Has(code.icd10));
  };
  for (const ConditionCode& code : Conditions()) total += eligible(code) ? code.weight : 0;
  if (total == 0) return nullptr;
  auto draw = static_cast<int>(rng.Below(static_cast<uint64_t>(total)));
  for (const ConditionCode& code : Conditions()) {
    if (!eligible(code)) continue;
    if (draw < code.weight) return &code;
    draw -= code.weight;
  }
  return nullptr;
}

// Up to `count` medications indicated for `icd10`.
std::vector<const MedicationCode*> DrawTreatment(SimRandom& rng, std::string_view icd10,
                                                 int count) {
  std::vector<const MedicationCode*> candidates;
  for (const MedicationCode& medication : Medications()) {
    if (!medication.indication.empty() && icd10.starts_with(medication.indication)) {
      candidates.push_back(&medication);
    }
  }
  std::vector<const MedicationCode*> chosen;
  while (!candidates.empty() && static_cast<int>(chosen.size()) < count) {
    const size_t pick = rng.Below(candidates.size());
    chosen.push_back(candidates[pick]);
    candidates.erase(candidates.begin() + static_cast<std::ptrdiff_t>(pick));
  }
  return chosen;
}

PatientChart DrawChart(SimRandom& rng, const PatientProfile& patient) {
  PatientChart chart;
  const bool male = patient.sex == Sex::kMale;
  chart.adult_height_cm = (male ? 176 : 163) + (male ? 7 : 6.5) * rng.Normalish();
  chart.adult_bmi = std::clamp(25.5 + 4.5 * rng.Normalish(), 17.0, 45.0);
  const double expected = patient.age < 18 ? 0.25 : 0.3 + 0.028 * patient.age;
  const int64_t count = rng.RoundRandomly(expected);
  for (int64_t i = 0; i < count; ++i) {
    const ConditionCode* code = DrawCondition(rng, true, patient.age, patient.sex, chart);
    if (code == nullptr) break;
    ChronicCondition condition;
    condition.code = code;
    const int64_t earliest =
        patient.birth_days + static_cast<int64_t>(code->min_age * kDaysPerYear);
    condition.onset_days =
        earliest + static_cast<int64_t>(rng.Unit() * static_cast<double>(std::max<int64_t>(
                                                         1, patient.care_end_days - earliest)));
    if (rng.Chance(0.75)) {
      condition.treatment = DrawTreatment(rng, code->icd10, code->icd10 == "I10" ? 2 : 1);
    }
    chart.chronic.push_back(std::move(condition));
  }
  if (chart.Has("E66")) chart.adult_bmi = std::max(chart.adult_bmi, 31 + 3 * rng.Unit());
  chart.systolic_offset = chart.Has("I10") ? 12 : 0;
  const int allergies = rng.Chance(0.2) ? (rng.Chance(0.2) ? 2 : 1) : 0;
  for (int i = 0; i < allergies; ++i) chart.allergies.push_back(&rng.Pick(Allergies()));
  return chart;
}

// Consultation start times within [first_day, last_day]: working days, 8:00 to 19:00
// local time (UTC+1 is close enough for drawing the slot), sorted.
std::vector<int64_t> DrawVisitTimes(SimRandom& rng, int64_t first_day, int64_t last_day,
                                    int64_t count) {
  std::vector<int64_t> starts;
  starts.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    int64_t day = rng.Between(first_day, last_day);
    if (WeekdayOf(day) == 6) day = day > first_day ? day - 1 : day + 1;  // Sunday
    const int64_t slot = rng.Between(0, 32);  // 20-minute slots from 07:00 UTC
    starts.push_back(day * kSecondsPerDay + 7 * 3600 + slot * 1200);
  }
  std::sort(starts.begin(), starts.end());
  return starts;
}

std::string_view ReasonFor(SimRandom& rng, const PatientChart& chart, const ConditionCode* acute) {
  if (acute != nullptr) return acute->label;
  if (!chart.chronic.empty() && rng.Chance(0.6)) {
    return rng.Chance(0.5) ? "Renouvellement d'ordonnance" : rng.Pick(chart.chronic).code->label;
  }
  return rng.Pick(VisitReasons());
}

bool IsInfection(const ConditionCode& code) {
  return code.icd10.starts_with("J") || code.icd10.starts_with("A") ||
         code.icd10.starts_with("U07") || code.icd10.starts_with("N39") ||
         code.icd10.starts_with("H66") || code.icd10.starts_with("B01");
}

void RecordChart(const RecordContext& context, PatientChart& chart, const Visit* visit,
                 int64_t recorded_days) {
  for (ChronicCondition& condition : chart.chronic) {
    condition.condition_id = EmitCondition(
        context, *condition.code, std::min(condition.onset_days, recorded_days), -1, visit);
  }
  for (const AllergyCode* allergy : chart.allergies) {
    EmitAllergy(context, *allergy, visit, recorded_days);
  }
}

// One consultation and everything it produced, its note last.
void EmitVisit(const RecordContext& context, Visit& visit, bool first, PatientChart& chart) {
  SimRandom& rng = context.rng;
  const PatientProfile& patient = context.patient;
  const auto age = static_cast<int>(visit.age_years);
  const ConditionCode* acute =
      rng.Chance(0.4) ? DrawCondition(rng, false, age, patient.sex, chart) : nullptr;
  visit.reason = ReasonFor(rng, chart, acute);
  if (age >= 80 && rng.Chance(0.2)) visit.encounter_class = "HH";
  EmitEncounter(context, visit);
  const int64_t day = visit.start_seconds / kSecondsPerDay;
  if (first) RecordChart(context, chart, &visit, day);

  std::string vitals;
  EmitVitalSigns(context, visit, acute != nullptr && IsInfection(*acute), vitals);
  const bool chronic = !chart.chronic.empty();
  if (age >= 18 && rng.Chance(chronic ? 0.2 : 0.07)) EmitLabResults(context, visit);

  std::string treatment;
  auto prescribe = [&](const MedicationCode& medication, std::string_view condition_id) {
    EmitMedicationRequest(context, medication, condition_id, visit);
    treatment += treatment.empty() ? "" : ", ";
    treatment += medication.label;
  };
  if (acute != nullptr) {
    const int64_t abatement = day + rng.Between(3, 21);
    const std::string condition_id =
        EmitCondition(context, *acute, day - rng.Between(0, 4), abatement, &visit);
    const auto treatments = DrawTreatment(rng, acute->icd10, 1);
    if (!treatments.empty() && rng.Chance(0.8)) prescribe(*treatments.front(), condition_id);
    if (rng.Chance(0.35)) prescribe(Medications().back(), condition_id);  // paracetamol
  }
  if (rng.Chance(0.5)) {
    for (const ChronicCondition& condition : chart.chronic) {
      for (const MedicationCode* medication : condition.treatment) {
        prescribe(*medication, condition.condition_id);
      }
    }
  }

  if (!rng.Chance(0.6)) return;
  const TimeText date = TimeText::FrenchDate(day);
  std::string text = "Consultation du " + std::string(date.view()) + " – " +
                     visit.physician->display_name + "\nMotif : " + std::string(visit.reason) +
                     ".\n";
  if (!vitals.empty()) text += "Constantes : " + vitals + ".\n";
  text += rng.Pick(ExaminationSentences());
  text += '\n';
  if (acute != nullptr) text += "Diagnostic : " + std::string(acute->label) + ".\n";
  if (!treatment.empty()) text += "Traitement : " + treatment + ".\n";
  text += rng.Pick(ConclusionSentences());
  text += '\n';
  EmitConsultationNote(context, visit, text);
}

}  // namespace

void EmitClinicalHistory(SimRandom& rng, ResourceIds& ids, const PatientProfile& patient,
                         const Practice& practice, double scale, int64_t today_days,
                         ResourceSink& sink) {
  if (scale <= 0) return;
  PatientChart chart = DrawChart(rng, patient);
  const RecordContext context{rng, ids, sink, patient, practice, chart, today_days};

  const bool active = patient.care.active;
  const double window_years = active ? kActiveHistoryYears : kPastHistoryYears;
  const int64_t first_day =
      std::max(patient.care_start_days,
               patient.care_end_days - static_cast<int64_t>(window_years * kDaysPerYear));
  // Current patients were last seen yesterday at the latest: today may not be over.
  const int64_t last_day = std::max(first_day, patient.care_end_days - (active ? 1 : 0));
  const double years = static_cast<double>(last_day - first_day) / kDaysPerYear;
  const double age =
      (static_cast<double>((first_day + last_day) / 2 - patient.birth_days)) / kDaysPerYear;
  double per_year =
      age < 3 ? 2.5 : 0.3 + 0.014 * age + 0.28 * static_cast<double>(chart.chronic.size());
  if (!active) per_year *= 0.8;
  const int64_t count = rng.RoundRandomly(per_year * years * scale);
  if (count == 0) {
    RecordChart(context, chart, nullptr, first_day);
    return;
  }
  const std::vector<int64_t> starts = DrawVisitTimes(rng, first_day, last_day, count);
  const Clinician& usual = practice.physicians[patient.care.physician];
  for (size_t i = 0; i < starts.size(); ++i) {
    Visit visit;
    visit.encounter_id = ids.Next();
    visit.start_seconds = starts[i];
    visit.physician =
        rng.Chance(0.85) ? &usual : &practice.physicians[rng.Below(practice.physicians.size())];
    visit.age_years =
        static_cast<double>(starts[i] / kSecondsPerDay - patient.birth_days) / kDaysPerYear;
    EmitVisit(context, visit, i == 0, chart);
  }
}

}  // namespace medvault::sim
