// Reading a resource body into a tree: request bodies under the caller's limits, and
// bodies medvault stored itself (validated before, so only their type is checked).
#pragma once

#include <string_view>

#include "common/result.h"
#include "fhir/json_tree.h"
#include "fhir/resource.h"

namespace medvault::fhir {

// kPayloadTooLarge above limits.max_bytes; kInvalid for JSON errors (see ParseJsonTree)
// and when the root's resourceType is missing or is not `expected`.
Result<JsonTree> ParseResourceBody(std::string_view json, ResourceType expected,
                                   const ValidationLimits& limits);

// The same without size limits, for canonical JSON that medvault wrote.
Result<JsonTree> ParseStoredResource(std::string_view json, ResourceType expected);

}  // namespace medvault::fhir
