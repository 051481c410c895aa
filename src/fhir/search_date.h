// Date search values: the literal of a date query value and the FHIR prefixes that
// compare a resource's range with it.
#pragma once

#include <optional>
#include <string_view>

#include "fhir/search.h"
#include "fhir/search_values.h"

namespace medvault::fhir {

// The interval a FHIR date, dateTime or instant denotes at its precision, end
// exclusive ("2020-05" is [2020-05-01, 2020-06-01) UTC). Accepts YYYY, YYYY-MM,
// YYYY-MM-DD and YYYY-MM-DDThh:mm(:ss(.f+)?)? followed by Z or ±hh:mm; nullopt for
// anything else, including impossible dates (2021-02-29).
std::optional<DateRange> ParseDateLiteral(std::string_view text);

// "eq", "ne", … for a prefix; and the prefix a two-letter code names (nullopt for an
// unknown code, and for "ap", which medvault does not support).
std::string_view PrefixCode(DatePrefix prefix);
std::optional<DatePrefix> ParsePrefixCode(std::string_view code);

// True when a resource value with range `target` satisfies `prefix` against the
// query value's range `search`, with the R4 definitions.
bool DateSatisfies(DatePrefix prefix, const DateRange& search, const DateRange& target);

}  // namespace medvault::fhir
