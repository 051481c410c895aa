// Bulk import: each resource goes through the same validation, placement, sealing and
// blind indexing as a FHIR create, under the Policy's operator-import decision, and a
// batch commits in one transaction with its audit entry, or not at all.
//
// Ids: a resource keeps the id it carries (so references inside the files hold, and an
// export imports back to the same resources); one without an id gets a new one. An id
// that already exists is an error: import never overwrites.
#pragma once

#include <map>
#include <span>
#include <string>

#include "cli/import_file.h"
#include "cli/runtime.h"

namespace medvault::cli {

class Importer {
 public:
  explicit Importer(Runtime& rt) : rt_(rt) {}

  // Imports every item or none. The error names the first bad item ("file:line:
  // reason"); the reason never quotes the resource's content.
  Status ImportBatch(std::span<const ImportItem> items);

 private:
  struct Prepared;
  // `batch` holds the batch's new patients' compartments (by id) and every id seen in
  // the batch ("Type/id").
  Result<Prepared> Prepare(const ImportItem& item,
                           std::map<std::string, store::CompartmentRow>& batch, int64_t now_ms);
  Result<store::CompartmentRow> CompartmentOf(const std::string& patient_id);
  Result<store::CompartmentRow> Directory();

  Runtime& rt_;
  // Compartments of recently imported patients: files list a patient's resources
  // together, so a small cache saves most lookups. Cleared when it grows large.
  std::map<std::string, store::CompartmentRow> recent_;
  std::optional<store::CompartmentRow> directory_;
};

}  // namespace medvault::cli
