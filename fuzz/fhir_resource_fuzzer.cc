// Feeds arbitrary bytes to ValidateResource as every resource type, and checks on what
// it accepts the properties the rest of medvault relies on: the canonical form is a
// fixed point, a stamped version validates again with the same facts and search
// values, and the directory's minimal identity of a Patient is itself a valid Patient.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fhir/resource.h"

namespace {

using medvault::ErrorCode;
using medvault::fhir::ReferenceMode;
using medvault::fhir::ResourceType;
using medvault::fhir::SearchValues;
using medvault::fhir::ValidatedResource;

constexpr std::string_view kLastUpdated = "2024-03-01T10:00:00.000Z";

[[noreturn]] void Broken(const char* property, const ValidatedResource& resource) {
  std::fprintf(stderr, "property broken: %s\ncanonical: %s\n", property,
               resource.canonical_json.c_str());
  std::abort();
}

// Every search value as one line, so that two extractions compare as lists.
std::vector<std::string> Flatten(const SearchValues& values) {
  std::vector<std::string> lines;
  for (const auto& v : values.strings) {
    lines.push_back(v.param + "\x1f" + v.normalized + "\x1f" + v.exact);
  }
  for (const auto& v : values.tokens) {
    lines.push_back(v.param + "\x1f" + v.value.system + "\x1f" + v.value.code);
  }
  for (const auto& v : values.dates) {
    lines.push_back(v.param + "\x1f" + std::to_string(v.range.start_ms) + "\x1f" +
                    std::to_string(v.range.end_ms) + "\x1f" + v.text);
  }
  for (const auto& v : values.references) lines.push_back(v.param + "\x1f" + v.reference);
  return lines;
}

void CheckAccepted(const ValidatedResource& resource, ReferenceMode mode) {
  auto again = medvault::fhir::ValidateResource(resource.canonical_json, resource.type, {}, mode);
  if (!again) Broken("canonical JSON validates", resource);
  if (again->canonical_json != resource.canonical_json)
    Broken("canonical is a fixed point", resource);
  if (again->facts.patient_reference != resource.facts.patient_reference ||
      again->facts.managing_organization != resource.facts.managing_organization ||
      again->facts.confidentiality != resource.facts.confidentiality ||
      again->facts.references != resource.facts.references) {
    Broken("facts survive canonicalization", resource);
  }

  const std::string stamped =
      medvault::fhir::StampResource(resource.canonical_json, "fuzz-1", 7, kLastUpdated);
  auto restored = medvault::fhir::ValidateResource(stamped, resource.type, {}, mode);
  if (!restored || restored->id != "fuzz-1") Broken("stamped resource validates", resource);
  auto values = medvault::fhir::ExtractSearchValues(resource.type, stamped);
  if (!values || Flatten(*values) != Flatten(resource.search_values)) {
    Broken("stored search values match validated ones", resource);
  }

  if (resource.type == ResourceType::kPatient) {
    auto minimal = medvault::fhir::MinimalPatientIdentity(stamped);
    if (!minimal) Broken("minimal identity of a stored Patient", resource);
    if (!medvault::fhir::ValidateResource(*minimal, ResourceType::kPatient, {}, mode)) {
      Broken("minimal identity is a valid Patient", resource);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (ResourceType type : medvault::fhir::kAllResourceTypes) {
    auto resource = medvault::fhir::ValidateResource(input, type);
    if (resource) CheckAccepted(*resource, ReferenceMode::kRelativeOnly);
    // Bundles allow urn:uuid references: only worth trying when the type matched.
    if (resource || resource.error().code == ErrorCode::kUnprocessable) {
      auto bundled =
          medvault::fhir::ValidateResource(input, type, {}, ReferenceMode::kAllowUrnUuid);
      if (bundled) CheckAccepted(*bundled, ReferenceMode::kAllowUrnUuid);
    }
  }
  // Tight limits reach the depth and length checks with small inputs.
  medvault::fhir::ValidationLimits tight;
  tight.max_bytes = 4096;
  tight.max_depth = 6;
  tight.max_array_items = 8;
  (void)medvault::fhir::ValidateResource(input, ResourceType::kPatient, tight);
  return 0;
}
