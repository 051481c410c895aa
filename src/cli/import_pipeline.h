// The import's flow of batches: each batch is prepared (validated, sealed, indexed) on
// the calling thread while the writer commits the group before it, and several batches
// share one transaction (a group). With random ids every batch changes pages all over
// each index b-tree; a page that several batches of a group change is written to the
// WAL, and later into the database file, once per commit instead of once per batch.
//
// Each batch still goes in whole or not at all, with its audit entry: a group runs
// without savepoints, so when one batch fails at write time the whole transaction
// rolls back, that batch is rejected, and the others are prepared and committed again
// without it (a batch prepared after it may have leaned on its patients, so it is
// prepared again rather than reused). A crash loses the group being committed and the
// one being prepared, never part of a batch.
#pragma once

#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <vector>

#include "cli/importer.h"

namespace medvault::cli {

class ImportPipeline {
 public:
  struct Options {
    // A group is committed once it holds this many resources (whole batches). Bounded
    // by memory: the group being committed and the one being prepared are both held,
    // sealed, in memory, beside SQLite's cache of 512 MiB (StoreOptions::bulk_load):
    // `medvault import` of 100,000 patients stays at 1.8 GB resident with 200,000,
    // 1.2 GB with 100,000, 4.8 GB with 400,000 and a cache of 2 GiB.
    size_t group_resources = 200'000;
    // The first group's size; each group after is at most twice the one before, so the
    // writer starts while the first batch is still the only one prepared.
    size_t first_group_resources = 1;
  };
  struct Tally {
    int64_t imported = 0;     // resources committed
    int64_t rejected = 0;     // resources in rejected batches
    int64_t bad_batches = 0;  // batches rejected
  };
  // `reject` hears of every rejected batch: its items and why.
  using RejectFn = std::function<void(const std::vector<ImportItem>&, const Error&)>;

  ImportPipeline(Importer& importer, Options options, RejectFn reject)
      : importer_(importer),
        options_(options),
        reject_(std::move(reject)),
        target_(options.first_group_resources) {}

  // Prepares the batch; commits the group when it is large enough (waiting for the
  // group before it first).
  void Add(std::vector<ImportItem> items);
  // Commits what is left and waits until every batch is in or rejected.
  void Finish();
  const Tally& tally() const { return tally_; }

 private:
  struct Entry {
    std::vector<ImportItem> items;
    std::shared_ptr<Importer::Batch> batch;
  };
  struct Group {
    std::vector<Entry> entries;
    std::future<Importer::GroupOutcome> outcome;
  };

  // Prepares the queued batches, committing groups as they fill.
  void Drain();
  void Reject(const std::vector<ImportItem>& items, const Error& error);
  // Pending batches -> a group in flight.
  void Submit();
  // Waits for the group in flight. On failure, queues its batches but the bad one (and
  // the pending ones, prepared after it) to be prepared again.
  void Settle();

  Importer& importer_;
  Options options_;
  RejectFn reject_;
  size_t target_;                                   // resources at which pending is submitted
  std::deque<std::vector<ImportItem>> to_prepare_;  // in file order
  std::vector<Entry> pending_;                      // prepared, not submitted yet
  size_t pending_resources_ = 0;
  std::optional<Group> in_flight_;
  Tally tally_;
};

}  // namespace medvault::cli
