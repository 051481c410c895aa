// The security facts of a resource that passed the schema walk: whose compartment it
// belongs to, which organization manages a patient, and its confidentiality label.
#pragma once

#include "common/result.h"
#include "fhir/json_tree.h"
#include "fhir/resource.h"

namespace medvault::fhir {

// Fills patient_reference, managing_organization and confidentiality (not references,
// which the schema walk lists). Errors are kUnprocessable: a patient-compartment
// resource whose compartment element does not reference a Patient, or a confidentiality
// code that HL7 v3 does not define.
Status CollectResourceFacts(const JsonTree& tree, ResourceType type, ResourceFacts& facts);

}  // namespace medvault::fhir
