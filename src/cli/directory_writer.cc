#include "cli/directory_writer.h"

#include "common/time_format.h"

namespace medvault::cli {

Status CreateDirectoryCompartment(store::Store& store, const access::Policy& policy,
                                  const access::RecordVault& vault, const Clock& clock) {
  auto decision =
      policy.SystemDirectoryWrite(access::Action::kCreate, fhir::ResourceType::kOrganization);
  ASSIGN_OR_RETURN(store::CompartmentRow row,
                   vault.NewCompartment(decision, ToUnixMillis(clock.Now())));
  return store.Write([&](store::Transaction& txn) { return txn.InsertCompartment(row); });
}

}  // namespace medvault::cli
