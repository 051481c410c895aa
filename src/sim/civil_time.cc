#include "sim/civil_time.h"

#include <chrono>

namespace medvault::sim {
namespace {

char* PutDigits(char* out, int value, int digits) {
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + digits;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

CivilDate CivilFromDays(int64_t days) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int64_t DaysFromCivil(CivilDate date) {
  const std::chrono::year_month_day ymd{std::chrono::year{date.year},
                                        std::chrono::month{static_cast<unsigned>(date.month)},
                                        std::chrono::day{static_cast<unsigned>(date.day)}};
  return std::chrono::sys_days{ymd}.time_since_epoch().count();
}

int WeekdayOf(int64_t days) {
  // 1970-01-01 was a Thursday (3 with Monday = 0).
  return static_cast<int>(((days % 7) + 7 + 3) % 7);
}

int YearsBetween(int64_t from_days, int64_t to_days) {
  const CivilDate from = CivilFromDays(from_days);
  const CivilDate to = CivilFromDays(to_days);
  int years = to.year - from.year;
  if (to.month < from.month || (to.month == from.month && to.day < from.day)) --years;
  return years;
}

TimeText TimeText::Date(int64_t days) {
  const CivilDate date = CivilFromDays(days);
  return Fields({{date.year, 4}, {date.month, 2}, {date.day, 2}}, '-');
}

TimeText TimeText::Fields(std::initializer_list<Field> fields, char separator) {
  TimeText result;
  char* out = result.text_;
  for (const Field& field : fields) {
    if (out != result.text_) *out++ = separator;
    out = PutDigits(out, field.value, field.digits);
  }
  result.size_ = static_cast<size_t>(out - result.text_);
  return result;
}

TimeText TimeText::DateTime(int64_t seconds) {
  const CivilDate utc_date = CivilFromDays(FloorDiv(seconds, kSecondsPerDay));
  const int offset_hours = (utc_date.month >= 4 && utc_date.month <= 10) ? 2 : 1;
  const int64_t local = seconds + offset_hours * 3600;
  const int64_t days = FloorDiv(local, kSecondsPerDay);
  const auto second_of_day = static_cast<int>(local - days * kSecondsPerDay);
  TimeText result = Date(days);
  char* out = result.text_ + result.size_;
  *out++ = 'T';
  out = PutDigits(out, second_of_day / 3600, 2);
  *out++ = ':';
  out = PutDigits(out, second_of_day / 60 % 60, 2);
  *out++ = ':';
  out = PutDigits(out, second_of_day % 60, 2);
  *out++ = '+';
  out = PutDigits(out, offset_hours, 2);
  *out++ = ':';
  out = PutDigits(out, 0, 2);
  result.size_ = static_cast<size_t>(out - result.text_);
  return result;
}

TimeText TimeText::FrenchDate(int64_t days) {
  const CivilDate date = CivilFromDays(days);
  return Fields({{date.day, 2}, {date.month, 2}, {date.year, 4}}, '/');
}

}  // namespace medvault::sim
