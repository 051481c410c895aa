// One valid resource of every supported type, as a French general practice would
// write them, shared by the validation, canonical-form and search tests.
#pragma once

#include <string_view>

#include "fhir/resource_type.h"

namespace medvault::fhir::testing {

inline constexpr std::string_view kPatientExample = R"json({
  "resourceType": "Patient",
  "id": "pat-lefevre",
  "meta": {
    "versionId": "3",
    "lastUpdated": "2024-03-01T10:00:00.000Z",
    "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality",
                  "code": "R"}]
  },
  "identifier": [{"use": "official", "system": "urn:oid:1.2.250.1.213.1.4.8",
                  "value": "277076322082910"}],
  "active": true,
  "name": [{"use": "official", "family": "Lefèvre", "given": ["Marie-Hélène", "Françoise"],
            "prefix": ["Mme"]}],
  "telecom": [{"system": "phone", "value": "+33 6 12 34 56 78", "use": "mobile"},
              {"system": "email", "value": "mh.lefevre@example.fr"}],
  "gender": "female",
  "birthDate": "1977-07-12",
  "_birthDate": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                                "valueDateTime": "1977-07-12T08:30:00+02:00"}]},
  "address": [{"use": "home", "line": ["12 rue des Lilas"], "city": "Lyon", "postalCode": "69003",
               "country": "FR"}],
  "maritalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
                                "code": "M"}]},
  "multipleBirthBoolean": false,
  "contact": [{"relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131",
                                             "code": "N"}]}],
               "name": {"family": "Lefèvre", "given": ["Paul"]},
               "telecom": [{"system": "phone", "value": "+33 4 78 00 00 00"}]}],
  "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": "fr-FR"}]},
                     "preferred": true}],
  "generalPractitioner": [{"reference": "Practitioner/prac-martin", "display": "Dr Jean Martin"}],
  "managingOrganization": {"reference": "Organization/cab-lilas"}
})json";

inline constexpr std::string_view kPractitionerExample = R"json({
  "resourceType": "Practitioner",
  "id": "prac-martin",
  "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "10003456789"}],
  "active": true,
  "name": [{"family": "Martin", "given": ["Jean"], "prefix": ["Dr"]}],
  "telecom": [{"system": "phone", "value": "+33 4 78 12 34 56", "use": "work"}],
  "gender": "male",
  "qualification": [{"code": {"coding": [{"system": "urn:oid:1.2.250.1.213.1.6.1.4",
                                          "code": "SM54", "display": "Médecine générale"}]},
                     "issuer": {"reference": "Organization/cab-lilas"}}],
  "communication": [{"coding": [{"system": "urn:ietf:bcp:47", "code": "fr"}]}]
})json";

inline constexpr std::string_view kOrganizationExample = R"json({
  "resourceType": "Organization",
  "id": "cab-lilas",
  "identifier": [{"system": "urn:oid:1.2.250.1.71.4.2.2", "value": "690012345"}],
  "active": true,
  "name": "Cabinet médical des Lilas",
  "alias": ["Maison de santé Lyon 3"],
  "telecom": [{"system": "phone", "value": "+33 4 78 12 34 50"}],
  "address": [{"line": ["14 rue des Lilas"], "city": "Lyon", "postalCode": "69003", "country": "FR"}],
  "contact": [{"purpose": {"text": "Secrétariat"}, "name": {"text": "Sophie Girard"}}]
})json";

inline constexpr std::string_view kCareTeamExample = R"json({
  "resourceType": "CareTeam",
  "id": "team-lefevre",
  "status": "active",
  "name": "Suivi HTA Mme Lefèvre",
  "subject": {"reference": "Patient/pat-lefevre"},
  "period": {"start": "2023-01-15"},
  "participant": [{"role": [{"text": "Médecin traitant"}],
                   "member": {"reference": "Practitioner/prac-martin"},
                   "onBehalfOf": {"reference": "Organization/cab-lilas"}}],
  "managingOrganization": [{"reference": "Organization/cab-lilas"}]
})json";

inline constexpr std::string_view kEncounterExample = R"json({
  "resourceType": "Encounter",
  "id": "enc-2024-03-01",
  "status": "finished",
  "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
  "subject": {"reference": "Patient/pat-lefevre"},
  "participant": [{"individual": {"reference": "Practitioner/prac-martin"}}],
  "period": {"start": "2024-03-01T09:30:00+01:00", "end": "2024-03-01T09:50:00+01:00"},
  "reasonCode": [{"text": "Renouvellement d'ordonnance"}],
  "diagnosis": [{"condition": {"reference": "Condition/cond-hta"}, "rank": 1}],
  "serviceProvider": {"reference": "Organization/cab-lilas"}
})json";

