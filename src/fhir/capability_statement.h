// GET /fhir/metadata: what this server supports, generated from the same tables the
// server uses (resource types, interactions, search parameters), so it cannot drift.
#pragma once

#include <string>
#include <string_view>

#include "common/clock.h"

namespace medvault::fhir {

struct ServerDescription {
  std::string base_url;          // "https://127.0.0.1:8443/fhir"
  std::string software_version;  // "0.1.0"
};

std::string CapabilityStatementJson(const ServerDescription& server, Time now);

}  // namespace medvault::fhir
