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

// The role table of docs/SECURITY.md, before relationships refine it: what each role
// may do with each kind of data at best.
bool RoleAllows(Role role, DataCategory category, ResourceType type, Action action) {
  bool write = IsWrite(action);
  if (action == Action::kDirectoryLookup)
    return type == ResourceType::kPatient &&
           (role == Role::kPhysician || role == Role::kNurse || role == Role::kSecretary);
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

bool IsRestricted(std::string_view confidentiality) {
  return confidentiality == "R" || confidentiality == "V";
}

std::string_view NameOf(Basis basis) {
  switch (basis) {
    case Basis::kNone: return "none";
    case Basis::kDirectory: return "directory";
    case Basis::kRegistration: return "registration";
    case Basis::kOrganization: return "organization";
    case Basis::kCareTeam: return "care-team";
    case Basis::kBreakGlass: return "break-glass";
    case Basis::kSystem: return "system";
    case Basis::kBreachNotification: return "breach-notification";
  }
  return "";
}

std::string_view NameOf(Action action) {
  switch (action) {
    case Action::kRead: return "read";
    case Action::kSearch: return "search";
    case Action::kDirectoryLookup: return "directory lookup";
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kDelete: return "delete";
  }
  return "";
}

AccessDecision Policy::Decide(const identity::Principal& principal, Action action,
                              const AccessTarget& target) const {
  auto deny = [&](std::string why) {
    return AccessDecision(false, std::move(why), FieldMask::kFull, action, target, Basis::kNone);
  };
  auto allow = [&](Basis basis, FieldMask mask = FieldMask::kFull) {
    return AccessDecision(true, "allowed (" + std::string(NameOf(basis)) + ")", mask, action,
                          target, basis);
  };
  DataCategory category = fhir::CategoryOf(target.type);
  bool directory = category == DataCategory::kDirectory;
  if (directory != (target.compartment == store::kDirectoryCompartment))
    return deny("the resource is not in the compartment its type requires");
  if (target.compartment.empty()) return deny("the resource has no compartment");
  Role role = principal.role();
  std::string role_name(identity::NameOf(role));
  if (!RoleAllows(role, category, target.type, action))
    return deny("the " + role_name + " role may not " + std::string(NameOf(action)) + " " +
                std::string(fhir::NameOf(target.type)) + " resources");
  if (directory) return allow(Basis::kDirectory);

  if (action == Action::kDirectoryLookup) {
    if (IsRestricted(target.confidentiality))
      return deny("restricted patients are not listed in the directory");
    return allow(Basis::kDirectory, FieldMask::kMinimalIdentity);
  }
  if (target.changes_label && role != Role::kPhysician)
    return deny(
        "only a physician of the patient's care team may set or remove a "
        "confidentiality label");

  bool own_organization =
      !principal.organization_id().empty() && target.organization_id == principal.organization_id();
  if (action == Action::kCreate && target.type == ResourceType::kPatient) {
    // A new compartment: no relationship exists yet. Registration puts the patient in
    // the registering person's organization (and a physician in the care team).
    if (!own_organization)
      return deny("a new patient can only be registered in your own organization");
    return allow(Basis::kRegistration);
  }
  if (role == Role::kSecretary) {
    if (!own_organization) return deny("the patient does not belong to your organization");
    return allow(Basis::kOrganization);
  }

  // Physicians and nurses: the care relationship.
  auto standing = care_.Standing(principal, target.compartment);
  if (!standing) return deny("the care relationship could not be checked");
  if (standing->care_team) return allow(Basis::kCareTeam);
  if (target.changes_label)
    return deny(
        "only a physician of the patient's care team may set or remove a "
        "confidentiality label");
  if (standing->break_glass) {
    if (category == DataCategory::kCareTeam && IsWrite(action))
      return deny(
          "a break-the-glass grant cannot change the care team: start a care "
          "relationship instead (POST /access/care-relationships)");
    return allow(Basis::kBreakGlass);
  }
  return deny(
      "the patient is not in your care: break the glass (POST /access/break-glass) "
      "if you must");
}

AccessDecision Policy::RegistrationCareTeam(const identity::Principal& principal,
                                            const AccessDecision& patient_created) const {
  AccessTarget target = patient_created.target();
  target.type = ResourceType::kCareTeam;
  target.changes_label = false;
  bool allowed = patient_created.allowed() && patient_created.basis() == Basis::kRegistration &&
                 patient_created.action() == Action::kCreate &&
                 patient_created.target().type == ResourceType::kPatient &&
                 principal.role() == Role::kPhysician && !principal.practitioner_id().empty();
  return AccessDecision(allowed,
                        allowed ? "the registering physician's care team"
                                : "only a physician's registration starts a care team",
                        FieldMask::kFull, Action::kCreate, std::move(target), Basis::kRegistration);
}

AccessDecision Policy::StartCare(const identity::Principal& principal,
                                 const AccessTarget& careteam) const {
  auto decide = [&](bool allowed, std::string why) {
    return AccessDecision(allowed, std::move(why), FieldMask::kFull, Action::kCreate, careteam,
                          Basis::kRegistration);
  };
  if (!MayStartCare(principal.role()) || principal.practitioner_id().empty())
    return decide(false, "only a physician with a Practitioner record starts a care relationship");
  if (careteam.type != ResourceType::kCareTeam || careteam.compartment.empty() ||
      careteam.compartment == store::kDirectoryCompartment)
    return decide(false, "a care relationship is a CareTeam in a patient's compartment");
  if (IsRestricted(careteam.confidentiality))
    return decide(false,
                  "a restricted patient's care team adds new members itself (or break "
                  "the glass in an emergency)");
  return decide(true, "starting a care relationship");
}

AccessDecision Policy::SystemDirectoryWrite(Action action, fhir::ResourceType type) const {
  AccessTarget target{type, std::string(store::kDirectoryCompartment), "", ""};
  bool allowed = fhir::CategoryOf(type) == DataCategory::kDirectory &&
                 (action == Action::kCreate || action == Action::kUpdate);
  return AccessDecision(allowed,
                        allowed ? "system set-up of the directory"
                                : "system set-up may write directory resources only",
                        FieldMask::kFull, action, std::move(target), Basis::kSystem);
}

AccessDecision Policy::SystemImport(const AccessTarget& target) const {
  bool consistent = (fhir::CategoryOf(target.type) == DataCategory::kDirectory) ==
                    (target.compartment == store::kDirectoryCompartment);
  return AccessDecision(consistent && !target.compartment.empty(),
                        consistent ? "bulk import by the operator"
                                   : "the resource is not in the compartment its type requires",
                        FieldMask::kFull, Action::kCreate, target, Basis::kSystem);
}

AccessDecision Policy::SystemExport(const AccessTarget& target) const {
  return AccessDecision(!target.compartment.empty(), "bulk export by the operator",
                        FieldMask::kFull, Action::kRead, target, Basis::kSystem);
}

AccessDecision Policy::DetectorReadsClinician(const AccessTarget& target) const {
  bool allowed = target.type == ResourceType::kPractitioner &&
                 target.compartment == store::kDirectoryCompartment;
  return AccessDecision(allowed,
                        allowed ? "the detector comparing a clinician's name"
                                : "the detector reads practitioners only",
                        FieldMask::kFull, Action::kRead, target, Basis::kSystem);
}

AccessDecision Policy::BreachNotificationContact(const identity::Principal& principal,
                                                 const AccessTarget& target) const {
  auto decide = [&](bool allowed, std::string why) {
    return AccessDecision(allowed, std::move(why), FieldMask::kContactDetails, Action::kRead,
                          target, Basis::kBreachNotification);
  };
  if (principal.role() != Role::kSecurityOfficer)
    return decide(false, "breach notifications are prepared by the security officer");
  if (target.type != ResourceType::kPatient || target.compartment.empty() ||
      target.compartment == store::kDirectoryCompartment)
    return decide(false, "a breach notification reads a patient's contact details only");
  return decide(true, "contact details to notify a breach (GDPR art. 34)");
}

bool Policy::MayBreakGlass(Role role) { return role == Role::kPhysician || role == Role::kNurse; }

bool Policy::MayStartCare(Role role) { return role == Role::kPhysician; }

bool Policy::MaySearch(const identity::Principal& principal, fhir::ResourceType type) const {
  return RoleAllows(principal.role(), fhir::CategoryOf(type), type, Action::kSearch);
}

}  // namespace medvault::access
