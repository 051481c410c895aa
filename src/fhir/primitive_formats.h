// The lexical rules of the FHIR primitive types in JSON
// (http://hl7.org/fhir/R4/datatypes.html#primitive and json.html#primitive).
#pragma once

#include <optional>
#include <string_view>

#include "fhir/json_tree.h"
#include "fhir/schema.h"

namespace medvault::fhir {

// nullopt when a JSON value of `kind` with `text` (the string, or the number as
// written) is a valid `primitive`; otherwise what rule it breaks, in words that never
// repeat the value.
std::optional<std::string_view> PrimitiveFormatError(Primitive primitive, JsonKind kind,
                                                     std::string_view text);

// 1 to 64 of [A-Za-z0-9-.]: a FHIR logical id.
bool IsValidFhirId(std::string_view text);

// urn:uuid: followed by a lowercase RFC 4122 UUID, as R4's `uuid` type writes it.
bool IsUrnUuid(std::string_view text);

}  // namespace medvault::fhir
