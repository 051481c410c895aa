#include "fhir/search_date.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <utility>

namespace medvault::fhir {
namespace {

constexpr std::array<std::pair<DatePrefix, std::string_view>, 8> kPrefixCodes = {{
    {DatePrefix::kEq, "eq"},
    {DatePrefix::kNe, "ne"},
    {DatePrefix::kGt, "gt"},
    {DatePrefix::kLt, "lt"},
    {DatePrefix::kGe, "ge"},
    {DatePrefix::kLe, "le"},
    {DatePrefix::kSa, "sa"},
    {DatePrefix::kEb, "eb"},
}};

// Reads exactly `count` digits at text[pos]; nullopt when they are not all there.
std::optional<int> Digits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) return std::nullopt;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

int64_t Millis(std::chrono::sys_days day) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(day.time_since_epoch()).count();
}

// The time part after 'T' on `day`: hh:mm(:ss(.f+)?)? and a zone, which FHIR requires
// whenever a time is given.
std::optional<DateRange> ParseTime(std::string_view text, std::chrono::sys_days day) {
  auto hour = Digits(text, 0, 2);
  auto minute = Digits(text, 3, 2);
  if (!hour || !minute || text.size() < 5 || text[2] != ':' || *hour > 23 || *minute > 59)
    return std::nullopt;
  int64_t start = Millis(day) + (*hour * 60 + *minute) * int64_t{60'000};
  int64_t width = 60'000;
  size_t pos = 5;
  if (pos < text.size() && text[pos] == ':') {
    auto second = Digits(text, pos + 1, 2);
    if (!second || *second > 60) return std::nullopt;  // 60: a leap second
    start += *second * int64_t{1000};
    width = 1000;
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      size_t digits = 0;
      int64_t scale = 100;
      for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
        start += (text[pos] - '0') * scale;
        scale /= 10;
      }
      if (digits == 0 || digits > 9) return std::nullopt;
      // The precision written: ".5" is a tenth of a second wide, ".123" one millisecond.
      width = digits >= 3 ? 1 : (digits == 2 ? 10 : 100);
    }
  }
  std::string_view zone = text.substr(pos);
  int64_t offset_minutes = 0;
  if (zone == "Z") {
    offset_minutes = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    auto zh = Digits(zone, 1, 2);
    auto zm = Digits(zone, 4, 2);
    // R4 allows offsets up to ±14:00.
    if (!zh || !zm || *zm > 59 || *zh > 14 || (*zh == 14 && *zm != 0)) return std::nullopt;
    offset_minutes = (*zh * 60 + *zm) * (zone[0] == '-' ? -1 : 1);
  } else {
    return std::nullopt;
  }
  start -= offset_minutes * 60'000;
  return DateRange{start, start + width};
}

}  // namespace

std::optional<DateRange> ParseDateLiteral(std::string_view text) {
  using namespace std::chrono;
  auto y = Digits(text, 0, 4);
  if (!y) return std::nullopt;
  const year yr{*y};
  if (text.size() == 4) {
    return DateRange{Millis(sys_days{yr / January / 1}),
                     Millis(sys_days{(yr + years{1}) / January / 1})};
  }
  auto mo = Digits(text, 5, 2);
  if (text[4] != '-' || !mo || *mo < 1 || *mo > 12) return std::nullopt;
  const year_month ym = yr / month(static_cast<unsigned>(*mo));
  if (text.size() == 7) {
    return DateRange{Millis(sys_days{ym / 1}), Millis(sys_days{(ym + months{1}) / 1})};
  }
  auto d = Digits(text, 8, 2);
  if (text[7] != '-' || !d) return std::nullopt;
  const year_month_day ymd = ym / day(static_cast<unsigned>(*d));
  if (!ymd.ok()) return std::nullopt;
  const sys_days date{ymd};
  if (text.size() == 10) return DateRange{Millis(date), Millis(date + days{1})};
  if (text[10] != 'T') return std::nullopt;
  return ParseTime(text.substr(11), date);
}

std::string_view PrefixCode(DatePrefix prefix) {
  for (const auto& [p, code] : kPrefixCodes)
    if (p == prefix) return code;
  return "eq";
}

std::optional<DatePrefix> ParsePrefixCode(std::string_view code) {
  for (const auto& [p, c] : kPrefixCodes)
    if (c == code) return p;
  return std::nullopt;
}

// The prefixes as R4 defines them for ranges (https://hl7.org/fhir/R4/search.html#prefix),
// with S the search value's range and T the target (resource) value's range:
//   eq  the range of the search value fully contains the range of the target value
//   ne  the range of the search value does not fully contain the range of the target
//   gt  the range above the search value intersects (overlaps) the range of the target
//   lt  the range below the search value intersects (overlaps) the range of the target
//   ge  as gt, or the range of the search value fully contains the range of the target
//   le  as lt, or the range of the search value fully contains the range of the target
//   sa  the target does not overlap the search value, and the range above the search
//       value contains the target ("starts after")
//   eb  the target does not overlap the search value, and the range below the search
//       value contains the target ("ends before")
// Ranges are half-open [start, end), so "above S" is [S.end, ∞) and "below S" is
// (-∞, S.start).
bool DateSatisfies(DatePrefix prefix, const DateRange& search, const DateRange& target) {
  const bool contains = search.start_ms <= target.start_ms && target.end_ms <= search.end_ms;
  const bool above = target.end_ms > search.end_ms;      // T reaches into [S.end, ∞)
  const bool below = target.start_ms < search.start_ms;  // T reaches into (-∞, S.start)
  switch (prefix) {
    case DatePrefix::kEq: return contains;
    case DatePrefix::kNe: return !contains;
    case DatePrefix::kGt: return above;
    case DatePrefix::kLt: return below;
    case DatePrefix::kGe: return above || contains;
    case DatePrefix::kLe: return below || contains;
    case DatePrefix::kSa: return target.start_ms >= search.end_ms;
    case DatePrefix::kEb: return target.end_ms <= search.start_ms;
  }
  return false;
}

}  // namespace medvault::fhir
