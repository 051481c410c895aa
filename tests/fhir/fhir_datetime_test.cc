#include "fhir/fhir_datetime.h"

#include <gtest/gtest.h>

namespace medvault::fhir {
namespace {

constexpr int64_t kDay = 86'400'000;

struct RangeCase {
  const char* text;
  int64_t start_ms;
  int64_t end_ms;
};

TEST(DateRangeOf, ExpandsEachPrecisionToItsInterval) {
  const RangeCase cases[] = {
      {"1970", 0, 365 * kDay},
      {"1970-02", 31 * kDay, (31 + 28) * kDay},
      {"1972-02", (365 * 2 + 31) * kDay, (365 * 2 + 31 + 29) * kDay},  // leap year
      {"1970-12", 334 * kDay, 365 * kDay},
      {"1970-01-02", kDay, 2 * kDay},
      {"2024-02-29", 1'709'164'800'000, 1'709'164'800'000 + kDay},
      // Seconds: one second wide, at the instant the time zone says.
      {"1970-01-01T00:00:00Z", 0, 1000},
      {"1970-01-01T01:00:00+01:00", 0, 1000},
      {"1969-12-31T19:00:00-05:00", 0, 1000},
      {"2024-03-01T09:35:00+01:00", 1'709'282'100'000, 1'709'282'101'000},
      // A fraction: one millisecond wide, whatever the digits written.
      {"1970-01-01T00:00:00.5Z", 500, 501},
      {"1970-01-01T00:00:00.123Z", 123, 124},
      {"1970-01-01T00:00:00.123999Z", 123, 124},
      {"1970-01-01T00:00:01.000+14:00", 1000 - 14 * 3'600'000, 1001 - 14 * 3'600'000},
      {"0001", -62'135'596'800'000, -62'104'060'800'000},
      {"9999-12-31", 253'402'214'400'000, 253'402'300'800'000},
  };
  for (const RangeCase& c : cases) {
    auto range = DateRangeOf(c.text);
    ASSERT_TRUE(range) << c.text;
    EXPECT_EQ(range->start_ms, c.start_ms) << c.text;
    EXPECT_EQ(range->end_ms, c.end_ms) << c.text;
  }
}

TEST(ParseFhirDateTime, ReportsPrecision) {
  EXPECT_EQ(ParseFhirDateTime("2024")->precision, DatePrecision::kYear);
  EXPECT_EQ(ParseFhirDateTime("2024-03")->precision, DatePrecision::kMonth);
  EXPECT_EQ(ParseFhirDateTime("2024-03-01")->precision, DatePrecision::kDay);
  EXPECT_EQ(ParseFhirDateTime("2024-03-01T10:00:00Z")->precision, DatePrecision::kSecond);
  EXPECT_EQ(ParseFhirDateTime("2024-03-01T10:00:00.1Z")->precision, DatePrecision::kMillisecond);
  EXPECT_EQ(ParseFhirDateTime("2024-03-01T10:00:00-03:30")->utc_offset_minutes, -210);
}

TEST(ParseFhirDateTime, RefusesWhatR4DoesNotAllow) {
  for (const char* bad : {
           "",
           "197",
           "19700",
           "0000",
           "1970-1",
           "1970-13",
           "1970-00",
           "1970-01-1",
           "1970-02-29",
           "2023-02-29",
           "1970-04-31",
           "1970-01-32",
           "1970-01-01T",
           "1970-01-01T10:00Z",    // seconds are required
           "1970-01-01T10:00:00",  // and so is the time zone
           "1970-01-01T24:00:00Z",
           "1970-01-01T10:60:00Z",
           "1970-01-01T10:00:61Z",
           "1970-01-01T10:00:00.Z",
           "1970-01-01T10:00:00+15:00",
           "1970-01-01T10:00:00+14:30",
           "1970-01-01T10:00:00+0100",
           "1970-01-01T10:00:00z",
           "1970-01-01 10:00:00Z",
           "1970-01-01T10:00:00Zjunk",
           " 1970",
           "1970-01-01T10:00:00+01:00 ",
       }) {
    EXPECT_FALSE(ParseFhirDateTime(bad)) << bad;
  }
}

TEST(IsFhirTime, AcceptsHoursMinutesSecondsAndFraction) {
  for (const char* good : {"00:00:00", "23:59:59", "23:59:60", "08:30:00.250"}) {
    EXPECT_TRUE(IsFhirTime(good)) << good;
  }
  for (const char* bad : {"", "8:30:00", "08:30", "24:00:00", "08:30:00Z", "08:30:00.", "083000"}) {
    EXPECT_FALSE(IsFhirTime(bad)) << bad;
  }
}

}  // namespace
}  // namespace medvault::fhir
