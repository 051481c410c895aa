// R4 Condition, AllergyIntolerance, MedicationRequest and DocumentReference
// (http://hl7.org/fhir/R4/condition.html, allergyintolerance.html,
// medicationrequest.html, documentreference.html).
#include "fhir/schema.h"

namespace medvault::fhir {
namespace {

constexpr std::string_view kRecorderTargets = "Practitioner|PractitionerRole|Patient|RelatedPerson";
constexpr const DataType* kOnsetTypes[] = {&kDateTimeType, &kAgeType, &kPeriodType, &kRangeType,
                                           &kStringType};

constexpr ElementDef kConditionStageElements[] = {
    {"summary", kCodeableConceptType, k01},
    ElementDef{"assessment", kReferenceType, k0N}.Targets(
        "ClinicalImpression|DiagnosticReport|Observation"),
    {"type", kCodeableConceptType, k01},
};
constexpr DataType kConditionStage = BackboneElement(kConditionStageElements);

constexpr ElementDef kConditionEvidenceElements[] = {
    {"code", kCodeableConceptType, k0N},
    ElementDef{"detail", kReferenceType, k0N}.Targets("*"),
};
constexpr DataType kConditionEvidence = BackboneElement(kConditionEvidenceElements);

constexpr ElementDef kConditionElements[] = {
    {"identifier", kIdentifierType, k0N},
    ElementDef{"clinicalStatus", kCodeableConceptType, k01}.Codes(
        "active|recurrence|relapse|inactive|remission|resolved",
        "http://terminology.hl7.org/CodeSystem/condition-clinical"),
    ElementDef{"verificationStatus", kCodeableConceptType, k01}.Codes(
        "unconfirmed|provisional|differential|confirmed|refuted|entered-in-error",
        "http://terminology.hl7.org/CodeSystem/condition-ver-status"),
    {"category", kCodeableConceptType, k0N},
    {"severity", kCodeableConceptType, k01},
    {"code", kCodeableConceptType, k01},
    {"bodySite", kCodeableConceptType, k0N},
    ElementDef{"subject", kReferenceType, k11}.Targets("Patient|Group"),
    ElementDef{"encounter", kReferenceType, k01}.Targets("Encounter"),
    {"onset", kOnsetTypes, k01},
    {"abatement", kOnsetTypes, k01},
    {"recordedDate", kDateTimeType, k01},
    ElementDef{"recorder", kReferenceType, k01}.Targets(kRecorderTargets),
    ElementDef{"asserter", kReferenceType, k01}.Targets(kRecorderTargets),
    {"stage", kConditionStage, k0N},
    {"evidence", kConditionEvidence, k0N},
    {"note", kAnnotationType, k0N},
};

constexpr ElementDef kAllergyReactionElements[] = {
    {"substance", kCodeableConceptType, k01},
    {"manifestation", kCodeableConceptType, k1N},
    {"description", kStringType, k01},
    {"onset", kDateTimeType, k01},
    ElementDef{"severity", kCodeType, k01}.Codes("mild|moderate|severe"),
    {"exposureRoute", kCodeableConceptType, k01},
    {"note", kAnnotationType, k0N},
};
constexpr DataType kAllergyReaction = BackboneElement(kAllergyReactionElements);

constexpr ElementDef kAllergyIntoleranceElements[] = {
    {"identifier", kIdentifierType, k0N},
    ElementDef{"clinicalStatus", kCodeableConceptType, k01}.Codes(
        "active|inactive|resolved",
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"),
    ElementDef{"verificationStatus", kCodeableConceptType, k01}.Codes(
        "unconfirmed|confirmed|refuted|entered-in-error",
        "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"),
    ElementDef{"type", kCodeType, k01}.Codes("allergy|intolerance"),
    ElementDef{"category", kCodeType, k0N}.Codes("food|medication|environment|biologic"),
    ElementDef{"criticality", kCodeType, k01}.Codes("low|high|unable-to-assess"),
    {"code", kCodeableConceptType, k01},
    ElementDef{"patient", kReferenceType, k11}.Targets("Patient"),
    ElementDef{"encounter", kReferenceType, k01}.Targets("Encounter"),
    {"onset", kOnsetTypes, k01},
    {"recordedDate", kDateTimeType, k01},
    ElementDef{"recorder", kReferenceType, k01}.Targets(kRecorderTargets),
    ElementDef{"asserter", kReferenceType, k01}.Targets(kRecorderTargets),
    {"lastOccurrence", kDateTimeType, k01},
    {"note", kAnnotationType, k0N},
    {"reaction", kAllergyReaction, k0N},
};

constexpr ElementDef kInitialFillElements[] = {
    {"quantity", kSimpleQuantityType, k01},
    {"duration", kDurationType, k01},
};
constexpr DataType kInitialFill = BackboneElement(kInitialFillElements);

constexpr ElementDef kDispenseRequestElements[] = {
    {"initialFill", kInitialFill, k01},
    {"dispenseInterval", kDurationType, k01},
    {"validityPeriod", kPeriodType, k01},
    {"numberOfRepeatsAllowed", kUnsignedIntType, k01},
    {"quantity", kSimpleQuantityType, k01},
    {"expectedSupplyDuration", kDurationType, k01},
    ElementDef{"performer", kReferenceType, k01}.Targets("Organization"),
};
constexpr DataType kDispenseRequest = BackboneElement(kDispenseRequestElements);

constexpr const DataType* kBooleanOrCodeableConcept[] = {&kBooleanType, &kCodeableConceptType};
constexpr const DataType* kBooleanOrReference[] = {&kBooleanType, &kReferenceType};
constexpr const DataType* kCodeableConceptOrReference[] = {&kCodeableConceptType, &kReferenceType};

constexpr ElementDef kSubstitutionElements[] = {
    {"allowed", kBooleanOrCodeableConcept, k11},
    {"reason", kCodeableConceptType, k01},
};
constexpr DataType kSubstitution = BackboneElement(kSubstitutionElements);

constexpr ElementDef kMedicationRequestElements[] = {
    {"identifier", kIdentifierType, k0N},
    ElementDef{"status", kCodeType, k11}.Codes(
        "active|on-hold|cancelled|completed|entered-in-error|stopped|draft|unknown"),
    {"statusReason", kCodeableConceptType, k01},
    ElementDef{"intent", kCodeType, k11}.Codes(
        "proposal|plan|order|original-order|reflex-order|filler-order|instance-order|option"),
    {"category", kCodeableConceptType, k0N},
    ElementDef{"priority", kCodeType, k01}.Codes("routine|urgent|asap|stat"),
    {"doNotPerform", kBooleanType, k01},
    ElementDef{"reported", kBooleanOrReference, k01}.Targets(
        "Patient|Practitioner|PractitionerRole|RelatedPerson|Organization"),
    ElementDef{"medication", kCodeableConceptOrReference, k11}.Targets("Medication"),
    ElementDef{"subject", kReferenceType, k11}.Targets("Patient|Group"),
    ElementDef{"encounter", kReferenceType, k01}.Targets("Encounter"),
    ElementDef{"supportingInformation", kReferenceType, k0N}.Targets("*"),
    {"authoredOn", kDateTimeType, k01},
    ElementDef{"requester", kReferenceType, k01}.Targets(
        "Practitioner|PractitionerRole|Organization|Patient|RelatedPerson|Device"),
    ElementDef{"performer", kReferenceType, k01}.Targets(
        "Practitioner|PractitionerRole|Organization|Patient|Device|RelatedPerson|CareTeam"),
    {"performerType", kCodeableConceptType, k01},
    ElementDef{"recorder", kReferenceType, k01}.Targets("Practitioner|PractitionerRole"),
    {"reasonCode", kCodeableConceptType, k0N},
    ElementDef{"reasonReference", kReferenceType, k0N}.Targets("Condition|Observation"),
    {"instantiatesCanonical", kCanonicalType, k0N},
    {"instantiatesUri", kUriType, k0N},
    ElementDef{"basedOn", kReferenceType, k0N}.Targets(
        "CarePlan|MedicationRequest|ServiceRequest|ImmunizationRecommendation"),
    {"groupIdentifier", kIdentifierType, k01},
    {"courseOfTherapyType", kCodeableConceptType, k01},
    ElementDef{"insurance", kReferenceType, k0N}.Targets("Coverage|ClaimResponse"),
    {"note", kAnnotationType, k0N},
    {"dosageInstruction", kDosageType, k0N},
    {"dispenseRequest", kDispenseRequest, k01},
    {"substitution", kSubstitution, k01},
    ElementDef{"priorPrescription", kReferenceType, k01}.Targets("MedicationRequest"),
    ElementDef{"detectedIssue", kReferenceType, k0N}.Targets("DetectedIssue"),
    ElementDef{"eventHistory", kReferenceType, k0N}.Targets("Provenance"),
};

constexpr ElementDef kDocumentRelatesToElements[] = {
    ElementDef{"code", kCodeType, k11}.Codes("replaces|transforms|signs|appends"),
    ElementDef{"target", kReferenceType, k11}.Targets("DocumentReference"),
};
constexpr DataType kDocumentRelatesTo = BackboneElement(kDocumentRelatesToElements);

constexpr ElementDef kDocumentContentElements[] = {
    {"attachment", kAttachmentType, k11},
    {"format", kCodingType, k01},
};
constexpr DataType kDocumentContent = BackboneElement(kDocumentContentElements);

constexpr ElementDef kDocumentContextElements[] = {
    ElementDef{"encounter", kReferenceType, k0N}.Targets("Encounter|EpisodeOfCare"),
    {"event", kCodeableConceptType, k0N},
    {"period", kPeriodType, k01},
    {"facilityType", kCodeableConceptType, k01},
    {"practiceSetting", kCodeableConceptType, k01},
    ElementDef{"sourcePatientInfo", kReferenceType, k01}.Targets("Patient"),
    ElementDef{"related", kReferenceType, k0N}.Targets("*"),
};
constexpr DataType kDocumentContext = BackboneElement(kDocumentContextElements);

constexpr ElementDef kDocumentReferenceElements[] = {
    {"masterIdentifier", kIdentifierType, k01},
    {"identifier", kIdentifierType, k0N},
    ElementDef{"status", kCodeType, k11}.Codes("current|superseded|entered-in-error"),
    ElementDef{"docStatus", kCodeType, k01}.Codes("preliminary|final|amended|entered-in-error"),
    {"type", kCodeableConceptType, k01},
    {"category", kCodeableConceptType, k0N},
    ElementDef{"subject", kReferenceType, k01}.Targets("Patient|Practitioner|Group|Device"),
    {"date", kInstantType, k01},
    ElementDef{"author", kReferenceType, k0N}.Targets(
        "Practitioner|PractitionerRole|Organization|Device|Patient|RelatedPerson"),
    ElementDef{"authenticator", kReferenceType, k01}.Targets(
        "Practitioner|PractitionerRole|Organization"),
    ElementDef{"custodian", kReferenceType, k01}.Targets("Organization"),
    {"relatesTo", kDocumentRelatesTo, k0N},
    {"description", kStringType, k01},
    {"securityLabel", kCodeableConceptType, k0N},
    {"content", kDocumentContent, k1N},
    {"context", kDocumentContext, k01},
};

}  // namespace

constexpr DataType kConditionSchema = ResourceSchema("Condition", kConditionElements);
constexpr DataType kAllergyIntoleranceSchema =
    ResourceSchema("AllergyIntolerance", kAllergyIntoleranceElements);
constexpr DataType kMedicationRequestSchema =
    ResourceSchema("MedicationRequest", kMedicationRequestElements);
constexpr DataType kDocumentReferenceSchema =
    ResourceSchema("DocumentReference", kDocumentReferenceElements);

}  // namespace medvault::fhir
