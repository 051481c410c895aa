// Steps every FHIR interaction shares: finding a record's compartment, asking the
// Policy about it, and opening it through the RecordVault.
#pragma once

#include <optional>
#include <string>

#include "access/policy.h"
#include "api/request_context.h"
#include "api/services.h"
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

// "T/id" → id, when T is `type`; otherwise nullopt.
std::optional<std::string> IdFromReference(std::string_view reference, std::string_view type);

}  // namespace medvault::api
