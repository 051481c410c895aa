// Bulk import: each resource goes through the same validation, placement, sealing and
// blind indexing as a FHIR create, under the Policy's operator-import decision, and a
// batch commits with its audit entry, or not at all. Several batches may share one
// transaction (a group, see Commit).
//
// Ids: a resource keeps the id it carries (so references inside the files hold, and an
// export imports back to the same resources); one without an id gets a new one. An id
// that already exists is an error: import never overwrites.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "cli/import_file.h"
#include "cli/runtime.h"

namespace medvault::cli {

class Importer {
 public:
  explicit Importer(Runtime& rt) : rt_(rt) {}

  // A batch validated, placed, sealed and indexed: ready to commit.
  struct Batch;

  // Prepares every item or fails naming the first bad one ("file:line: reason"; the
  // reason never quotes the resource's content). The batch's patients and ids count as
  // present for the batches prepared after it until it is settled (Committed or
  // Forget); so later batches can be prepared while earlier ones commit.
  Result<std::shared_ptr<Batch>> Prepare(std::span<const ImportItem> items);

  // How a group's transaction ended: committed, or failed with `status`. `failed_batch`
  // is the index of the batch whose writes failed; nullopt when the storage refused the
  // transaction itself (unavailable: nothing of the group could go in now).
  struct GroupOutcome {
    Status status = Ok();
    std::optional<size_t> failed_batch;
  };
  // Hands the batches to the writer as one transaction, in order, each with its audit
  // entry. There is no savepoint per batch (SQLite's statement journal made them dear):
  // when a batch fails, the whole transaction rolls back and the outcome names that
  // batch, so that the caller can commit the others again without it. `done` runs on
  // the writer's thread.
  void Commit(std::vector<std::shared_ptr<Batch>> group, std::function<void(GroupOutcome)> done);
  // After a commit: the batch's resources are in the database for the readers.
  void Committed(const Batch& batch);
  // After a failed commit: its patients and ids are not there after all.
  void Forget(const Batch& batch);

  // Prepare, commit and wait.
  Status ImportBatch(std::span<const ImportItem> items);

 private:
  struct Prepared;
  using CompartmentsById = std::unordered_map<std::string, store::CompartmentRow>;
  // `batch` holds the batch's new patients' compartments (by id) and every id seen in
  // the batch ("Type/id").
  Result<Prepared> Prepare(const ImportItem& item, CompartmentsById& batch, int64_t now_ms);
  Result<store::CompartmentRow> CompartmentOf(const std::string& patient_id);
  Result<store::CompartmentRow> Directory();

  Runtime& rt_;
  // Compartments of recently imported patients: files list a patient's resources
  // together, so a small cache saves most lookups. Cleared when it grows large.
  CompartmentsById recent_;
  // What the batches prepared but not settled yet hold, which the readers cannot see
  // yet: their new patients' compartments, and their ids as Batch::seen files them.
  CompartmentsById unsettled_patients_;
  std::unordered_set<std::string> unsettled_ids_;
  std::optional<store::CompartmentRow> directory_;
};

}  // namespace medvault::cli
