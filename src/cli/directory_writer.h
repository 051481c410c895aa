// Writing practitioners and organizations from the command line (init, demo, user
// add): the same validation, sealing and indexing as the API, under the Policy's
// system decision for the directory. Never patient data.
#pragma once

#include <string>

#include "access/policy.h"
#include "access/record_vault.h"
#include "common/clock.h"
#include "crypto/keyring.h"
#include "fhir/resource_type.h"
#include "store/store.h"

namespace medvault::cli {

// Creates the directory compartment (once, at init).
Status CreateDirectoryCompartment(store::Store& store, const access::Policy& policy,
                                  const access::RecordVault& vault, const Clock& clock);

// Creates a Practitioner or Organization from its JSON; returns its new id.
Result<std::string> CreateDirectoryResource(store::Store& store, const crypto::Keyring& keyring,
                                            const access::Policy& policy,
                                            const access::RecordVault& vault, const Clock& clock,
                                            fhir::ResourceType type, std::string_view json);

}  // namespace medvault::cli
