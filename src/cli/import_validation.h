// One resource of an import file, validated as a FHIR create would validate it, with
// errors that say where it was found ("file:line: reason") and never quote its content.
// Apart from the Importer (which then places, seals and indexes it) so that fuzz/ can
// run it on arbitrary lines without a database.
#pragma once

#include "cli/import_file.h"
#include "common/result.h"
#include "fhir/resource.h"

namespace medvault::cli {

// The type is taken from the top-level resourceType; a resource of a type medvault does
// not store is refused.
Result<fhir::ValidatedResource> ValidateImportItem(const ImportItem& item);

}  // namespace medvault::cli
