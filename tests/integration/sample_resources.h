// Resource bodies for integration tests, with values chosen to be searched for (and,
// in the encryption test, searched for in the database files).
#pragma once

#include <array>
#include <string>
#include <vector>

namespace medvault::testing {

inline std::string PatientJson(const std::string& family, const std::string& given,
                               const std::string& birth_date, const std::string& organization,
                               const std::string& nir = "1700512345678",
                               const std::string& gender = "female") {
  std::string org =
      organization.empty()
          ? ""
          : R"(,"managingOrganization":{"reference":"Organization/)" + organization + R"("})";
  return R"({"resourceType":"Patient","name":[{"family":")" + family + R"(","given":[")" + given +
         R"("]}],"gender":")" + gender + R"(","birthDate":")" + birth_date +
         R"(","identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":")" + nir + R"("}])" +
         org + "}";
}

inline std::string ObservationJson(const std::string& patient, const std::string& date,
                                   const std::string& value) {
  return R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":{"reference":"Patient/)" +
         patient + R"("},"effectiveDateTime":")" + date + R"(","valueQuantity":{"value":)" + value +
         R"(,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})";
}

inline std::string NoteJson(const std::string& patient, const std::string& text_base64) {
  return R"({"resourceType":"DocumentReference","status":"current","subject":{"reference":"Patient/)" +
         patient +
         R"("},"date":"2026-11-02T10:00:00Z","type":{"coding":[{"system":"http://loinc.org","code":"11506-3"}]},"content":[{"attachment":{"contentType":"text/plain","data":")" +
         text_base64 + R"("}}]})";
}

// The same resource labelled restricted (HL7 v3 Confidentiality "R").
inline std::string Restricted(std::string json) {
  json.insert(json.find('{') + 1,
              R"("meta":{"security":[{"system":"http://terminology.hl7.org/CodeSystem/)"
              R"(v3-Confidentiality","code":"R"}]},)");
  return json;
}

// An active CareTeam for `patient` whose members are the given Practitioner ids.
inline std::string CareTeamJson(const std::string& patient,
                                const std::vector<std::string>& practitioners) {
  std::string members;
  for (const std::string& id : practitioners) {
    if (!members.empty()) members += ",";
    members += R"({"member":{"reference":"Practitioner/)" + id + R"("}})";
  }
  return R"({"resourceType":"CareTeam","status":"active","subject":{"reference":"Patient/)" +
         patient + R"("},"period":{"start":"2020-01-01"},"participant":[)" + members + "]}";
}

// The clinical types: the patient compartment without Patient and CareTeam.
inline constexpr std::array<const char*, 6> kClinicalTypes = {
    "Encounter",          "Observation",       "Condition",
    "AllergyIntolerance", "MedicationRequest", "DocumentReference"};

// A small valid resource of clinical type `type` about `patient`.
inline std::string ClinicalJson(const std::string& type, const std::string& patient) {
  const std::string subject = R"({"reference":"Patient/)" + patient + R"("})";
  if (type == "Encounter")
    return R"({"resourceType":"Encounter","status":"finished","class":{"system":)"
           R"("http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":)" +
           subject + "}";
  if (type == "Observation") return ObservationJson(patient, "2026-11-01T10:00:00Z", "64");
  if (type == "Condition")
    return R"({"resourceType":"Condition","subject":)" + subject +
           R"(,"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"I10"}]}})";
  if (type == "AllergyIntolerance")
    return R"({"resourceType":"AllergyIntolerance","clinicalStatus":{"coding":[{"system":)"
           R"("http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",)"
           R"("code":"active"}]},"code":{"text":"Pénicilline"},"patient":)" +
           subject + "}";
  if (type == "MedicationRequest")
    return R"({"resourceType":"MedicationRequest","status":"active","intent":"order",)"
           R"("medicationCodeableConcept":{"coding":[{"system":"http://www.whocc.no/atc",)"
           R"("code":"C09AA05"}],"text":"Ramipril 5 mg"},"subject":)" +
           subject + "}";
  if (type == "DocumentReference") return NoteJson(patient, "Q29tcHRlIHJlbmR1");
  return "";
}

}  // namespace medvault::testing
