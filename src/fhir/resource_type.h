// The FHIR R4 resource types medvault serves, and what each one is to the security
// model: which compartment its data key comes from and which data category it holds.
#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace medvault::fhir {

enum class ResourceType {
  kPatient,
  kPractitioner,
  kOrganization,
  kCareTeam,
  kEncounter,
  kObservation,
  kCondition,
  kAllergyIntolerance,
  kMedicationRequest,
  kDocumentReference,
};

inline constexpr std::array kAllResourceTypes = {
    ResourceType::kPatient,           ResourceType::kPractitioner,
    ResourceType::kOrganization,      ResourceType::kCareTeam,
    ResourceType::kEncounter,         ResourceType::kObservation,
    ResourceType::kCondition,         ResourceType::kAllergyIntolerance,
    ResourceType::kMedicationRequest, ResourceType::kDocumentReference,
};

// What kind of data a resource holds, as the Policy sees it.
enum class DataCategory {
  kDirectory,       // Practitioner, Organization: not patient data
  kAdministrative,  // Patient: identity, contact, administrative comment
  kCareTeam,        // CareTeam: who cares for the patient
  kClinical,        // Encounter, Observation, Condition, AllergyIntolerance,
                    // MedicationRequest, DocumentReference
};

std::string_view NameOf(ResourceType type);
std::optional<ResourceType> ParseResourceType(std::string_view name);
DataCategory CategoryOf(ResourceType type);

// The element that places a resource in a patient's compartment ("subject" or
// "patient"), or empty for Patient itself and for directory resources. medvault
// requires it on every patient-compartment resource: it selects the data key.
std::string_view CompartmentElementOf(ResourceType type);

// True when resources of this type belong to a patient (Patient included).
bool IsPatientData(ResourceType type);

}  // namespace medvault::fhir
