#include "fhir/fhir_datetime.h"

#include <chrono>

namespace medvault::fhir {
namespace {

// A cursor over fixed-width fields: each read either consumes what it expects or fails.
class FieldReader {
 public:
  explicit FieldReader(std::string_view text) : text_(text) {}

  std::optional<int> Number(size_t width, int min, int max) {
    if (pos_ + width > text_.size()) return std::nullopt;
    int value = 0;
    for (size_t i = 0; i < width; ++i) {
      char c = text_[pos_ + i];
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value < min || value > max) return std::nullopt;
    pos_ += width;
    return value;
  }
  bool Take(char c) {
    if (pos_ >= text_.size() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  bool AtEnd() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// hh:mm:ss(.f+)?; the fraction keeps its first three digits as milliseconds.
bool ReadTime(FieldReader& in, FhirDateTime& out) {
  auto hour = in.Number(2, 0, 23);
  if (!hour || !in.Take(':')) return false;
  auto minute = in.Number(2, 0, 59);
  if (!minute || !in.Take(':')) return false;
  auto second = in.Number(2, 0, 60);  // 60: a leap second
  if (!second) return false;
  out.hour = *hour;
  out.minute = *minute;
  out.second = *second;
  out.precision = DatePrecision::kSecond;
  if (in.Take('.')) {
    int digits = 0;
    int millis = 0;
    while (auto digit = in.Number(1, 0, 9)) {
      if (digits < 3) millis = millis * 10 + *digit;
      ++digits;
    }
    if (digits == 0) return false;
    for (int i = digits; i < 3; ++i) millis *= 10;
    out.millisecond = millis;
    out.precision = DatePrecision::kMillisecond;
  }
  return true;
}

// Z or ±hh:mm, at most ±14:00.
bool ReadZone(FieldReader& in, FhirDateTime& out) {
  if (in.Take('Z')) return true;
  int sign = 0;
  if (in.Take('+')) {
    sign = 1;
  } else if (in.Take('-')) {
    sign = -1;
  } else {
    return false;
  }
  auto hours = in.Number(2, 0, 14);
  if (!hours || !in.Take(':')) return false;
  auto minutes = in.Number(2, 0, 59);
  if (!minutes || (*hours == 14 && *minutes != 0)) return false;
  out.utc_offset_minutes = sign * (*hours * 60 + *minutes);
  return true;
}

std::chrono::sys_days DayOf(int year, int month, int day) {
  return std::chrono::sys_days(std::chrono::year(year) / std::chrono::month(month) /
                               std::chrono::day(day));
}

int64_t Millis(std::chrono::sys_days day) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count();
}

}  // namespace

std::optional<FhirDateTime> ParseFhirDateTime(std::string_view text) {
  FieldReader in(text);
  FhirDateTime out;
  auto year = in.Number(4, 1, 9999);
  if (!year) return std::nullopt;
  out.year = *year;
  if (in.AtEnd()) return out;
  auto month = in.Take('-') ? in.Number(2, 1, 12) : std::nullopt;
  if (!month) return std::nullopt;
  out.month = *month;
  out.precision = DatePrecision::kMonth;
  if (in.AtEnd()) return out;
  auto day = in.Take('-') ? in.Number(2, 1, 31) : std::nullopt;
  if (!day) return std::nullopt;
  out.day = *day;
  out.precision = DatePrecision::kDay;
  const std::chrono::year_month_day date{std::chrono::year(out.year),
                                         std::chrono::month(static_cast<unsigned>(out.month)),
                                         std::chrono::day(static_cast<unsigned>(out.day))};
  if (!date.ok()) return std::nullopt;
  if (in.AtEnd()) return out;
  if (!in.Take('T') || !ReadTime(in, out) || !ReadZone(in, out) || !in.AtEnd()) {
    return std::nullopt;
  }
  return out;
}

DateRange RangeOf(const FhirDateTime& value) {
  using std::chrono::months;
  using std::chrono::year_month;
  const year_month month{std::chrono::year(value.year),
                         std::chrono::month(static_cast<unsigned>(value.month))};
  switch (value.precision) {
    case DatePrecision::kYear:
      return {Millis(DayOf(value.year, 1, 1)), Millis(DayOf(value.year + 1, 1, 1))};
    case DatePrecision::kMonth: {
      const year_month next = month + months(1);
      return {Millis(std::chrono::sys_days(month / 1)), Millis(std::chrono::sys_days(next / 1))};
    }
    case DatePrecision::kDay: {
      const int64_t start = Millis(DayOf(value.year, value.month, value.day));
      return {start, start + 86'400'000};
    }
    case DatePrecision::kSecond:
    case DatePrecision::kMillisecond: break;
  }
  const int64_t minutes = int64_t{value.hour} * 60 + value.minute - value.utc_offset_minutes;
  const int64_t start = Millis(DayOf(value.year, value.month, value.day)) + minutes * 60'000 +
                        int64_t{value.second} * 1000 + value.millisecond;
  return {start, start + (value.precision == DatePrecision::kSecond ? 1000 : 1)};
}

std::optional<DateRange> DateRangeOf(std::string_view text) {
  auto value = ParseFhirDateTime(text);
  if (!value) return std::nullopt;
  return RangeOf(*value);
}

bool IsFhirTime(std::string_view text) {
  FieldReader in(text);
  FhirDateTime ignored;
  return ReadTime(in, ignored) && in.AtEnd();
}

}  // namespace medvault::fhir
