// The search parameters medvault supports, per resource type. This table is the single
// source of truth: ParseSearch accepts exactly these names, the extraction fills values
// under these names, and the CapabilityStatement is generated from it.
//
// Expressions and definitions follow the R4 (4.0.1) SearchParameter registry. Where R4
// shares one definition between types (individual-*, clinical-*, medications-*), the
// definition points at the shared one. medvault narrows every patient-compartment
// reference (patient, subject) to Patient: it stores no Group or Device subjects.
#include <string_view>

#include "fhir/search.h"

namespace medvault::fhir {
namespace {

using K = ParamKind;

constexpr std::string_view kPatientTarget[] = {"Patient"};
constexpr std::string_view kOrganizationTarget[] = {"Organization"};

#define MEDVAULT_SP "http://hl7.org/fhir/SearchParameter/"

constexpr SearchParamDef kIdParam{
    "_id", K::kId, "Resource.id", "Logical id of this resource", {}, MEDVAULT_SP "Resource-id"};
constexpr SearchParamDef kLastUpdatedParam{"_lastUpdated",
                                           K::kLastUpdated,
                                           "Resource.meta.lastUpdated",
                                           "When the resource version last changed",
                                           {},
                                           MEDVAULT_SP "Resource-lastUpdated"};

constexpr SearchParamDef kPatient[] = {
    kIdParam,
    kLastUpdatedParam,
    {"family",
     K::kString,
     "Patient.name.family",
     "A portion of the family name of the patient",
     {},
     MEDVAULT_SP "individual-family"},
    {"given",
     K::kString,
     "Patient.name.given",
     "A portion of the given name of the patient",
     {},
     MEDVAULT_SP "individual-given"},
    {"name",
     K::kString,
     "Patient.name",
     "A portion of any part of the name (family, given, prefix, suffix, text)",
     {},
     MEDVAULT_SP "Patient-name"},
    {"birthdate",
     K::kDate,
     "Patient.birthDate",
     "The patient's date of birth",
     {},
     MEDVAULT_SP "individual-birthdate"},
    {"gender",
     K::kToken,
     "Patient.gender",
     "Gender of the patient",
     {},
     MEDVAULT_SP "individual-gender"},
    {"identifier",
     K::kToken,
     "Patient.identifier",
     "A patient identifier",
     {},
     MEDVAULT_SP "Patient-identifier"},
    {"organization", K::kReference, "Patient.managingOrganization",
     "The organization that is the custodian of the patient record", kOrganizationTarget,
     MEDVAULT_SP "Patient-organization"},
};

constexpr SearchParamDef kPractitioner[] = {
    kIdParam,
    kLastUpdatedParam,
    {"name",
     K::kString,
     "Practitioner.name",
     "A portion of any part of the practitioner's name",
     {},
     MEDVAULT_SP "Practitioner-name"},
    {"family",
     K::kString,
     "Practitioner.name.family",
     "A portion of the family name of the practitioner",
     {},
     MEDVAULT_SP "individual-family"},
    {"given",
     K::kString,
     "Practitioner.name.given",
     "A portion of the given name of the practitioner",
     {},
     MEDVAULT_SP "individual-given"},
    {"identifier",
     K::kToken,
     "Practitioner.identifier",
     "A practitioner's identifier",
     {},
     MEDVAULT_SP "Practitioner-identifier"},
};

constexpr SearchParamDef kOrganization[] = {
    kIdParam,
    kLastUpdatedParam,
    {"name",
     K::kString,
     "Organization.name | Organization.alias",
     "A portion of the organization's name or alias",
     {},
     MEDVAULT_SP "Organization-name"},
    {"identifier",
     K::kToken,
     "Organization.identifier",
     "Any identifier for the organization (not the accreditation issuer's identifier)",
     {},
     MEDVAULT_SP "Organization-identifier"},
};

constexpr SearchParamDef kCareTeam[] = {
    kIdParam,
    kLastUpdatedParam,
    {"patient", K::kReference, "CareTeam.subject.where(resolve() is Patient)",
     "Who care team is for", kPatientTarget, MEDVAULT_SP "clinical-patient"},
    {"subject", K::kReference, "CareTeam.subject", "Who care team is for", kPatientTarget,
     MEDVAULT_SP "CareTeam-subject"},
    {"status",
     K::kToken,
     "CareTeam.status",
     "proposed | active | suspended | inactive | "
     "entered-in-error",
     {},
     MEDVAULT_SP "CareTeam-status"},
    {"date",
     K::kDate,
     "CareTeam.period",
     "Time period team covers",
     {},
     MEDVAULT_SP "clinical-date"},
};

constexpr SearchParamDef kEncounter[] = {
    kIdParam,
    kLastUpdatedParam,
    {"patient", K::kReference, "Encounter.subject.where(resolve() is Patient)",
     "The patient present at the encounter", kPatientTarget, MEDVAULT_SP "clinical-patient"},
    {"subject", K::kReference, "Encounter.subject", "The patient present at the encounter",
     kPatientTarget, MEDVAULT_SP "Encounter-subject"},
    {"date",
     K::kDate,
     "Encounter.period",
     "A date within the period the Encounter lasted",
     {},
     MEDVAULT_SP "clinical-date"},
    {"status",
     K::kToken,
     "Encounter.status",
     "planned | arrived | triaged | in-progress | "
     "onleave | finished | cancelled +",
     {},
     MEDVAULT_SP "Encounter-status"},
};

constexpr SearchParamDef kObservation[] = {
    kIdParam,
    kLastUpdatedParam,
    {"patient", K::kReference, "Observation.subject.where(resolve() is Patient)",
     "The subject that the observation is about (if patient)", kPatientTarget,
     MEDVAULT_SP "clinical-patient"},
    {"subject", K::kReference, "Observation.subject", "The subject that the observation is about",
     kPatientTarget, MEDVAULT_SP "Observation-subject"},
    {"date",
     K::kDate,
     "Observation.effective",
     "Obtained date/time; if a period, a date within the period",
     {},
     MEDVAULT_SP "clinical-date"},
    {"code",
     K::kToken,
     "Observation.code",
     "The code of the observation type",
     {},
     MEDVAULT_SP "clinical-code"},
    {"status",
     K::kToken,
     "Observation.status",
     "The status of the observation",
     {},
     MEDVAULT_SP "Observation-status"},
};

constexpr SearchParamDef kCondition[] = {
    kIdParam,
    kLastUpdatedParam,
    {"patient", K::kReference, "Condition.subject.where(resolve() is Patient)",
     "Who has the condition?", kPatientTarget, MEDVAULT_SP "clinical-patient"},
    {"subject", K::kReference, "Condition.subject", "Who has the condition?", kPatientTarget,
     MEDVAULT_SP "Condition-subject"},
    {"code",
     K::kToken,
     "Condition.code",
     "Code for the condition",
     {},
     MEDVAULT_SP "clinical-code"},
    {"clinical-status",
     K::kToken,
     "Condition.clinicalStatus",
     "The clinical status of the condition",
     {},
     MEDVAULT_SP "Condition-clinical-status"},
    {"onset-date",
     K::kDate,
     "Condition.onset.as(dateTime) | Condition.onset.as(Period)",
     "Date related onsets (dateTime and Period)",
     {},
     MEDVAULT_SP "Condition-onset-date"},
    {"recorded-date",
     K::kDate,
     "Condition.recordedDate",
     "Date record was first recorded",
     {},
     MEDVAULT_SP "Condition-recorded-date"},
};

constexpr SearchParamDef kAllergyIntolerance[] = {
    kIdParam,
    kLastUpdatedParam,
    {"patient", K::kReference, "AllergyIntolerance.patient", "Who the sensitivity is for",
     kPatientTarget, MEDVAULT_SP "clinical-patient"},
    {"code",
     K::kToken,
     "AllergyIntolerance.code | AllergyIntolerance.reaction.substance",
     "Code that identifies the allergy or intolerance",
     {},
     MEDVAULT_SP "clinical-code"},
    {"clinical-status",
     K::kToken,
     "AllergyIntolerance.clinicalStatus",
     "active | inactive | resolved",
     {},
     MEDVAULT_SP "AllergyIntolerance-clinical-status"},
    {"date",
     K::kDate,
     "AllergyIntolerance.recordedDate",
     "Date first version of the resource instance was recorded",
     {},
     MEDVAULT_SP "clinical-date"},
};

constexpr SearchParamDef kMedicationRequest[] = {
    kIdParam,
    kLastUpdatedParam,
    {"patient", K::kReference, "MedicationRequest.subject.where(resolve() is Patient)",
     "Returns prescriptions for a specific patient", kPatientTarget,
     MEDVAULT_SP "clinical-patient"},
    {"subject", K::kReference, "MedicationRequest.subject",
     "The identity of a patient to list orders for", kPatientTarget,
     MEDVAULT_SP "MedicationRequest-subject"},
    {"code",
     K::kToken,
     "(MedicationRequest.medication as CodeableConcept)",
     "Return prescriptions of this medication code",
     {},
     MEDVAULT_SP "clinical-code"},
    {"status",
     K::kToken,
     "MedicationRequest.status",
     "Status of the prescription",
     {},
     MEDVAULT_SP "medications-status"},
    {"authoredon",
     K::kDate,
     "MedicationRequest.authoredOn",
     "Return prescriptions written on this date",
     {},
     MEDVAULT_SP "MedicationRequest-authoredon"},
};

constexpr SearchParamDef kDocumentReference[] = {
    kIdParam,
    kLastUpdatedParam,
    {"patient", K::kReference, "DocumentReference.subject.where(resolve() is Patient)",
     "Who/what is the subject of the document", kPatientTarget, MEDVAULT_SP "clinical-patient"},
    {"subject", K::kReference, "DocumentReference.subject",
     "Who/what is the subject of the document", kPatientTarget,
     MEDVAULT_SP "DocumentReference-subject"},
    {"date",
     K::kDate,
     "DocumentReference.date",
     "When this document reference was created",
     {},
     MEDVAULT_SP "DocumentReference-date"},
    {"type",
     K::kToken,
     "DocumentReference.type",
     "Kind of document (LOINC if possible)",
     {},
     MEDVAULT_SP "clinical-type"},
    {"status",
     K::kToken,
     "DocumentReference.status",
     "current | superseded | entered-in-error",
     {},
     MEDVAULT_SP "DocumentReference-status"},
};

#undef MEDVAULT_SP

}  // namespace

std::span<const SearchParamDef> SearchParamsOf(ResourceType type) {
  switch (type) {
    case ResourceType::kPatient: return kPatient;
    case ResourceType::kPractitioner: return kPractitioner;
    case ResourceType::kOrganization: return kOrganization;
    case ResourceType::kCareTeam: return kCareTeam;
    case ResourceType::kEncounter: return kEncounter;
    case ResourceType::kObservation: return kObservation;
    case ResourceType::kCondition: return kCondition;
    case ResourceType::kAllergyIntolerance: return kAllergyIntolerance;
    case ResourceType::kMedicationRequest: return kMedicationRequest;
    case ResourceType::kDocumentReference: return kDocumentReference;
  }
  return {};
}

}  // namespace medvault::fhir
