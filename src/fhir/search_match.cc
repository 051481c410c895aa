// Matches and SortValue: a parsed query against the values extracted from one
// resource. The store narrows candidates with blind indexes; this is the exact check
// that runs on each candidate after decryption, so it decides what a caller receives.
#include <algorithm>
#include <optional>
#include <string_view>

#include "fhir/search.h"
#include "fhir/search_date.h"

namespace medvault::fhir {
namespace {

// FHIR string search: the query matches when its words start the value's words, the
// last query word as a prefix ("jean ma" matches "Jean-Marie Dupont"); medvault also
// lets the query start at any word of the value ("fontaine" matches "de la Fontaine").
// Both sides are NormalizeForSearch output (single spaces, no leading or trailing
// space), so word-by-word matching is a string prefix test at a word start.
bool WordsMatch(std::string_view query, std::string_view value) {
  for (size_t start = 0;;) {
    if (value.substr(start).starts_with(query)) return true;
    size_t space = value.find(' ', start);
    if (space == std::string_view::npos) return false;
    start = space + 1;
  }
}

bool StringMatches(const Criterion& criterion, const CriterionValue& wanted,
                   const StringValue& value) {
  if (criterion.modifier == StringModifier::kExact) return value.exact == wanted.text;
  return WordsMatch(wanted.normalized, value.normalized);
}

bool TokenMatches(const CriterionValue& wanted, const TokenValue& value) {
  if (!wanted.has_system) return value.code == wanted.token.code;             // code: any system
  if (wanted.token.code.empty()) return value.system == wanted.token.system;  // system|
  return value == wanted.token;  // system|code, and |code (which wants no system)
}

bool DateMatches(const CriterionValue& wanted, const DateRange& value) {
  return DateSatisfies(wanted.prefix, wanted.range, value);
}

// True when any resource value of the criterion's parameter satisfies any of the
// criterion's values.
template <typename Values, typename Pred>
bool AnyValue(const Criterion& criterion, const Values& values, Pred pred) {
  return std::ranges::any_of(values, [&](const auto& value) {
    return value.param == criterion.param->name &&
           std::ranges::any_of(criterion.values,
                               [&](const CriterionValue& wanted) { return pred(wanted, value); });
  });
}

bool CriterionMatches(const Criterion& criterion, const SearchValues& values, std::string_view id,
                      Time last_updated) {
  switch (criterion.param->kind) {
    case ParamKind::kString:
      return AnyValue(criterion, values.strings, [&](const auto& wanted, const auto& value) {
        return StringMatches(criterion, wanted, value);
      });
    case ParamKind::kToken:
      return AnyValue(criterion, values.tokens, [](const auto& wanted, const auto& value) {
        return TokenMatches(wanted, value.value);
      });
    case ParamKind::kDate:
      return AnyValue(criterion, values.dates, [](const auto& wanted, const auto& value) {
        return DateMatches(wanted, value.range);
      });
    case ParamKind::kReference:
      return AnyValue(criterion, values.references, [](const auto& wanted, const auto& value) {
        return value.reference == wanted.reference;
      });
    case ParamKind::kId:
      return std::ranges::any_of(
          criterion.values, [&](const CriterionValue& wanted) { return wanted.reference == id; });
    case ParamKind::kLastUpdated: {
      // meta.lastUpdated is an instant: a one-millisecond range.
      const int64_t ms = ToUnixMillis(last_updated);
      const DateRange range{ms, ms + 1};
      return std::ranges::any_of(criterion.values, [&](const CriterionValue& wanted) {
        return DateMatches(wanted, range);
      });
    }
  }
  return false;
}

}  // namespace

bool Matches(const SearchQuery& query, const SearchValues& values, std::string_view id,
             Time last_updated) {
  return std::ranges::all_of(query.criteria, [&](const Criterion& criterion) {
    return CriterionMatches(criterion, values, id, last_updated);
  });
}

// Without a sort key there is no value to order by: nullopt, like a missing date.
std::optional<int64_t> SortValue(const SortOrder& sort, const SearchValues& values,
                                 Time last_updated) {
  switch (sort.key) {
    case SortKey::kNone: return std::nullopt;
    case SortKey::kLastUpdated: return ToUnixMillis(last_updated);
    case SortKey::kDateParam: {
      std::optional<int64_t> earliest;
      for (const DateParamValue& value : values.dates) {
        if (value.param != sort.date_param) continue;
        if (!earliest || value.range.start_ms < *earliest) earliest = value.range.start_ms;
      }
      return earliest;
    }
  }
  return std::nullopt;
}

}  // namespace medvault::fhir
