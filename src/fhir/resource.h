// Incoming resources: parse, validate against the R4 shape of each supported type,
// and write a canonical form. Stored resources: read back their search values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "fhir/resource_type.h"
#include "fhir/search_values.h"

namespace medvault::fhir {

struct ValidationLimits {
  size_t max_bytes = 1 << 20;       // larger bodies: kPayloadTooLarge
  size_t max_depth = 64;            // deeper nesting of objects/arrays: kInvalid
  size_t max_array_items = 10'000;  // any longer array: kInvalid
};

// How references in the resource may be written.
enum class ReferenceMode {
  kRelativeOnly,  // "Type/id" (API requests)
  kAllowUrnUuid,  // also "urn:uuid:…" (Bundles and import files)
};

// A practitioner's membership of an active CareTeam, over the time both the team's and
// the participant's periods cover: [start_ms, end_ms) in Unix milliseconds, open ends
// as INT64_MIN / INT64_MAX.
struct CareMembership {
  std::string practitioner;  // the Practitioner id
  int64_t start_ms = INT64_MIN;
  int64_t end_ms = INT64_MAX;
  bool operator==(const CareMembership&) const = default;
};

// Security-relevant facts the server needs before any decryption.
struct ResourceFacts {
  // The patient whose compartment holds the resource: Patient.id for a Patient (empty
  // on create), otherwise the id (or urn:uuid) from the compartment reference.
  std::string patient_reference;
  // Patient.managingOrganization, as "Organization/id", or empty.
  std::string managing_organization;
  // Highest HL7 v3 Confidentiality code in meta.security ("" when none, "N", "R", "V").
  std::string confidentiality;
  // Every reference in the resource ("Type/id" or "urn:uuid:…"), in document order.
  std::vector<std::string> references;
  // A CareTeam whose status is "active": its Practitioner members (the care
  // relationships the Policy reads). Empty for other types and other statuses.
  std::vector<CareMembership> care_members;
};

struct ValidatedResource {
  ResourceType type;
  std::string id;  // "id" from the body, empty when absent
  // Canonical JSON: resourceType first, then id and meta when present, then the
  // other elements in input order; no insignificant whitespace; numbers verbatim;
  // meta.versionId and meta.lastUpdated dropped (the server sets them).
  std::string canonical_json;
  ResourceFacts facts;
  SearchValues search_values;
};

// Parses and validates `json` as a resource of type `expected`.
// Errors: kPayloadTooLarge (size), kInvalid (not JSON, bad UTF-8, too deep, array too
// long, duplicate key, resourceType missing or not `expected`), kUnprocessable (valid
// JSON that breaks the R4 shape: unknown element, wrong type or cardinality, missing
// required element, bad primitive format, reference to a type the element does not
// allow). Error::expression locates the element ("Patient.birthDate").
Result<ValidatedResource> ValidateResource(std::string_view json, ResourceType expected,
                                           const ValidationLimits& limits = {},
                                           ReferenceMode references = ReferenceMode::kRelativeOnly);

// Returns canonical JSON with `id`, meta.versionId and meta.lastUpdated set (meta is
// created when absent; its other elements are kept). `canonical_json` must come from
// ValidateResource or an earlier StampResource.
std::string StampResource(std::string_view canonical_json, std::string_view id, int64_t version_id,
                          std::string_view last_updated);

// Extracts search values from a stored (already validated) resource.
Result<SearchValues> ExtractSearchValues(ResourceType type, std::string_view json);

// The subset of a Patient that the directory may show outside the care scope:
// resourceType, id, meta (versionId, lastUpdated, and a REDACTED security label
// added), name (family, given, prefix, suffix, use, text), birthDate, gender,
// managingOrganization. Nothing else: no identifiers, telecom, address, extensions
// or comment.
Result<std::string> MinimalPatientIdentity(std::string_view patient_json);

// The subset of a Patient that a breach notification needs to reach the patient:
// resourceType, id, name, birthDate (to tell namesakes apart), telecom (system, value,
// use, rank) and address (use, type, text, line, city, district, state, postalCode,
// country). Nothing else: no identifiers, extensions, comment or meta.
Result<std::string> PatientContactDetails(std::string_view patient_json);

}  // namespace medvault::fhir
