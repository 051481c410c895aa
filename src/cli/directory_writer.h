// The directory compartment, created once by `medvault init` under the Policy's system
// decision for the directory (practitioners and organizations then arrive through the
// API or `medvault import`).
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

}  // namespace medvault::cli
