// Resource bodies for integration tests, with values chosen to be searched for (and,
// in the encryption test, searched for in the database files).
#pragma once

#include <string>

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

}  // namespace medvault::testing
