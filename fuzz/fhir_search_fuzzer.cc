// libFuzzer target for FHIR search: arbitrary bytes as the query string of every
// resource type. ParseSearch must never crash, and whatever it accepts must survive
// matching and sorting, and re-encode to a canonical query that parses back to itself
// and selects the same resources (the server builds its self/next links from it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string_view>

#include "fhir/search.h"
#include "fhir/text_normalize.h"

namespace {

using namespace medvault;
using namespace medvault::fhir;

int64_t Day(int64_t days_since_epoch) { return days_since_epoch * 86'400'000; }

StringValue Text(const char* param, const char* text) {
  return {param, NormalizeForSearch(text), text};
}

// One resource holding a value for every parameter name the table uses, so that every
// accepted criterion reaches its comparison code.
const SearchValues& Values() {
  static const SearchValues values = [] {
    SearchValues v;
    v.strings = {Text("family", "Dupont"), Text("given", "Jean-Marie"),
                 Text("name", "Jean-Marie de la Fontaine"), Text("name", "Hélène Lefèvre")};
    v.tokens = {{"gender", {"", "male"}},
                {"identifier", {"urn:oid:1.2.250.1.213.1.4.8", "1234567890123"}},
                {"code", {"http://loinc.org", "8867-4"}},
                {"type", {"http://loinc.org", "34133-9"}},
                {"status", {"", "final"}},
                {"clinical-status",
                 {"http://terminology.hl7.org/CodeSystem/condition-clinical", "active"}}};
    v.dates = {{"birthdate", {Day(0), Day(1)}, "1970-01-01"},
               {"date", {Day(18'262), std::numeric_limits<int64_t>::max()}, "2020-01-01"},
               {"onset-date", {Day(-365), Day(0)}, "1969"},
               {"recorded-date", {Day(19'000), Day(19'000) + 1}, ""},
               {"authoredon", {Day(19'500), Day(19'501)}, "2023-05-23"}};
    v.references = {
        {"patient", "Patient/p1"}, {"subject", "Patient/p1"}, {"organization", "Organization/o-1"}};
    return v;
  }();
  return values;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const Time updated = FromUnixMillis(Day(19'875) + 43'200'000);
  // The canonical form may be longer than the input (it percent-encodes), so only the
  // length limit is lifted when parsing it back.
  SearchLimits reparse_limits;
  reparse_limits.max_query_bytes = std::numeric_limits<size_t>::max();
  for (ResourceType type : kAllResourceTypes) {
    auto query = ParseSearch(type, input);
    if (!query) continue;
    const bool matched = Matches(*query, Values(), "p1", updated);
    (void)SortValue(query->sort, Values(), updated);
    auto again = ParseSearch(type, query->canonical_query, reparse_limits);
    if (!again || again->canonical_query != query->canonical_query) std::abort();
    if (Matches(*again, Values(), "p1", updated) != matched) std::abort();
  }
  return 0;
}
