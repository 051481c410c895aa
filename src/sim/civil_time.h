// Dates and times as the population writes them: days and seconds since the Unix
// epoch inside, FHIR date and dateTime text outside, in France's local time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace medvault::sim {

inline constexpr int64_t kSecondsPerDay = 86'400;
inline constexpr double kDaysPerYear = 365.2425;

struct CivilDate {
  int year;
  int month;  // 1-12
  int day;    // 1-31
};

CivilDate CivilFromDays(int64_t days);
int64_t DaysFromCivil(CivilDate date);
// 0 = Monday … 6 = Sunday.
int WeekdayOf(int64_t days);

// Whole years between two days (an age).
int YearsBetween(int64_t from_days, int64_t to_days);

// Short text without allocation: "2024-03-01", "2024-03-01T09:30:00+01:00", "01/03/2024".
class TimeText {
 public:
  std::string_view view() const { return {text_, size_}; }

  static TimeText Date(int64_t days);
  // Local time in France: +02:00 from April to October, +01:00 otherwise (the
  // changeover weekends are not modelled).
  static TimeText DateTime(int64_t seconds);
  // dd/mm/yyyy, as French notes write dates.
  static TimeText FrenchDate(int64_t days);

 private:
  struct Field {
    int value;
    int digits;
  };
  // The fields zero-padded, with `separator` between them.
  static TimeText Fields(std::initializer_list<Field> fields, char separator);

  char text_[32];
  size_t size_ = 0;
};

}  // namespace medvault::sim
