// Steps every FHIR interaction shares: finding a record's compartment, asking the
// Policy about it, and opening it through the RecordVault.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "api/request_context.h"
#include "api/services.h"
#include "fhir/resource.h"
#include "fhir/resource_type.h"
#include "identity/principal.h"
#include "store/records.h"

namespace medvault::api {

// The audit facts of a FHIR interaction on one resource type (and id, when known).
AuditFacts FactsFor(std::string_view interaction, fhir::ResourceType type,
                    std::string_view id = {});

// The compartment row of a stored resource (the patient's, or the directory's).
Result<store::CompartmentRow> LoadCompartment(store::Reader& reader, std::string_view id);

access::AccessTarget TargetOf(fhir::ResourceType type, const store::CompartmentRow& compartment);

// The patient a compartment stands for ("" for the directory): what audit entries list.
std::string PatientOf(const store::CompartmentRow& compartment);

// The error a denial answers with: 403 naming the reason, never resource content.
Error Denied(const access::AccessDecision& decision);

// The care links a CareTeam makes (empty unless it is active): what the store keeps for
// the Policy, replaced on every write of the team.
std::vector<store::CareLinkRow> CareLinksOf(const fhir::ResourceFacts& careteam,
                                            std::string_view careteam_id,
                                            std::string_view patient_id);

// A CareTeam putting `physician` (their Practitioner, on behalf of their organization)
// in `patient_id`'s care from `now`'s date; `reason` goes into reasonCode.text when set.
std::string CareTeamJson(std::string_view patient_id, const identity::Principal& physician,
                         std::string_view name, std::string_view reason, Time now);

// "T/id" → id, when T is `type`; otherwise nullopt.
std::optional<std::string> IdFromReference(std::string_view reference, std::string_view type);

}  // namespace medvault::api
