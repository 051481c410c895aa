// The values of a resource that its search parameters look at, extracted once from
// the resource JSON. The same extraction feeds the blind indexes (on write) and the
// exact matching of candidates after decryption (on search).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace medvault::fhir {

// A coded value: Coding.system + Coding.code, Identifier.system + Identifier.value,
// or a bare code (system empty) such as Patient.gender.
struct TokenValue {
  std::string system;
  std::string code;
  bool operator==(const TokenValue&) const = default;
};

// A FHIR date, dateTime, instant or Period expanded to the interval it denotes, in
// Unix milliseconds UTC, end exclusive: "1970" is [1970-01-01, 1971-01-01).
// Dates without a time zone are read as UTC. An open Period end is INT64_MAX.
struct DateRange {
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  bool operator==(const DateRange&) const = default;
};

struct StringValue {
  std::string param;       // search parameter code, e.g. "family"
  std::string normalized;  // NormalizeForSearch() of the element's text
  std::string exact;       // the text as stored, for the :exact modifier
};

struct TokenParamValue {
  std::string param;  // e.g. "identifier", "gender", "code", "status"
  TokenValue value;
};

struct DateParamValue {
  std::string param;  // e.g. "birthdate", "date"
  DateRange range;
  std::string text;  // the date as written, e.g. "1970-05-12" (blind index key)
};

struct ReferenceParamValue {
  std::string param;      // e.g. "patient", "subject", "organization"
  std::string reference;  // relative literal reference "Type/id"
};

struct SearchValues {
  std::vector<StringValue> strings;
  std::vector<TokenParamValue> tokens;
  std::vector<DateParamValue> dates;
  std::vector<ReferenceParamValue> references;
  // The buildings a Patient or Practitioner lives in, one per home address: the first
  // address line and the postal code (the city when there is none), both normalized for
  // search, as "12 rue des lilas|29200". Not a search parameter: the blind index files a
  // patient's homes so that the snooping feature can compare them with the clinician's.
  // Work, billing and old addresses are not homes, nor an address without a line (a
  // whole town) or without a postal code and city (a street name alone is in every town).
  std::vector<std::string> homes;
};

}  // namespace medvault::fhir
