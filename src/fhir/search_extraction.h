// The values each supported search parameter reads from a resource, taken from its
// tree along the element paths listed in search_extraction.cc. The same code serves
// validated request bodies and stored resources, so that the blind indexes written on
// create and the matching done after decryption agree.
#pragma once

#include "fhir/json_tree.h"
#include "fhir/resource_type.h"
#include "fhir/search_values.h"

namespace medvault::fhir {

// Never fails: values of an unexpected shape are skipped.
SearchValues ExtractFromTree(const JsonTree& tree, ResourceType type);

}  // namespace medvault::fhir
