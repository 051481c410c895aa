#include "access/record_vault.h"

#include "crypto/aead.h"
#include "fhir/resource.h"

namespace medvault::access {
namespace {

// Binds a sealed body to its place: moving a ciphertext to another resource, version
// or compartment makes it fail to open.
std::string BodyAssociatedData(const store::ResourceRow& row) {
  return "medvault/resource/v1|" + row.type + "|" + row.id + "|" + std::to_string(row.version) +
         "|" + row.compartment;
}

std::unexpected<Error> Refused() {
  // Reaching this is a programming error upstream (the handler should have stopped at
  // the denial); the caller still gets a plain 403.
  return Fail(ErrorCode::kForbidden, "access denied");
}

// What the decision's field mask lets through of a decrypted resource.
Result<std::string> Masked(const AccessDecision& decision, std::string json) {
  switch (decision.mask()) {
    case FieldMask::kFull: return json;
    case FieldMask::kMinimalIdentity: return fhir::MinimalPatientIdentity(json);
    case FieldMask::kContactDetails: return fhir::PatientContactDetails(json);
  }
  return Refused();
}

}  // namespace

Status RecordVault::Check(const AccessDecision& decision, const store::CompartmentRow& compartment,
                          std::string_view type, bool writing) const {
  Action a = decision.action();
  bool action_fits =
      writing ? (a == Action::kCreate || a == Action::kUpdate)
              : (a == Action::kRead || a == Action::kSearch || a == Action::kDirectoryLookup);
  if (!decision.allowed() || !action_fits || decision.target().compartment != compartment.id ||
      fhir::NameOf(decision.target().type) != type)
    return Refused();
  return Ok();
}

Result<store::CompartmentRow> RecordVault::NewCompartment(const AccessDecision& decision,
                                                          int64_t created_at_ms) const {
  if (!decision.allowed() || decision.action() != Action::kCreate) return Refused();
  const AccessTarget& target = decision.target();
  auto [dek, wrapped] = keyring_.NewDataKey(crypto::DataKeyAccess(), target.compartment);
  store::CompartmentRow row;
  row.id = target.compartment;
  row.kek_version = wrapped.kek_version;
  row.wrapped_dek = std::move(wrapped.sealed);
  row.organization_id = target.organization_id;
  row.confidentiality = target.confidentiality;
  row.created_at_ms = created_at_ms;
  return row;
}

Result<crypto::Bytes> RecordVault::Seal(const AccessDecision& decision,
                                        const store::CompartmentRow& compartment,
                                        const store::ResourceRow& row,
                                        std::string_view json) const {
  TRY(Check(decision, compartment, row.type, /*writing=*/true));
  if (row.compartment != compartment.id) return Refused();
  ASSIGN_OR_RETURN(crypto::SecretKey dek,
                   keyring_.UnwrapDataKey(crypto::DataKeyAccess(), compartment.id,
                                          {compartment.kek_version, compartment.wrapped_dek}));
  return crypto::Seal(dek, crypto::AsBytes(json), BodyAssociatedData(row));
}

Result<std::string> RecordVault::Decrypt(const AccessDecision& decision,
                                         const store::CompartmentRow& compartment,
                                         const store::ResourceRow& row) const {
  TRY(Check(decision, compartment, row.type, /*writing=*/false));
  if (row.compartment != compartment.id) return Refused();
  ASSIGN_OR_RETURN(crypto::SecretKey dek,
                   keyring_.UnwrapDataKey(crypto::DataKeyAccess(), compartment.id,
                                          {compartment.kek_version, compartment.wrapped_dek}));
  auto plain = crypto::Open(dek, row.body, BodyAssociatedData(row));
  if (!plain) return Fail(ErrorCode::kInternal, "a stored record failed its integrity check");
  return std::string(crypto::AsText(*plain));
}

Result<std::string> RecordVault::Open(const AccessDecision& decision,
                                      const store::CompartmentRow& compartment,
                                      const store::ResourceRow& row) const {
  ASSIGN_OR_RETURN(std::string json, Decrypt(decision, compartment, row));
  return Masked(decision, std::move(json));
}

Result<RecordVault::Searchable> RecordVault::OpenForSearch(const AccessDecision& decision,
                                                           const store::CompartmentRow& compartment,
                                                           const store::ResourceRow& row) const {
  ASSIGN_OR_RETURN(std::string json, Decrypt(decision, compartment, row));
  ASSIGN_OR_RETURN(fhir::SearchValues values,
                   fhir::ExtractSearchValues(decision.target().type, json));
  ASSIGN_OR_RETURN(json, Masked(decision, std::move(json)));
  return Searchable{std::move(json), std::move(values)};
}

}  // namespace medvault::access
