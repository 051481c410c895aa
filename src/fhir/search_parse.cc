// ParseSearch: splits a query string into parameters, handles the result parameters
// (_count, _offset, _sort, _format) and hands each search parameter to ParseCriterion.
// Strict: anything medvault does not understand is an error, because silently
// ignoring a criterion would return more patients than the caller asked for.
#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "fhir/search.h"
#include "fhir/search_criterion.h"
#include "common/utf8.h"

namespace medvault::fhir {
namespace {

std::string Quoted(std::string_view name) { return "\"" + QuotableName(name) + "\""; }

const SearchParamDef* FindParam(ResourceType type, std::string_view name) {
  for (const SearchParamDef& def : SearchParamsOf(type))
    if (def.name == name) return &def;
  return nullptr;
}

// A plain decimal integer: digits only (no sign, no spaces), within int.
std::optional<int> ParseInt(std::string_view text) {
  if (text.empty() || !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

Result<SortOrder> ParseSort(ResourceType type, std::string_view value) {
  SortOrder sort;
  std::string_view key = value;
  if (key.starts_with('-')) {
    sort.descending = true;
    key.remove_prefix(1);
  }
  if (key == "_lastUpdated") {
    sort.key = SortKey::kLastUpdated;
    return sort;
  }
  const SearchParamDef* def = FindParam(type, key);
  if (def == nullptr || def->kind != ParamKind::kDate) {
    return Fail(ErrorCode::kInvalid,
                "_sort supports one key: _lastUpdated or a date parameter of " +
                    std::string(NameOf(type)) + ", optionally with '-'");
  }
  sort.key = SortKey::kDateParam;
  sort.date_param = std::string(def->name);
  return sort;
}

// The parameters that shape the result rather than select resources.
struct ResultParams {
  bool count = false;
  bool offset = false;
  bool sort = false;
};

// Handles `name` when it is a result parameter; returns false when it is not one.
Result<bool> ApplyResultParam(std::string_view name, std::optional<std::string_view> modifier,
                              std::string_view value, const SearchLimits& limits,
                              ResultParams& seen, SearchQuery& query) {
  bool* repeated = name == "_count"    ? &seen.count
                   : name == "_offset" ? &seen.offset
                   : name == "_sort"   ? &seen.sort
                                       : nullptr;
  if (repeated == nullptr && name != "_format") return false;
  if (modifier) return Fail(ErrorCode::kInvalid, "modifiers are not allowed on " + Quoted(name));
  if (repeated != nullptr) {
    if (*repeated) return Fail(ErrorCode::kInvalid, Quoted(name) + " may appear only once");
    *repeated = true;
  }
  if (name == "_count") {
    std::optional<int> count = ParseInt(value);
    if (!count || *count < 1 || *count > limits.max_count)
      return Fail(ErrorCode::kInvalid,
                  "_count must be an integer from 1 to " + std::to_string(limits.max_count));
    query.count = *count;
  } else if (name == "_offset") {
    std::optional<int> offset = ParseInt(value);
    if (!offset) return Fail(ErrorCode::kInvalid, "_offset must be a non-negative integer");
    query.offset = *offset;
  } else if (name == "_sort") {
    ASSIGN_OR_RETURN(query.sort, ParseSort(query.type, value));
  } else if (value != "json" && value != "application/fhir+json" &&
             value != "application/fhir json") {  // an unencoded '+' arrives as a space
    return Fail(ErrorCode::kInvalid, "_format supports only json");
  }
  return true;
}

std::string EncodeSort(const SortOrder& sort) {
  std::string out = "_sort=";
  if (sort.descending) out += '-';
  out += sort.key == SortKey::kLastUpdated ? std::string("_lastUpdated") : sort.date_param;
  return out;
}

// Orders the criteria by their encoding (repeats of a whole criterion add nothing to an
// AND and are dropped) and builds the canonical query from them.
void Canonicalize(SearchQuery& query) {
  std::vector<std::pair<std::string, Criterion>> encoded;
  encoded.reserve(query.criteria.size());
  for (Criterion& criterion : query.criteria) {
    std::string key = EncodeCriterion(criterion);
    encoded.emplace_back(std::move(key), std::move(criterion));
  }
  std::ranges::sort(encoded, {}, &std::pair<std::string, Criterion>::first);
  auto repeats = std::ranges::unique(encoded, {}, &std::pair<std::string, Criterion>::first);
  encoded.erase(repeats.begin(), repeats.end());
  query.criteria.clear();
  query.canonical_query.clear();
  for (auto& [key, criterion] : encoded) {
    if (!query.canonical_query.empty()) query.canonical_query += '&';
    query.canonical_query += key;
    query.criteria.push_back(std::move(criterion));
  }
  if (query.sort.key != SortKey::kNone) {
    if (!query.canonical_query.empty()) query.canonical_query += '&';
    query.canonical_query += EncodeSort(query.sort);
  }
}

}  // namespace

Result<SearchQuery> ParseSearch(ResourceType type, std::string_view raw_query,
                                const SearchLimits& limits) {
  if (raw_query.size() > limits.max_query_bytes) {
    return Fail(ErrorCode::kInvalid,
                "search query longer than " + std::to_string(limits.max_query_bytes) + " bytes");
  }
  SearchQuery query;
  query.type = type;
  query.count = limits.default_count;
  ResultParams seen;
  size_t pos = 0;
  while (pos < raw_query.size()) {
    size_t amp = std::min(raw_query.find('&', pos), raw_query.size());
    std::string_view pair = raw_query.substr(pos, amp - pos);
    // A trailing '&' leaves an empty pair at the end; pos moves past the input then.
    pos = amp + 1;
    if (pair.empty()) return Fail(ErrorCode::kInvalid, "empty parameter in search query");
    size_t eq = pair.find('=');
    auto name = PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true);
    if (!name) return Fail(ErrorCode::kInvalid, "malformed search parameter name");
    if (eq == std::string_view::npos)
      return Fail(ErrorCode::kInvalid, "search parameter " + Quoted(*name) + " has no value");
    auto value = PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true);
    if (!value) {
      return Fail(ErrorCode::kInvalid,
                  "malformed percent-encoding or UTF-8 in the value of " + Quoted(*name));
    }
    if (value->empty())
      return Fail(ErrorCode::kInvalid, "search parameter " + Quoted(*name) + " has an empty value");

    std::string_view base = *name;
    std::optional<std::string_view> modifier;
    if (size_t colon = base.find(':'); colon != std::string_view::npos) {
      modifier = base.substr(colon + 1);
      base = base.substr(0, colon);
    }
    ASSIGN_OR_RETURN(bool handled, ApplyResultParam(base, modifier, *value, limits, seen, query));
    if (handled) continue;
    const SearchParamDef* def = FindParam(type, base);
    if (def == nullptr) {
      return Fail(ErrorCode::kInvalid,
                  "unknown search parameter " + Quoted(base) + " for " + std::string(NameOf(type)));
    }
    ASSIGN_OR_RETURN(Criterion criterion, ParseCriterion(*def, modifier, *value, limits));
    query.criteria.push_back(std::move(criterion));
    if (query.criteria.size() > limits.max_criteria) {
      return Fail(ErrorCode::kInvalid,
                  "too many search criteria (at most " + std::to_string(limits.max_criteria) + ")");
    }
  }
  if (!raw_query.empty() && raw_query.back() == '&')
    return Fail(ErrorCode::kInvalid, "empty parameter in search query");
  Canonicalize(query);
  return query;
}

}  // namespace medvault::fhir