inline constexpr std::string_view kObservationExample = R"json({
  "resourceType": "Observation",
  "id": "obs-poids",
  "status": "final",
  "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "vital-signs"}]}],
  "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body weight"}],
           "text": "Poids"},
  "subject": {"reference": "Patient/pat-lefevre"},
  "encounter": {"reference": "Encounter/enc-2024-03-01"},
  "effectiveDateTime": "2024-03-01T09:35:00+01:00",
  "performer": [{"reference": "Practitioner/prac-martin"}],
  "valueQuantity": {"value": 72.50, "unit": "kg", "system": "http://unitsofmeasure.org",
                    "code": "kg"}
})json";

inline constexpr std::string_view kConditionExample = R"json({
  "resourceType": "Condition",
  "id": "cond-hta",
  "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                 "code": "active"}]},
  "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                     "code": "confirmed"}]},
  "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I10"}],
           "text": "Hypertension artérielle essentielle"},
  "subject": {"reference": "Patient/pat-lefevre"},
  "onsetDateTime": "2019-06",
  "recordedDate": "2019-06-20",
  "recorder": {"reference": "Practitioner/prac-martin"},
  "note": [{"text": "Bien équilibrée sous **IEC**."}]
})json";

inline constexpr std::string_view kAllergyIntoleranceExample = R"json({
  "resourceType": "AllergyIntolerance",
  "id": "all-penicilline",
  "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
                                 "code": "active"}]},
  "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                                     "code": "confirmed"}]},
  "type": "allergy",
  "category": ["medication"],
  "criticality": "high",
  "code": {"coding": [{"system": "http://snomed.info/sct", "code": "764146007",
                       "display": "Penicillin"}], "text": "Pénicilline"},
  "patient": {"reference": "Patient/pat-lefevre"},
  "recordedDate": "2015-11-03",
  "reaction": [{"manifestation": [{"text": "Urticaire généralisée"}], "severity": "moderate"}]
})json";

inline constexpr std::string_view kMedicationRequestExample = R"json({
  "resourceType": "MedicationRequest",
  "id": "mr-ramipril",
  "status": "active",
  "intent": "order",
  "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "C09AA05"}],
                                "text": "Ramipril 5 mg"},
  "subject": {"reference": "Patient/pat-lefevre"},
  "encounter": {"reference": "Encounter/enc-2024-03-01"},
  "authoredOn": "2024-03-01",
  "requester": {"reference": "Practitioner/prac-martin"},
  "reasonReference": [{"reference": "Condition/cond-hta"}],
  "dosageInstruction": [{"text": "1 comprimé le matin",
                         "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "d",
                                               "when": ["MORN"]}},
                         "doseAndRate": [{"doseQuantity": {"value": 5, "unit": "mg"}}]}],
  "dispenseRequest": {"validityPeriod": {"start": "2024-03-01", "end": "2024-06-01"},
                      "numberOfRepeatsAllowed": 2},
  "substitution": {"allowedBoolean": true}
})json";

inline constexpr std::string_view kDocumentReferenceExample = R"json({
  "resourceType": "DocumentReference",
  "id": "doc-cr-2024-03-01",
  "status": "current",
  "docStatus": "final",
  "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4",
                       "display": "Consult note"}]},
  "subject": {"reference": "Patient/pat-lefevre"},
  "date": "2024-03-01T10:05:00+01:00",
  "author": [{"reference": "Practitioner/prac-martin"}],
  "description": "Compte rendu de consultation",
  "content": [{"attachment": {"contentType": "application/pdf", "data": "JVBERi0xLjQK",
                              "title": "CR consultation 01/03/2024"}}],
  "context": {"encounter": [{"reference": "Encounter/enc-2024-03-01"}],
              "period": {"start": "2024-03-01T09:30:00+01:00"}}
})json";

struct Example {
  ResourceType type;
  std::string_view json;
};

inline constexpr Example kExamples[] = {
    {ResourceType::kPatient, kPatientExample},
    {ResourceType::kPractitioner, kPractitionerExample},
    {ResourceType::kOrganization, kOrganizationExample},
    {ResourceType::kCareTeam, kCareTeamExample},
    {ResourceType::kEncounter, kEncounterExample},
    {ResourceType::kObservation, kObservationExample},
    {ResourceType::kCondition, kConditionExample},
    {ResourceType::kAllergyIntolerance, kAllergyIntoleranceExample},
    {ResourceType::kMedicationRequest, kMedicationRequestExample},
    {ResourceType::kDocumentReference, kDocumentReferenceExample},
};

}  // namespace medvault::fhir::testing
