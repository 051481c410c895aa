// One search parameter occurrence: its value grammar per kind (string, token, date,
// reference, _id, _lastUpdated), and its canonical re-encoding for links. Parsing and
// printing live together so that printing then parsing gives back the same criterion.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "fhir/search.h"

namespace medvault::fhir {

// Parses the decoded `value` of parameter `param` written with `modifier` (the text
// after ':' in the name, or nullopt without one) into a Criterion whose values are
// sorted and deduplicated in canonical order. Errors are kInvalid and name the
// parameter, never the value.
Result<Criterion> ParseCriterion(const SearchParamDef& param,
                                 std::optional<std::string_view> modifier, std::string_view value,
                                 const SearchLimits& limits);

// "name[:modifier]=v1,v2": the criterion percent-encoded, values in their stored order.
std::string EncodeCriterion(const Criterion& criterion);

// True when `text` is a FHIR logical id: 1 to 64 of [A-Za-z0-9.-].
bool IsFhirId(std::string_view text);

}  // namespace medvault::fhir
