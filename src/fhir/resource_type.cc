#include "fhir/resource_type.h"

namespace medvault::fhir {

std::string_view NameOf(ResourceType type) {
  switch (type) {
    case ResourceType::kPatient: return "Patient";
    case ResourceType::kPractitioner: return "Practitioner";
    case ResourceType::kOrganization: return "Organization";
    case ResourceType::kCareTeam: return "CareTeam";
    case ResourceType::kEncounter: return "Encounter";
    case ResourceType::kObservation: return "Observation";
    case ResourceType::kCondition: return "Condition";
    case ResourceType::kAllergyIntolerance: return "AllergyIntolerance";
    case ResourceType::kMedicationRequest: return "MedicationRequest";
    case ResourceType::kDocumentReference: return "DocumentReference";
  }
  return "";
}

std::optional<ResourceType> ParseResourceType(std::string_view name) {
  for (ResourceType t : kAllResourceTypes)
    if (NameOf(t) == name) return t;
  return std::nullopt;
}

DataCategory CategoryOf(ResourceType type) {
  switch (type) {
    case ResourceType::kPractitioner:
    case ResourceType::kOrganization: return DataCategory::kDirectory;
    case ResourceType::kPatient: return DataCategory::kAdministrative;
    case ResourceType::kCareTeam: return DataCategory::kCareTeam;
    default: return DataCategory::kClinical;
  }
}

std::string_view CompartmentElementOf(ResourceType type) {
  switch (type) {
    case ResourceType::kAllergyIntolerance: return "patient";
    case ResourceType::kCareTeam:
    case ResourceType::kEncounter:
    case ResourceType::kObservation:
    case ResourceType::kCondition:
    case ResourceType::kMedicationRequest:
    case ResourceType::kDocumentReference: return "subject";
    default: return "";
  }
}

bool IsPatientData(ResourceType type) { return CategoryOf(type) != DataCategory::kDirectory; }

}  // namespace medvault::fhir
