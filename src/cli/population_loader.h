// A synthetic population (src/sim) loaded into an open data directory through the
// importer, with one enrolled account per person of the practices plus a security
// officer and an administrator. `demo` serves it; `drill` drives it.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cli/runtime.h"
#include "crypto/password_hash.h"
#include "identity/accounts.h"
#include "sim/population.h"

namespace medvault::cli {

struct LoadedAccount {
  std::string username;
  identity::Role role;
  std::string organization_id;
  std::string practitioner_id;
  std::string password;
  std::string totp_secret;  // base32, enrolled at creation
};

// Sees each generated resource before it is imported (e.g. to index patients).
using ResourceObserver =
    std::function<void(fhir::ResourceType type, const std::string& id, const std::string& json)>;

// Generates the population, imports it in batches (progress on stderr) and creates the
// accounts, their passwords hashed at `password_cost`. Returns them with their passwords
// and TOTP secrets.
Result<std::vector<LoadedAccount>> LoadPopulation(
    Runtime& rt, const sim::PopulationOptions& options, const ResourceObserver& observe = {},
    const crypto::PasswordHashCost& password_cost = {});

}  // namespace medvault::cli
