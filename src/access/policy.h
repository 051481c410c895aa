// The Policy: the one place that says whether a principal may do something to a
// resource. Its only output is an AccessDecision, which nothing else can construct;
// the RecordVault decrypts or seals patient data only for an allowing decision whose
// target matches the record. Every new kind of access therefore starts denied.
#pragma once

#include <string>
#include <string_view>

#include "fhir/resource_type.h"
#include "identity/principal.h"

namespace medvault::access {

enum class Action {
  kRead,    // read, vread, history
  kSearch,  // appearing in search results
  kCreate,
  kUpdate,
  kDelete,
};

std::string_view NameOf(Action action);

// Which parts of a resource the caller may see.
enum class FieldMask {
  kFull,
  kMinimalIdentity,  // name, birth date, gender, organization (directory results)
};

// What is being accessed, as known before decryption.
struct AccessTarget {
  fhir::ResourceType type = fhir::ResourceType::kPatient;
  std::string compartment;      // the patient's id, or store::kDirectoryCompartment
  std::string organization_id;  // the patient's managing organization ("" if none)
  std::string confidentiality;  // "", "N", "R", "V"
};

class AccessDecision {
 public:
  bool allowed() const { return allowed_; }
  // Why, in words safe to show the caller and to audit (no patient data).
  const std::string& reason() const { return reason_; }
  FieldMask mask() const { return mask_; }
  Action action() const { return action_; }
  const AccessTarget& target() const { return target_; }

 private:
  friend class Policy;
  AccessDecision(bool allowed, std::string reason, FieldMask mask, Action action,
                 AccessTarget target)
      : allowed_(allowed),
        reason_(std::move(reason)),
        mask_(mask),
        action_(action),
        target_(std::move(target)) {}

  bool allowed_;
  std::string reason_;
  FieldMask mask_;
  Action action_;
  AccessTarget target_;
};

class Policy {
 public:
  AccessDecision Decide(const identity::Principal& principal, Action action,
                        const AccessTarget& target) const;

  // The one decision granted without a principal: creating the directory compartment
  // and writing practitioners and organizations into it, for `medvault init` and
  // `medvault demo`, which run with the operator's access to the key files. Never
  // patient data.
  AccessDecision SystemDirectoryWrite(Action action, fhir::ResourceType type) const;

  // The operator's bulk transfers, `medvault import` and `medvault export`: they run
  // on the server's machine with the key files, never from the network, and every
  // batch is audited. Import may create any resource; export may read any resource.
  AccessDecision SystemImport(const AccessTarget& target) const;
  AccessDecision SystemExport(const AccessTarget& target) const;

  // Whether the principal may search resources of `type` at all (results are then
  // still decided one by one). A role that can never see a type is refused up front.
  bool MaySearch(const identity::Principal& principal, fhir::ResourceType type) const;
};

}  // namespace medvault::access
