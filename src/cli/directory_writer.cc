#include "cli/directory_writer.h"

#include "api/search_terms.h"
#include "common/random.h"
#include "common/time_format.h"
#include "fhir/resource.h"

namespace medvault::cli {

Status CreateDirectoryCompartment(store::Store& store, const access::Policy& policy,
                                  const access::RecordVault& vault, const Clock& clock) {
  auto decision =
      policy.SystemDirectoryWrite(access::Action::kCreate, fhir::ResourceType::kOrganization);
  ASSIGN_OR_RETURN(store::CompartmentRow row,
                   vault.NewCompartment(decision, ToUnixMillis(clock.Now())));
  return store.Write([&](store::Transaction& txn) { return txn.InsertCompartment(row); });
}

Result<std::string> CreateDirectoryResource(store::Store& store, const crypto::Keyring& keyring,
                                            const access::Policy& policy,
                                            const access::RecordVault& vault, const Clock& clock,
                                            fhir::ResourceType type, std::string_view json) {
  auto decision = policy.SystemDirectoryWrite(access::Action::kCreate, type);
  if (!decision.allowed()) return Fail(ErrorCode::kForbidden, decision.reason());
  ASSIGN_OR_RETURN(auto resource, fhir::ValidateResource(json, type));
  ASSIGN_OR_RETURN(auto compartment, store.reader().Compartment(store::kDirectoryCompartment));
  if (!compartment) return Fail(ErrorCode::kInternal, "the directory compartment is missing");
  int64_t now = ToUnixMillis(clock.Now());
  store::ResourceRow row{
      std::string(fhir::NameOf(type)), NewUuid(), 1, compartment->id, now, false, {}};
  std::string body =
      fhir::StampResource(resource.canonical_json, row.id, 1, FormatInstant(FromUnixMillis(now)));
  ASSIGN_OR_RETURN(row.body, vault.Seal(decision, *compartment, row, body));
  auto hashes = api::IndexHashes(type, resource.search_values, keyring);
  TRY(store.Write([&](store::Transaction& txn) -> Status {
    TRY(txn.PutResourceVersion(row));
    return txn.ReplaceIndex(row.type, row.id, hashes);
  }));
  return row.id;
}

}  // namespace medvault::cli
