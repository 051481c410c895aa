// FHIR date, dateTime and instant values with the R4 grammar
// (http://hl7.org/fhir/R4/datatypes.html#dateTime), and the intervals they denote.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "fhir/search_values.h"

namespace medvault::fhir {

// How much of a value was written, which sets the width of the interval it denotes.
enum class DatePrecision : uint8_t { kYear, kMonth, kDay, kSecond, kMillisecond };

struct FhirDateTime {
  int year = 1;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millisecond = 0;         // the first three digits of the fraction
  int utc_offset_minutes = 0;  // +02:00 is 120
  DatePrecision precision = DatePrecision::kYear;

  bool has_time() const { return precision >= DatePrecision::kSecond; }
};

// Parses YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss(.f+)?(Z|±hh:mm): years 0001 to
// 9999, real calendar days, a time zone whenever a time is given (R4 requires one),
// offsets up to ±14:00. nullopt for anything else.
std::optional<FhirDateTime> ParseFhirDateTime(std::string_view text);

// The interval the value denotes, in Unix milliseconds UTC, end exclusive: a year, a
// month or a day (read as UTC), one second, or one millisecond when a fraction is given.
DateRange RangeOf(const FhirDateTime& value);

// ParseFhirDateTime then RangeOf.
std::optional<DateRange> DateRangeOf(std::string_view text);

// hh:mm:ss(.f+)? as R4's `time` writes it.
bool IsFhirTime(std::string_view text);

}  // namespace medvault::fhir
