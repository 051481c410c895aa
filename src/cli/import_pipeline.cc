#include "cli/import_pipeline.h"

#include <algorithm>

namespace medvault::cli {

void ImportPipeline::Add(std::vector<ImportItem> items) {
  if (items.empty()) return;
  to_prepare_.push_back(std::move(items));
  Drain();
}

void ImportPipeline::Finish() {
  for (;;) {
    Drain();
    Settle();  // may queue batches to prepare again
    if (!to_prepare_.empty()) continue;
    if (pending_.empty()) return;
    Submit();
  }
}

void ImportPipeline::Reject(const std::vector<ImportItem>& items, const Error& error) {
  tally_.rejected += static_cast<int64_t>(items.size());
  ++tally_.bad_batches;
  reject_(items, error);
}

void ImportPipeline::Drain() {
  while (!to_prepare_.empty()) {
    std::vector<ImportItem> items = std::move(to_prepare_.front());
    to_prepare_.pop_front();
    auto batch = importer_.Prepare(items);
    if (!batch) {
      Reject(items, batch.error());
      continue;
    }
    pending_resources_ += items.size();
    pending_.push_back({std::move(items), std::move(*batch)});
    if (pending_resources_ >= target_) {
      Settle();
      Submit();  // (nothing when the settled group failed: pending went back to the queue)
    }
  }
}

void ImportPipeline::Submit() {
  if (pending_.empty()) return;
  target_ = std::min(std::max(target_, pending_resources_ * 2), options_.group_resources);
  Group group{std::move(pending_), {}};
  pending_.clear();
  pending_resources_ = 0;
  std::vector<std::shared_ptr<Importer::Batch>> batches;
  batches.reserve(group.entries.size());
  for (const Entry& e : group.entries) batches.push_back(e.batch);
  auto promise = std::make_shared<std::promise<Importer::GroupOutcome>>();
  group.outcome = promise->get_future();
  importer_.Commit(std::move(batches),
                   [promise](Importer::GroupOutcome o) { promise->set_value(std::move(o)); });
  in_flight_ = std::move(group);
}

void ImportPipeline::Settle() {
  if (!in_flight_) return;
  Group group = std::move(*in_flight_);
  in_flight_.reset();
  Importer::GroupOutcome outcome = group.outcome.get();
  if (outcome.status) {
    for (const Entry& e : group.entries) {
      importer_.Committed(*e.batch);
      tally_.imported += static_cast<int64_t>(e.items.size());
    }
    return;
  }
  // Nothing of the group went in, and the pending batches were prepared as if it had.
  for (const Entry& e : group.entries) importer_.Forget(*e.batch);
  for (const Entry& e : pending_) importer_.Forget(*e.batch);
  std::vector<std::vector<ImportItem>> again;
  for (size_t i = 0; i < group.entries.size(); ++i) {
    if (outcome.failed_batch && i != *outcome.failed_batch) {
      again.push_back(std::move(group.entries[i].items));
    } else {
      Reject(group.entries[i].items, outcome.status.error());
    }
  }
  for (Entry& e : pending_) again.push_back(std::move(e.items));
  pending_.clear();
  pending_resources_ = 0;
  to_prepare_.insert(to_prepare_.begin(), std::make_move_iterator(again.begin()),
                     std::make_move_iterator(again.end()));
}

}  // namespace medvault::cli
