// Literal references as medvault accepts them: relative "Type/id" (optionally
// "Type/id/_history/vid"), or "urn:uuid:…" for resources created in the same Bundle.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace medvault::fhir {

struct LiteralReference {
  std::string_view type;     // "Patient"; empty for a urn:uuid
  std::string_view id;       // the logical id, or the whole "urn:uuid:…"
  std::string_view version;  // after "/_history/", or empty

  bool is_urn_uuid() const { return type.empty(); }
  // "Patient/123" (without the version), or the urn:uuid as written.
  std::string Target() const;
};

// nullopt unless `text` is a relative reference to a type name ([A-Z][A-Za-z]*) and a
// valid id, or a urn:uuid. Absolute URLs and "#contained" references are refused.
std::optional<LiteralReference> ParseLiteralReference(std::string_view text);

}  // namespace medvault::fhir
