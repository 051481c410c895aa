// The Policy: the one place that says whether a principal may do something to a
// resource. Its only output is an AccessDecision, which nothing else can construct;
// the RecordVault decrypts or seals patient data only for an allowing decision whose
// target matches the record. Every new kind of access therefore starts denied.
#pragma once

#include <string>
#include <string_view>

#include "access/care_relationships.h"
#include "fhir/resource_type.h"
#include "identity/principal.h"

namespace medvault::access {

enum class Action {
  kRead,    // read, vread, history
  kSearch,  // appearing in search results
  // Appearing, as minimal identity only, in a directory search outside the care scope
  // (Patient only; see FieldMask::kMinimalIdentity).
  kDirectoryLookup,
  kCreate,
  kUpdate,
  kDelete,
};

std::string_view NameOf(Action action);

// Which parts of a resource the caller may see.
enum class FieldMask {
  kFull,
  kMinimalIdentity,  // name, birth date, gender, organization (directory results)
  kContactDetails,   // name, birth date, telecom, address (breach notifications)
};

// What is being accessed, as known before decryption.
struct AccessTarget {
  fhir::ResourceType type = fhir::ResourceType::kPatient;
  std::string compartment;      // the patient's id, or store::kDirectoryCompartment
  std::string organization_id;  // the patient's managing organization ("" if none)
  std::string confidentiality;  // "", "N", "R", "V"
  // A Patient create or update that sets or removes a restricted label (R or V).
  bool changes_label = false;
};

// True for the HL7 v3 Confidentiality codes medvault restricts: R and V.
bool IsRestricted(std::string_view confidentiality);

// On what grounds an access was allowed (or, for a denial, kNone).
enum class Basis {
  kNone,
  kDirectory,     // practitioners and organizations, or a minimal-identity lookup
  kRegistration,  // registering a new patient in one's own organization
  kOrganization,  // a secretary and a patient of their organization
  kCareTeam,      // an active CareTeam membership
  kBreakGlass,    // an unexpired break-the-glass grant
  kSystem,        // init, import, export: the operator on the server's machine
  // The security officer reaching patients to notify of a breach (GDPR art. 34).
  kBreachNotification,
};

std::string_view NameOf(Basis basis);

class AccessDecision {
 public:
  bool allowed() const { return allowed_; }
  // Why, in words safe to show the caller and to audit (no patient data).
  const std::string& reason() const { return reason_; }
  FieldMask mask() const { return mask_; }
  Action action() const { return action_; }
  const AccessTarget& target() const { return target_; }
  Basis basis() const { return basis_; }
  // An attempt on a restricted (R or V) patient outside the care relationship, allowed
  // through break-the-glass or denied: the security officer is alerted at once.
  bool raises_confidentiality_alert() const {
    return IsRestricted(target_.confidentiality) && basis_ != Basis::kCareTeam &&
           basis_ != Basis::kOrganization && basis_ != Basis::kSystem &&
           basis_ != Basis::kRegistration && basis_ != Basis::kBreachNotification &&
           action_ != Action::kDirectoryLookup;
  }

 private:
  friend class Policy;
  AccessDecision(bool allowed, std::string reason, FieldMask mask, Action action,
                 AccessTarget target, Basis basis)
      : allowed_(allowed),
        reason_(std::move(reason)),
        mask_(mask),
        action_(action),
        target_(std::move(target)),
        basis_(allowed ? basis : Basis::kNone) {}

  bool allowed_;
  std::string reason_;
  FieldMask mask_;
  Action action_;
  AccessTarget target_;
  Basis basis_;
};

class Policy {
 public:
  explicit Policy(const CareRelationships& care) : care_(care) {}

  // Roles first (the table in docs/SECURITY.md), then the relationship: physicians and
  // nurses reach a patient's data through an active CareTeam membership or a
  // break-the-glass grant, secretaries through the patient's organization. A failure
  // to read the relationship denies.
  AccessDecision Decide(const identity::Principal& principal, Action action,
                        const AccessTarget& target) const;

  // Granted without a principal: creating the directory compartment and writing
  // practitioners and organizations into it, for `medvault init` and `medvault demo`,
  // which run with the operator's access to the key files. Never patient data.
  AccessDecision SystemDirectoryWrite(Action action, fhir::ResourceType type) const;

  // The operator's bulk transfers, `medvault import` and `medvault export`: they run
  // on the server's machine with the key files, never from the network, and every
  // batch is audited. Import may create any resource; export may read any resource.
  AccessDecision SystemImport(const AccessTarget& target) const;
  AccessDecision SystemExport(const AccessTarget& target) const;

  // The security officer's one way to patient data: the contact details (name, birth
  // date, telecom, address; FieldMask::kContactDetails) of a Patient, to notify them of
  // a breach of their data (GDPR art. 34). Only a Patient in a patient compartment, only
  // a read, only that mask; every other role is denied. The caller names the patients
  // from a verified breach report and audits the export.
  AccessDecision BreachNotificationContact(const identity::Principal& principal,
                                           const AccessTarget& target) const;

  // The detector's one read, without a principal: a Practitioner in the directory, to
  // compare its family name and home with the patients its account reaches (the snooping
  // feature, api::ClinicianKin, which asks only for the account's own). Directory
  // data only, never a patient's; nothing is shown to anyone.
  AccessDecision DetectorReadsClinician(const AccessTarget& target) const;

  // Registering a patient puts a registering physician in the new patient's care team:
  // the decision to write that first CareTeam, derived from the allowed Patient create.
  // Denied for anything else.
  AccessDecision RegistrationCareTeam(const identity::Principal& principal,
                                      const AccessDecision& patient_created) const;

  // Starting a care relationship (POST /access/care-relationships): a physician writes a
  // new CareTeam naming themselves into a patient's compartment. Restricted patients
  // join a physician's care only through someone already in their team.
  AccessDecision StartCare(const identity::Principal& principal,
                           const AccessTarget& careteam) const;

  // Whether the principal may search resources of `type` at all (results are then
  // still decided one by one). A role that can never see a type is refused up front.
  bool MaySearch(const identity::Principal& principal, fhir::ResourceType type) const;

  // Whether the principal's role may hold a break-the-glass grant or start a care
  // relationship (physicians and nurses; physicians only for starting care).
  static bool MayBreakGlass(identity::Role role);
  static bool MayStartCare(identity::Role role);

 private:
  const CareRelationships& care_;
};

}  // namespace medvault::access
