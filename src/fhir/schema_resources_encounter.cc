// R4 Encounter and Observation (http://hl7.org/fhir/R4/encounter.html, observation.html).
#include "fhir/schema.h"

namespace medvault::fhir {
namespace {

constexpr std::string_view kEncounterStatus =
    "planned|arrived|triaged|in-progress|onleave|finished|cancelled|entered-in-error|unknown";

constexpr ElementDef kEncounterStatusHistoryElements[] = {
    ElementDef{"status", kCodeType, k11}.Codes(kEncounterStatus),
    {"period", kPeriodType, k11},
};
constexpr DataType kEncounterStatusHistory = BackboneElement(kEncounterStatusHistoryElements);

constexpr ElementDef kEncounterClassHistoryElements[] = {
    {"class", kCodingType, k11},
    {"period", kPeriodType, k11},
};
constexpr DataType kEncounterClassHistory = BackboneElement(kEncounterClassHistoryElements);

constexpr ElementDef kEncounterParticipantElements[] = {
    {"type", kCodeableConceptType, k0N},
    {"period", kPeriodType, k01},
    ElementDef{"individual", kReferenceType, k01}.Targets(
        "Practitioner|PractitionerRole|RelatedPerson"),
};
constexpr DataType kEncounterParticipant = BackboneElement(kEncounterParticipantElements);

constexpr ElementDef kEncounterDiagnosisElements[] = {
    ElementDef{"condition", kReferenceType, k11}.Targets("Condition|Procedure"),
    {"use", kCodeableConceptType, k01},
    {"rank", kPositiveIntType, k01},
};
constexpr DataType kEncounterDiagnosis = BackboneElement(kEncounterDiagnosisElements);

constexpr ElementDef kEncounterHospitalizationElements[] = {
    {"preAdmissionIdentifier", kIdentifierType, k01},
    ElementDef{"origin", kReferenceType, k01}.Targets("Location|Organization"),
    {"admitSource", kCodeableConceptType, k01},
    {"reAdmission", kCodeableConceptType, k01},
    {"dietPreference", kCodeableConceptType, k0N},
    {"specialCourtesy", kCodeableConceptType, k0N},
    {"specialArrangement", kCodeableConceptType, k0N},
    ElementDef{"destination", kReferenceType, k01}.Targets("Location|Organization"),
    {"dischargeDisposition", kCodeableConceptType, k01},
};
constexpr DataType kEncounterHospitalization = BackboneElement(kEncounterHospitalizationElements);

constexpr ElementDef kEncounterLocationElements[] = {
    ElementDef{"location", kReferenceType, k11}.Targets("Location"),
    ElementDef{"status", kCodeType, k01}.Codes("planned|active|reserved|completed"),
    {"physicalType", kCodeableConceptType, k01},
    {"period", kPeriodType, k01},
};
constexpr DataType kEncounterLocation = BackboneElement(kEncounterLocationElements);

constexpr ElementDef kEncounterElements[] = {
    {"identifier", kIdentifierType, k0N},
    ElementDef{"status", kCodeType, k11}.Codes(kEncounterStatus),
    {"statusHistory", kEncounterStatusHistory, k0N},
    {"class", kCodingType, k11},
    {"classHistory", kEncounterClassHistory, k0N},
    {"type", kCodeableConceptType, k0N},
    {"serviceType", kCodeableConceptType, k01},
    {"priority", kCodeableConceptType, k01},
    ElementDef{"subject", kReferenceType, k01}.Targets("Patient|Group"),
    ElementDef{"episodeOfCare", kReferenceType, k0N}.Targets("EpisodeOfCare"),
    ElementDef{"basedOn", kReferenceType, k0N}.Targets("ServiceRequest"),
    {"participant", kEncounterParticipant, k0N},
    ElementDef{"appointment", kReferenceType, k0N}.Targets("Appointment"),
    {"period", kPeriodType, k01},
    {"length", kDurationType, k01},
    {"reasonCode", kCodeableConceptType, k0N},
    ElementDef{"reasonReference", kReferenceType, k0N}.Targets(
        "Condition|Procedure|Observation|ImmunizationRecommendation"),
    {"diagnosis", kEncounterDiagnosis, k0N},
    ElementDef{"account", kReferenceType, k0N}.Targets("Account"),
    {"hospitalization", kEncounterHospitalization, k01},
    {"location", kEncounterLocation, k0N},
    ElementDef{"serviceProvider", kReferenceType, k01}.Targets("Organization"),
    ElementDef{"partOf", kReferenceType, k01}.Targets("Encounter"),
};

constexpr const DataType* kObservationValueTypes[] = {
    &kQuantityType, &kCodeableConceptType, &kStringType, &kBooleanType,  &kIntegerType, &kRangeType,
    &kRatioType,    &kSampledDataType,     &kTimeType,   &kDateTimeType, &kPeriodType,
};

constexpr ElementDef kObservationReferenceRangeElements[] = {
    {"low", kSimpleQuantityType, k01},
    {"high", kSimpleQuantityType, k01},
    {"type", kCodeableConceptType, k01},
    {"appliesTo", kCodeableConceptType, k0N},
    {"age", kRangeType, k01},
    {"text", kStringType, k01},
};
constexpr DataType kObservationReferenceRange = BackboneElement(kObservationReferenceRangeElements);

constexpr ElementDef kObservationComponentElements[] = {
    {"code", kCodeableConceptType, k11},
    {"value", kObservationValueTypes, k01},
    {"dataAbsentReason", kCodeableConceptType, k01},
    {"interpretation", kCodeableConceptType, k0N},
    {"referenceRange", kObservationReferenceRange, k0N},
};
constexpr DataType kObservationComponent = BackboneElement(kObservationComponentElements);

constexpr const DataType* kObservationEffectiveTypes[] = {&kDateTimeType, &kPeriodType,
                                                          &kTimingType, &kInstantType};

constexpr ElementDef kObservationElements[] = {
    {"identifier", kIdentifierType, k0N},
    ElementDef{"basedOn", kReferenceType, k0N}.Targets(
        "CarePlan|DeviceRequest|ImmunizationRecommendation|MedicationRequest|NutritionOrder|"
        "ServiceRequest"),
    ElementDef{"partOf", kReferenceType, k0N}.Targets(
        "MedicationAdministration|MedicationDispense|MedicationStatement|Procedure|"
        "Immunization|ImagingStudy"),
    ElementDef{"status", kCodeType, k11}.Codes(
        "registered|preliminary|final|amended|corrected|cancelled|entered-in-error|unknown"),
    {"category", kCodeableConceptType, k0N},
    {"code", kCodeableConceptType, k11},
    ElementDef{"subject", kReferenceType, k01}.Targets("Patient|Group|Device|Location"),
    ElementDef{"focus", kReferenceType, k0N}.Targets("*"),
    ElementDef{"encounter", kReferenceType, k01}.Targets("Encounter"),
    {"effective", kObservationEffectiveTypes, k01},
    {"issued", kInstantType, k01},
    ElementDef{"performer", kReferenceType, k0N}.Targets(
        "Practitioner|PractitionerRole|Organization|CareTeam|Patient|RelatedPerson"),
    {"value", kObservationValueTypes, k01},
    {"dataAbsentReason", kCodeableConceptType, k01},
    {"interpretation", kCodeableConceptType, k0N},
    {"note", kAnnotationType, k0N},
    {"bodySite", kCodeableConceptType, k01},
    {"method", kCodeableConceptType, k01},
    ElementDef{"specimen", kReferenceType, k01}.Targets("Specimen"),
    ElementDef{"device", kReferenceType, k01}.Targets("Device|DeviceMetric"),
    {"referenceRange", kObservationReferenceRange, k0N},
    ElementDef{"hasMember", kReferenceType, k0N}.Targets(
        "Observation|QuestionnaireResponse|MolecularSequence"),
    ElementDef{"derivedFrom", kReferenceType, k0N}.Targets(
        "DocumentReference|ImagingStudy|Media|QuestionnaireResponse|Observation|"
        "MolecularSequence"),
    {"component", kObservationComponent, k0N},
};

}  // namespace

constexpr DataType kEncounterSchema = ResourceSchema("Encounter", kEncounterElements);
constexpr DataType kObservationSchema = ResourceSchema("Observation", kObservationElements);

}  // namespace medvault::fhir
