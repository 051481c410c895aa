// Query strings of the non-FHIR endpoints: name=value pairs, percent-decoded, each name
// at most once and from a known list.
#pragma once

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace medvault::api {

// Unknown or repeated names, missing or empty values and bad percent-encoding are
// refused with a message naming the accepted parameters (never the values).
Result<std::map<std::string, std::string, std::less<>>> ParseQueryParams(
    std::string_view raw, std::initializer_list<std::string_view> allowed);

}  // namespace medvault::api
