// Bulk import: each resource goes through the same validation, placement, sealing and
// blind indexing as a FHIR create, under the Policy's operator-import decision, and a
// batch commits in one transaction with its audit entry, or not at all.
//
// Ids: a resource keeps the id it carries (so references inside the files hold, and an
// export imports back to the same resources); one without an id gets a new one. An id
// that already exists is an error: import never overwrites.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>

#include "cli/import_file.h"
#include "cli/runtime.h"

namespace medvault::cli {

class Importer {
 public:
  explicit Importer(Runtime& rt) : rt_(rt) {}

  // A batch validated, placed, sealed and indexed: ready to commit.
  struct Batch;

  // Prepares every item or fails naming the first bad one ("file:line: reason"; the
  // reason never quotes the resource's content). The batch's patients count as present
  // for the batches prepared after it, until Forget() says its commit failed; so batch
  // N+1 can be prepared while batch N commits.
  Result<std::shared_ptr<Batch>> Prepare(std::span<const ImportItem> items);
  // Hands the batch to the writer: it commits whole, with its audit entry, or not at
  // all. `done` runs on the writer's thread.
  void Commit(std::shared_ptr<Batch> batch, std::function<void(Status)> done);
  // After a failed commit: its patients are not there after all.
  void Forget(const Batch& batch);

  // Prepare, commit and wait.
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
  // The ids of the batch prepared last, which may not be committed yet.
  std::set<std::string> previous_ids_;
  std::optional<store::CompartmentRow> directory_;
};

}  // namespace medvault::cli
