// R4 Patient, Practitioner, Organization and CareTeam
// (http://hl7.org/fhir/R4/patient.html, practitioner.html, organization.html,
// careteam.html).
#include "fhir/schema.h"

namespace medvault::fhir {
namespace {

constexpr std::string_view kAdministrativeGender = "male|female|other|unknown";

constexpr ElementDef kPatientContactElements[] = {
    {"relationship", kCodeableConceptType, k0N},
    {"name", kHumanNameType, k01},
    {"telecom", kContactPointType, k0N},
    {"address", kAddressType, k01},
    ElementDef{"gender", kCodeType, k01}.Codes(kAdministrativeGender),
    ElementDef{"organization", kReferenceType, k01}.Targets("Organization"),
    {"period", kPeriodType, k01},
};
constexpr DataType kPatientContact = BackboneElement(kPatientContactElements);

constexpr ElementDef kPatientCommunicationElements[] = {
    {"language", kCodeableConceptType, k11},
    {"preferred", kBooleanType, k01},
};
constexpr DataType kPatientCommunication = BackboneElement(kPatientCommunicationElements);

constexpr ElementDef kPatientLinkElements[] = {
    ElementDef{"other", kReferenceType, k11}.Targets("Patient|RelatedPerson"),
    ElementDef{"type", kCodeType, k11}.Codes("replaced-by|replaces|refer|seealso"),
};
constexpr DataType kPatientLink = BackboneElement(kPatientLinkElements);

constexpr const DataType* kBooleanOrDateTime[] = {&kBooleanType, &kDateTimeType};
constexpr const DataType* kBooleanOrInteger[] = {&kBooleanType, &kIntegerType};

constexpr ElementDef kPatientElements[] = {
    {"identifier", kIdentifierType, k0N},
    {"active", kBooleanType, k01},
    {"name", kHumanNameType, k0N},
    {"telecom", kContactPointType, k0N},
    ElementDef{"gender", kCodeType, k01}.Codes(kAdministrativeGender),
    {"birthDate", kDateType, k01},
    {"deceased", kBooleanOrDateTime, k01},
    {"address", kAddressType, k0N},
    {"maritalStatus", kCodeableConceptType, k01},
    {"multipleBirth", kBooleanOrInteger, k01},
    {"photo", kAttachmentType, k0N},
    {"contact", kPatientContact, k0N},
    {"communication", kPatientCommunication, k0N},
    ElementDef{"generalPractitioner", kReferenceType, k0N}.Targets(
        "Organization|Practitioner|PractitionerRole"),
    ElementDef{"managingOrganization", kReferenceType, k01}.Targets("Organization"),
    {"link", kPatientLink, k0N},
};

constexpr ElementDef kPractitionerQualificationElements[] = {
    {"identifier", kIdentifierType, k0N},
    {"code", kCodeableConceptType, k11},
    {"period", kPeriodType, k01},
    ElementDef{"issuer", kReferenceType, k01}.Targets("Organization"),
};
constexpr DataType kPractitionerQualification = BackboneElement(kPractitionerQualificationElements);

constexpr ElementDef kPractitionerElements[] = {
    {"identifier", kIdentifierType, k0N},
    {"active", kBooleanType, k01},
    {"name", kHumanNameType, k0N},
    {"telecom", kContactPointType, k0N},
    {"address", kAddressType, k0N},
    ElementDef{"gender", kCodeType, k01}.Codes(kAdministrativeGender),
    {"birthDate", kDateType, k01},
    {"photo", kAttachmentType, k0N},
    {"qualification", kPractitionerQualification, k0N},
    {"communication", kCodeableConceptType, k0N},
};

constexpr ElementDef kOrganizationContactElements[] = {
    {"purpose", kCodeableConceptType, k01},
    {"name", kHumanNameType, k01},
    {"telecom", kContactPointType, k0N},
    {"address", kAddressType, k01},
};
constexpr DataType kOrganizationContact = BackboneElement(kOrganizationContactElements);

constexpr ElementDef kOrganizationElements[] = {
    {"identifier", kIdentifierType, k0N},
    {"active", kBooleanType, k01},
    {"type", kCodeableConceptType, k0N},
    {"name", kStringType, k01},
    {"alias", kStringType, k0N},
    {"telecom", kContactPointType, k0N},
    {"address", kAddressType, k0N},
    ElementDef{"partOf", kReferenceType, k01}.Targets("Organization"),
    {"contact", kOrganizationContact, k0N},
    ElementDef{"endpoint", kReferenceType, k0N}.Targets("Endpoint"),
};

constexpr ElementDef kCareTeamParticipantElements[] = {
    {"role", kCodeableConceptType, k0N},
    ElementDef{"member", kReferenceType, k01}.Targets(
        "Practitioner|PractitionerRole|RelatedPerson|Patient|Organization|CareTeam"),
    ElementDef{"onBehalfOf", kReferenceType, k01}.Targets("Organization"),
    {"period", kPeriodType, k01},
};
constexpr DataType kCareTeamParticipant = BackboneElement(kCareTeamParticipantElements);

constexpr ElementDef kCareTeamElements[] = {
    {"identifier", kIdentifierType, k0N},
    ElementDef{"status", kCodeType, k01}.Codes(
        "proposed|active|suspended|inactive|entered-in-error"),
    {"category", kCodeableConceptType, k0N},
    {"name", kStringType, k01},
    ElementDef{"subject", kReferenceType, k01}.Targets("Patient|Group"),
    ElementDef{"encounter", kReferenceType, k01}.Targets("Encounter"),
    {"period", kPeriodType, k01},
    {"participant", kCareTeamParticipant, k0N},
    {"reasonCode", kCodeableConceptType, k0N},
    ElementDef{"reasonReference", kReferenceType, k0N}.Targets("Condition"),
    ElementDef{"managingOrganization", kReferenceType, k0N}.Targets("Organization"),
    {"telecom", kContactPointType, k0N},
    {"note", kAnnotationType, k0N},
};

}  // namespace

constexpr DataType kPatientSchema = ResourceSchema("Patient", kPatientElements);
constexpr DataType kPractitionerSchema = ResourceSchema("Practitioner", kPractitionerElements);
constexpr DataType kOrganizationSchema = ResourceSchema("Organization", kOrganizationElements);
constexpr DataType kCareTeamSchema = ResourceSchema("CareTeam", kCareTeamElements);

}  // namespace medvault::fhir
