// Runs jobs as one group of the writer: a first job holds the writer while they queue
// behind it, so that they are committed together, as a group of a loaded server is.
#pragma once

#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <vector>

#include "store/store.h"

namespace medvault::store {

// Queues `jobs` behind a job that holds the writer, runs `while_held` (e.g. to make the
// disk fail), lets the writer go and returns the jobs' outcomes in order.
inline std::vector<Status> RunAsOneGroup(Store& store, std::vector<WriteJob> jobs,
                                         const std::function<void()>& while_held = {}) {
  std::promise<void> release, holding;
  std::shared_future<void> released = release.get_future().share();
  store.Submit(
      [released, &holding](Transaction&) -> Status {
        holding.set_value();
        released.wait();
        return Ok();
      },
      [](Status) {});
  // The jobs are queued only once the writer runs the holder: queued earlier, a slow
  // writer thread would take some of them into the holder's group.
  holding.get_future().wait();
  std::mutex mu;
  std::vector<std::optional<Status>> outcomes(jobs.size());
  std::promise<void> all_done;
  size_t remaining = jobs.size();
  for (size_t i = 0; i < jobs.size(); ++i)
    store.Submit(std::move(jobs[i]), [&, i](Status s) {
      std::lock_guard lock(mu);
      outcomes[i] = std::move(s);
      if (--remaining == 0) all_done.set_value();
    });
  if (while_held) while_held();
  release.set_value();
  all_done.get_future().wait();
  std::vector<Status> done;
  for (auto& o : outcomes) done.push_back(std::move(*o));
  return done;
}

}  // namespace medvault::store
