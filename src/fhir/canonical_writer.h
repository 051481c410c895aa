// The canonical JSON of a resource (see ValidatedResource::canonical_json), with or
// without the metadata the server stamps on each version.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/json_tree.h"

namespace medvault::fhir {

struct ServerStamp {
  std::string_view id;
  int64_t version_id = 0;
  std::string_view last_updated;
};

// resourceType, id, meta, then the other members in input order, without whitespace.
// Without a stamp, meta.versionId and meta.lastUpdated are dropped (and meta with them
// when nothing else is left); with one, id and both are set from it.
std::string WriteResource(const JsonTree& tree, const ServerStamp* stamp);

}  // namespace medvault::fhir
