// The schema walk: checks a parsed resource element by element against the R4 tables
// in schema_*.cc and lists the references it holds.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "fhir/json_tree.h"
#include "fhir/resource.h"
#include "fhir/schema.h"

namespace medvault::fhir {

// Checks the root object of `tree` against `schema` (a resource schema; the root's
// resourceType member must already have been checked). Errors are kUnprocessable with
// the element's location in `expression`. Appends every literal reference to
// `references`, in document order, as LiteralReference::Target() writes it.
Status ValidateAgainstSchema(const JsonTree& tree, const DataType& schema, ReferenceMode mode,
                             std::vector<std::string>& references);

}  // namespace medvault::fhir
