// Runs jobs as one group of the writer: a first job holds the writer while they queue
// behind it, so that they are committed together, as a group of a loaded server is.
#pragma once

#include <functional>
#include <future>
#include <memory>
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
  // Each outcome goes through a promise of its own, owned with the callbacks: a
  // callback must touch nothing of this frame once it has reported, since this function
  // may return before the writer thread leaves the callback (a mutex on this stack,
  // unlocked after its frame was reused, aborted the process in CI).
  auto outcomes = std::make_shared<std::vector<std::promise<Status>>>(jobs.size());
  std::vector<std::future<Status>> reported;
  for (auto& promise : *outcomes) reported.push_back(promise.get_future());
  for (size_t i = 0; i < jobs.size(); ++i)
    store.Submit(std::move(jobs[i]),
                 [outcomes, i](Status s) { (*outcomes)[i].set_value(std::move(s)); });
  if (while_held) while_held();
  release.set_value();
  std::vector<Status> done;
  for (auto& outcome : reported) done.push_back(outcome.get());
  return done;
}

}  // namespace medvault::store
