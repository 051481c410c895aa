// FHIR search: the parameters each type supports, parsing of query strings with
// strict handling (an unknown or malformed parameter is an error, never ignored), and
// matching of a resource's extracted values against a parsed query.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "fhir/resource_type.h"
#include "fhir/search_values.h"

namespace medvault::fhir {

enum class ParamKind { kString, kToken, kDate, kReference, kId /* _id */, kLastUpdated };

// One supported search parameter of a resource type.
struct SearchParamDef {
  std::string_view name;         // "family"
  ParamKind kind;
  std::string_view expression;   // FHIRPath, for the CapabilityStatement
  std::string_view description;  // one line, for the CapabilityStatement
  // kReference only: the resource types the reference may target.
  std::span<const std::string_view> targets;
  // Canonical URL of the R4 SearchParameter this one implements, for the
  // CapabilityStatement ("http://hl7.org/fhir/SearchParameter/individual-family").
  std::string_view definition;
};

// The parameters a type supports, including _id and _lastUpdated.
std::span<const SearchParamDef> SearchParamsOf(ResourceType type);

enum class DatePrefix { kEq, kNe, kGt, kLt, kGe, kLe, kSa, kEb };

// One value of a criterion; a criterion holds several when the query joins them with
// commas (OR).
struct CriterionValue {
  std::string text;             // decoded value, as written (for :exact and refs)
  std::string normalized;       // kString: NormalizeForSearch(text)
  TokenValue token;             // kToken: system may be empty; `has_system` says
  bool has_system = false;      //   whether "system|" was written ("|code" → true, "")
  DatePrefix prefix = DatePrefix::kEq;  // kDate / kLastUpdated
  DateRange range;              // kDate / kLastUpdated: the value's implicit range
  std::string reference;        // kReference: "Type/id"; kId: the id
};

enum class StringModifier { kNone, kExact };

// One parameter occurrence; separate occurrences are ANDed.
struct Criterion {
  const SearchParamDef* param = nullptr;
  StringModifier modifier = StringModifier::kNone;
  std::vector<CriterionValue> values;  // ORed
};

enum class SortKey { kNone, kLastUpdated, kDateParam };

struct SortOrder {
  SortKey key = SortKey::kNone;
  std::string date_param;  // kDateParam: which date parameter, e.g. "date"
  bool descending = false;
};

struct SearchQuery {
  ResourceType type;
  std::vector<Criterion> criteria;
  int count = 20;   // _count, 1..100 (0 is refused)
  int offset = 0;   // _offset (medvault's paging parameter; used in next links)
  SortOrder sort;
  // The query re-encoded from the parsed criteria, without _count and _offset, in a
  // stable order: used to build self/next links.
  std::string canonical_query;
};

struct SearchLimits {
  int default_count = 20;
  int max_count = 100;
  size_t max_criteria = 20;
  size_t max_values_per_criterion = 20;
  size_t max_query_bytes = 4096;
};

// Parses a raw (still percent-encoded) query string. Errors (kInvalid, message naming
// the parameter but never echoing long values): unknown parameter, unsupported
// modifier or prefix, malformed date/token/reference, bad percent-encoding or UTF-8,
// _count out of range, _sort on an unsupported key, repeated _count/_sort/_offset.
// Accepted and ignored: _format=json | application/fhir+json.
Result<SearchQuery> ParseSearch(ResourceType type, std::string_view raw_query,
                                const SearchLimits& limits = {});

// True when a resource with these values, id and lastUpdated satisfies every
// criterion of the query. String criteria match by prefix of a normalized word
// sequence (FHIR default) or exactly (:exact); tokens by system and code; dates with
// FHIR prefix semantics over ranges; references by "Type/id".
bool Matches(const SearchQuery& query, const SearchValues& values, std::string_view id,
             Time last_updated);

// The value used to order results under `sort` (milliseconds; the earliest date of
// that parameter, or lastUpdated); nullopt when the resource has no such value.
std::optional<int64_t> SortValue(const SortOrder& sort, const SearchValues& values,
                                 Time last_updated);

// Percent-decodes a URL component ('+' is a space in queries). Fails on bad escapes
// and invalid UTF-8.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);
std::string PercentEncode(std::string_view text);

}  // namespace medvault::fhir
