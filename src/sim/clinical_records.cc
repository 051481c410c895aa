// Encounters, conditions, allergies and prescriptions.
#include "sim/clinical_records.h"

#include "sim/civil_time.h"
#include "sim/resource_writer.h"

namespace medvault::sim {
namespace {

using fhir::ResourceType;

constexpr std::string_view kActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
constexpr std::string_view kIcd10 = "http://hl7.org/fhir/sid/icd-10";
constexpr std::string_view kConditionClinical =
    "http://terminology.hl7.org/CodeSystem/condition-clinical";
constexpr std::string_view kConditionVerification =
    "http://terminology.hl7.org/CodeSystem/condition-ver-status";
constexpr std::string_view kConditionCategory =
    "http://terminology.hl7.org/CodeSystem/condition-category";
constexpr std::string_view kAllergyClinical =
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
constexpr std::string_view kAllergyVerification =
    "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
constexpr std::string_view kSnomed = "http://snomed.info/sct";
constexpr std::string_view kAtc = "http://www.whocc.no/atc";

int64_t DayOf(int64_t seconds) { return seconds / kSecondsPerDay; }

}  // namespace

bool PatientChart::Has(std::string_view icd10_prefix) const {
  for (const ChronicCondition& condition : chronic) {
    if (condition.code->icd10.starts_with(icd10_prefix)) return true;
  }
  return false;
}

void EmitEncounter(const RecordContext& context, const Visit& visit) {
  ResourceWriter json("Encounter", visit.encounter_id);
  json.Member("status", "finished");
  json.Key("class");
  json.Coding(kActCode, visit.encounter_class);
  json.ReferenceMember("subject", "Patient", context.patient.id);
  json.Key("participant");
  json.StartArray();
  json.StartObject();
  json.ReferenceMember("individual", "Practitioner", visit.physician->practitioner_id);
  json.EndObject();
  json.EndArray();
  json.Key("period");
  const int64_t minutes = 12 + static_cast<int64_t>(context.rng.Below(14));
  json.Period(TimeText::DateTime(visit.start_seconds).view(),
              TimeText::DateTime(visit.start_seconds + minutes * 60).view());
  json.Key("reasonCode");
  json.StartArray();
  json.TextConcept(visit.reason);
  json.EndArray();
  json.ReferenceMember("serviceProvider", "Organization", context.practice.organization_id);
  context.sink.Emit(ResourceType::kEncounter, visit.encounter_id, json.Finish());
}

std::string EmitCondition(const RecordContext& context, const ConditionCode& code,
                          int64_t onset_days, int64_t abatement_days, const Visit* visit) {
  const std::string id = context.ids.Next();
  ResourceWriter json("Condition", id);
  const bool resolved = abatement_days >= 0 && abatement_days <= context.today_days;
  json.CodeableConceptMember("clinicalStatus", kConditionClinical,
                             resolved ? "resolved" : "active");
  json.CodeableConceptMember("verificationStatus", kConditionVerification, "confirmed");
  json.CodeableConceptArrayMember("category", kConditionCategory,
                                  code.chronic ? "problem-list-item" : "encounter-diagnosis");
  json.CodeableConceptMember("code", kIcd10, code.icd10, {}, code.label);
  json.ReferenceMember("subject", "Patient", context.patient.id);
  if (visit != nullptr) json.ReferenceMember("encounter", "Encounter", visit->encounter_id);
  json.Member("onsetDateTime", TimeText::Date(onset_days).view());
  if (resolved) json.Member("abatementDateTime", TimeText::Date(abatement_days).view());
  const int64_t recorded = visit != nullptr ? DayOf(visit->start_seconds) : onset_days;
  json.Member("recordedDate", TimeText::Date(recorded).view());
  const Clinician& recorder = visit != nullptr
                                  ? *visit->physician
                                  : context.practice.physicians[context.patient.care.physician];
  json.ReferenceMember("recorder", "Practitioner", recorder.practitioner_id);
  context.sink.Emit(ResourceType::kCondition, id, json.Finish());
  return id;
}

void EmitAllergy(const RecordContext& context, const AllergyCode& code, const Visit* visit,
                 int64_t recorded_days) {
  const std::string id = context.ids.Next();
  ResourceWriter json("AllergyIntolerance", id);
  json.CodeableConceptMember("clinicalStatus", kAllergyClinical, "active");
  json.CodeableConceptMember("verificationStatus", kAllergyVerification,
                             context.rng.Chance(0.7) ? "confirmed" : "unconfirmed");
  json.Member("type",
              code.category == "medication" && context.rng.Chance(0.3) ? "intolerance" : "allergy");
  json.Key("category");
  json.StartArray();
  json.String(code.category);
  json.EndArray();
  const bool severe = code.reaction.starts_with("Choc") || code.reaction.starts_with("Œdème");
  json.Member("criticality", severe ? "high" : "low");
  json.CodeableConceptMember("code", kSnomed, code.snomed, code.display, code.label);
  json.ReferenceMember("patient", "Patient", context.patient.id);
  if (visit != nullptr) json.ReferenceMember("encounter", "Encounter", visit->encounter_id);
  json.Member("recordedDate", TimeText::Date(recorded_days).view());
  json.Key("reaction");
  json.StartArray();
  json.StartObject();
  json.Key("manifestation");
  json.StartArray();
  json.TextConcept(code.reaction);
  json.EndArray();
  json.Member("severity", severe ? "severe" : "moderate");
  json.EndObject();
  json.EndArray();
  context.sink.Emit(ResourceType::kAllergyIntolerance, id, json.Finish());
}

void EmitMedicationRequest(const RecordContext& context, const MedicationCode& medication,
                           std::string_view condition_id, const Visit& visit) {
  const std::string id = context.ids.Next();
  const int64_t authored = DayOf(visit.start_seconds);
  const int64_t until = authored + medication.days;
  ResourceWriter json("MedicationRequest", id);
  json.Member("status", until >= context.today_days ? "active" : "completed");
  json.Member("intent", "order");
  json.CodeableConceptMember("medicationCodeableConcept", kAtc, medication.atc, {},
                             medication.label);
  json.ReferenceMember("subject", "Patient", context.patient.id);
  json.ReferenceMember("encounter", "Encounter", visit.encounter_id);
  json.Member("authoredOn", TimeText::Date(authored).view());
  json.ReferenceMember("requester", "Practitioner", visit.physician->practitioner_id);
  if (!condition_id.empty()) {
    json.Key("reasonReference");
    json.StartArray();
    json.Reference("Condition", condition_id);
    json.EndArray();
  }
  json.Key("dosageInstruction");
  json.StartArray();
  json.StartObject();
  json.Member("text", medication.dosage);
  json.EndObject();
  json.EndArray();
  json.Key("dispenseRequest");
  json.StartObject();
  json.Key("validityPeriod");
  json.Period(TimeText::Date(authored).view(), TimeText::Date(until).view());
  json.EndObject();
  json.Key("substitution");
  json.StartObject();
  json.Key("allowedBoolean");
  json.Bool(!context.rng.Chance(0.05));
  json.EndObject();
  context.sink.Emit(ResourceType::kMedicationRequest, id, json.Finish());
}

}  // namespace medvault::sim
