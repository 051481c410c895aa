#include "access/policy.h"

#include "store/records.h"

namespace medvault::access {
namespace {

using fhir::DataCategory;
using fhir::ResourceType;
using identity::Role;

bool IsWrite(Action a) {
  return a == Action::kCreate || a == Action::kUpdate || a == Action::kDelete;
}

// The role matrix of docs/SECURITY.md, before care relationships refine it: what each
// role may do with each kind of data. Organization-scoped roles (secretaries) are
// further limited to their own organization's patients below.
bool RoleAllows(Role role, DataCategory category, ResourceType type, Action action) {
  bool write = IsWrite(action);
  switch (category) {
    case DataCategory::kDirectory:
      // Practitioners and organizations: everyone reads; administrators maintain them.
      return !write || role == Role::kAdmin;
    case DataCategory::kAdministrative:
      return role == Role::kPhysician || role == Role::kSecretary ||
             (role == Role::kNurse && !write);
    case DataCategory::kCareTeam:
      return role == Role::kPhysician ||
             (!write && (role == Role::kNurse || role == Role::kSecretary));
    case DataCategory::kClinical:
      return role == Role::kPhysician ||
             (role == Role::kNurse && (!write || type == ResourceType::kObservation));
  }
  return false;
}

}  // namespace

std::string_view NameOf(Action action) {
  switch (action) {
    case Action::kRead: return "read";
    case Action::kSearch: return "search";
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kDelete: return "delete";
  }
  return "";
}

AccessDecision Policy::Decide(const identity::Principal& principal, Action action,
                              const AccessTarget& target) const {
  auto deny = [&](std::string why) {
    return AccessDecision(false, std::move(why), FieldMask::kFull, action, target);
  };
  DataCategory category = fhir::CategoryOf(target.type);
  bool directory = category == DataCategory::kDirectory;
  if (directory != (target.compartment == store::kDirectoryCompartment))
    return deny("the resource is not in the compartment its type requires");
  if (target.compartment.empty()) return deny("the resource has no compartment");
  Role role = principal.role();
  if (!RoleAllows(role, category, target.type, action))
    return deny("the " + std::string(identity::NameOf(role)) + " role may not " +
                std::string(NameOf(action)) + " " + std::string(fhir::NameOf(target.type)) +
                " resources");
  if (role == Role::kSecretary && !directory &&
      (principal.organization_id().empty() ||
       target.organization_id != principal.organization_id()))
    return deny("the patient does not belong to the secretary's organization");
  return AccessDecision(true, "allowed for the " + std::string(identity::NameOf(role)) + " role",
                        FieldMask::kFull, action, target);
}

AccessDecision Policy::SystemDirectoryWrite(Action action, fhir::ResourceType type) const {
  AccessTarget target{type, std::string(store::kDirectoryCompartment), "", ""};
  bool allowed = fhir::CategoryOf(type) == DataCategory::kDirectory &&
                 (action == Action::kCreate || action == Action::kUpdate);
  return AccessDecision(allowed,
                        allowed ? "system set-up of the directory"
                                : "system set-up may write directory resources only",
                        FieldMask::kFull, action, std::move(target));
}

AccessDecision Policy::SystemImport(const AccessTarget& target) const {
  bool consistent = (fhir::CategoryOf(target.type) == DataCategory::kDirectory) ==
                    (target.compartment == store::kDirectoryCompartment);
  return AccessDecision(consistent && !target.compartment.empty(),
                        consistent ? "bulk import by the operator"
                                   : "the resource is not in the compartment its type requires",
                        FieldMask::kFull, Action::kCreate, target);
}

AccessDecision Policy::SystemExport(const AccessTarget& target) const {
  return AccessDecision(!target.compartment.empty(), "bulk export by the operator",
                        FieldMask::kFull, Action::kRead, target);
}

bool Policy::MaySearch(const identity::Principal& principal, fhir::ResourceType type) const {
  return RoleAllows(principal.role(), fhir::CategoryOf(type), type, Action::kSearch);
}

}  // namespace medvault::access
