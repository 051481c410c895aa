#include "api/access_helpers.h"

namespace medvault::api {

AuditFacts FactsFor(std::string_view interaction, fhir::ResourceType type, std::string_view id) {
  AuditFacts f;
  f.interaction = interaction;
  f.resource_type = fhir::NameOf(type);
  f.resource_id = id;
  return f;
}

Result<store::CompartmentRow> LoadCompartment(store::Reader& reader, std::string_view id) {
  ASSIGN_OR_RETURN(auto row, reader.Compartment(id));
  if (!row) return Fail(ErrorCode::kInternal, "a stored resource has no compartment key");
  return std::move(*row);
}

access::AccessTarget TargetOf(fhir::ResourceType type, const store::CompartmentRow& compartment) {
  return access::AccessTarget{type, compartment.id, compartment.organization_id,
                              compartment.confidentiality};
}

std::string PatientOf(const store::CompartmentRow& compartment) {
  return compartment.id == store::kDirectoryCompartment ? std::string() : compartment.id;
}

Error Denied(const access::AccessDecision& decision) {
  return Error{ErrorCode::kForbidden, "access denied: " + decision.reason(), {}};
}

std::optional<std::string> IdFromReference(std::string_view reference, std::string_view type) {
  if (reference.size() <= type.size() + 1 || !reference.starts_with(type) ||
      reference[type.size()] != '/')
    return std::nullopt;
  std::string_view id = reference.substr(type.size() + 1);
  if (auto history = id.find("/_history/"); history != std::string_view::npos)
    id = id.substr(0, history);
  if (id.empty() || id.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(id);
}

}  // namespace medvault::api
