// Vital signs and laboratory results (Observation), with values drawn from the patient's
// build, age and conditions.
#include <algorithm>
#include <cstdio>

#include "sim/civil_time.h"
#include "sim/clinical_records.h"
#include "sim/resource_writer.h"

namespace medvault::sim {
namespace {

using fhir::ResourceType;

constexpr std::string_view kCategorySystem =
    "http://terminology.hl7.org/CodeSystem/observation-category";
constexpr std::string_view kInterpretationSystem =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
constexpr std::string_view kLoinc = "http://loinc.org";

const Measure& FindMeasure(std::string_view loinc) {
  for (const Measure& measure : Measures()) {
    if (measure.loinc == loinc) return measure;
  }
  return Measures().front();  // unreachable: every code asked for is in the table
}

struct VitalCodes {
  const Measure& weight = FindMeasure("29463-7");
  const Measure& height = FindMeasure("8302-2");
  const Measure& bmi = FindMeasure("39156-5");
  const Measure& blood_pressure = FindMeasure("85354-9");
  const Measure& systolic = FindMeasure("8480-6");
  const Measure& diastolic = FindMeasure("8462-4");
  const Measure& heart_rate = FindMeasure("8867-4");
  const Measure& temperature = FindMeasure("8310-5");
  const Measure& oxygen_saturation = FindMeasure("59408-5");
  const Measure& waist = FindMeasure("8280-0");
};

const VitalCodes& Vitals() {
  static const VitalCodes codes;
  return codes;
}

// How a condition moves a laboratory value: the mean for patients who have it.
struct ConditionEffect {
  std::string_view icd10_prefix;
  std::string_view loinc;
  double mean;
};
constexpr ConditionEffect kConditionEffects[] = {
    {"E11", "2345-7", 1.45},  {"E11", "4548-4", 7.3},  {"E10", "4548-4", 7.8},
    {"E78", "13457-7", 1.75}, {"E78", "2093-3", 2.45}, {"N18", "2160-0", 135},
    {"N18", "62238-1", 45},   {"E03", "3016-3", 5.2},  {"D50", "718-7", 10.9},
    {"D50", "2276-4", 12},    {"B18", "1742-6", 70},   {"F10", "2324-2", 120},
};

// The fraction of adult height reached at `age` years.
double GrowthFraction(double age) {
  if (age < 1) return 0.29 + 0.14 * age;
  if (age < 13) return 0.43 + 0.038 * (age - 1);
  if (age < 18) return 0.886 + 0.0228 * (age - 13);
  return 1.0;
}

std::string FrenchDecimal(double value, int decimals) {
  char text[32];
  const int size = std::snprintf(text, sizeof text, "%.*f", decimals, value);
  std::string result(text, static_cast<size_t>(size));
  std::replace(result.begin(), result.end(), '.', ',');
  return result;
}

void BeginObservation(ResourceWriter& json, const RecordContext& context, const Measure& measure,
                      const Visit& visit, int64_t effective_seconds) {
  json.Member("status", "final");
  const bool vital = measure.kind == MeasureKind::kVitalSign;
  json.CodeableConceptArrayMember("category", kCategorySystem,
                                  vital ? "vital-signs" : "laboratory");
  json.CodeableConceptMember("code", kLoinc, measure.loinc, measure.display, measure.label);
  json.ReferenceMember("subject", "Patient", context.patient.id);
  json.ReferenceMember("encounter", "Encounter", visit.encounter_id);
  json.Member("effectiveDateTime", TimeText::DateTime(effective_seconds).view());
  if (vital) {
    json.Key("performer");
    json.StartArray();
    json.Reference("Practitioner", visit.physician->practitioner_id);
    json.EndArray();
  }
}

void WriteQuantityValue(ResourceWriter& json, const Measure& measure, double value) {
  json.Key("valueQuantity");
  json.UcumQuantity(value, measure.decimals, measure.unit);
  if (measure.reference_high <= measure.reference_low) return;
  std::string_view flag;
  if (value > measure.reference_high) flag = "H";
  if (value < measure.reference_low) flag = "L";
  if (!flag.empty()) json.CodeableConceptArrayMember("interpretation", kInterpretationSystem, flag);
  if (measure.kind != MeasureKind::kLaboratory) return;
  json.Key("referenceRange");
  json.StartArray();
  json.StartObject();
  if (measure.reference_low > 0) {
    json.Key("low");
    json.UcumQuantity(measure.reference_low, measure.decimals, measure.unit);
  }
  json.Key("high");
  json.UcumQuantity(measure.reference_high, measure.decimals, measure.unit);
  json.EndObject();
  json.EndArray();
}

void EmitQuantity(const RecordContext& context, const Measure& measure, const Visit& visit,
                  int64_t effective_seconds, double value) {
  const std::string id = context.ids.Next();
  ResourceWriter json("Observation", id);
  BeginObservation(json, context, measure, visit, effective_seconds);
  WriteQuantityValue(json, measure, value);
  context.sink.Emit(ResourceType::kObservation, id, json.Finish());
}

void EmitBloodPressure(const RecordContext& context, const Visit& visit, double systolic,
                       double diastolic) {
  const VitalCodes& vitals = Vitals();
  const std::string id = context.ids.Next();
  ResourceWriter json("Observation", id);
  BeginObservation(json, context, vitals.blood_pressure, visit, visit.start_seconds + 300);
  json.Key("component");
  json.StartArray();
  for (const auto& [measure, value] :
       {std::pair{&vitals.systolic, systolic}, std::pair{&vitals.diastolic, diastolic}}) {
    json.StartObject();
    json.CodeableConceptMember("code", kLoinc, measure->loinc, measure->display, measure->label);
    WriteQuantityValue(json, *measure, value);
    json.EndObject();
  }
  json.EndArray();
  context.sink.Emit(ResourceType::kObservation, id, json.Finish());
}

double Draw(SimRandom& rng, double mean, double deviation) {
  return std::max(0.0, mean + deviation * rng.Normalish());
}

}  // namespace

void EmitVitalSigns(const RecordContext& context, const Visit& visit, bool fever_checked,
                    std::string& summary) {
  SimRandom& rng = context.rng;
  const VitalCodes& vitals = Vitals();
  const PatientChart& chart = context.chart;
  const double age = visit.age_years;
  const int64_t taken = visit.start_seconds + 240;
  auto note = [&summary](std::string_view text) {
    summary += summary.empty() ? "" : ", ";
    summary += text;
  };

  if (age >= 12 && rng.Chance(0.75)) {
    const double systolic = std::clamp((age < 18 ? 100 + age : 110 + 0.5 * (age - 20)) +
                                           chart.systolic_offset + 9 * rng.Normalish(),
                                       85.0, 210.0);
    const double diastolic = std::clamp(0.55 * systolic + 12 + 5 * rng.Normalish(), 45.0, 120.0);
    EmitBloodPressure(context, visit, systolic, diastolic);
    note("TA " + FrenchDecimal(systolic, 0) + "/" + FrenchDecimal(diastolic, 0) + " mmHg");
  }
  const bool child = age < 16;
  if (child || rng.Chance(0.45)) {
    const double height = chart.adult_height_cm * GrowthFraction(age);
    const double bmi = child ? (age < 1 ? 14 : 15.5 + 0.12 * age) + rng.Normalish()
                             : chart.adult_bmi + 0.6 * rng.Normalish();
    const double weight = bmi * height * height / 10000;
    EmitQuantity(context, vitals.weight, visit, taken, weight);
    note("poids " + FrenchDecimal(weight, 1) + " kg");
    if (child || rng.Chance(0.1)) {
      EmitQuantity(context, vitals.height, visit, taken, height);
      note("taille " + FrenchDecimal(height, 0) + " cm");
    }
    if (!child && rng.Chance(0.35)) {
      EmitQuantity(context, vitals.bmi, visit, taken, bmi);
      if (chart.adult_bmi >= 28 && rng.Chance(0.3)) {
        EmitQuantity(context, vitals.waist, visit, taken,
                     80 + 2.2 * (chart.adult_bmi - 22) + 4 * rng.Normalish());
      }
    }
  }
  if (rng.Chance(0.3)) {
    const double rate =
        Draw(rng, vitals.heart_rate.mean + (child ? 20 : 0), vitals.heart_rate.deviation);
    EmitQuantity(context, vitals.heart_rate, visit, taken, rate);
    note("FC " + FrenchDecimal(rate, 0) + "/min");
  }
  if (fever_checked) {
    const double temperature = Draw(rng, 37.6, 0.7);
    EmitQuantity(context, vitals.temperature, visit, taken, temperature);
    note("T " + FrenchDecimal(temperature, 1) + " °C");
    if (rng.Chance(0.5)) {
      const double saturation = std::min(
          100.0, Draw(rng, vitals.oxygen_saturation.mean, vitals.oxygen_saturation.deviation));
      EmitQuantity(context, vitals.oxygen_saturation, visit, taken, saturation);
      note("SpO2 " + FrenchDecimal(saturation, 0) + " %");
    }
  }
}

void EmitLabResults(const RecordContext& context, const Visit& visit) {
  SimRandom& rng = context.rng;
  const PatientChart& chart = context.chart;
  bool panels[kLabPanelCount + 1] = {};
  // The usual blood tests (lipids, glucose, kidney, blood count) most of the time.
  const int drawn = static_cast<int>(rng.Between(1, 2));
  for (int i = 0; i < drawn; ++i) {
    panels[rng.Chance(0.7) ? rng.Between(1, 4) : rng.Between(5, kLabPanelCount)] = true;
  }
  panels[2] |= chart.Has("E11") || chart.Has("E10");
  panels[1] |= chart.Has("E78");
  panels[3] |= chart.Has("N18") || chart.Has("I10");
  panels[6] |= chart.Has("E03");
  // Sampled at the laboratory a few days before the visit, in the morning.
  const int64_t sampled =
      (visit.start_seconds / kSecondsPerDay - rng.Between(1, 10)) * kSecondsPerDay + 6 * 3600 +
      60 * rng.Between(0, 150);
  const auto age = static_cast<int>(visit.age_years);
  const char sex = context.patient.sex == Sex::kMale ? 'M' : 'F';
  for (const Measure& measure : Measures()) {
    if (measure.kind != MeasureKind::kLaboratory || !panels[measure.panel]) continue;
    if (age < measure.min_age || (measure.only_sex != 0 && measure.only_sex != sex)) continue;
    double mean = measure.mean;
    for (const ConditionEffect& effect : kConditionEffects) {
      if (effect.loinc == measure.loinc && chart.Has(effect.icd10_prefix)) mean = effect.mean;
    }
    EmitQuantity(context, measure, visit, sampled, Draw(rng, mean, measure.deviation));
  }
}

}  // namespace medvault::sim
