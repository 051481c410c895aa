#include "access/denial_counter.h"

#include <iterator>

namespace medvault::access {

void DenialCounter::Prune(std::deque<int64_t>& times, int64_t now_ms) const {
  while (!times.empty() && times.front() <= now_ms - window_ms_) times.pop_front();
}

int64_t DenialCounter::Record(std::string_view account_id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  // Accounts whose window emptied are dropped on the way, so the map stays as small as
  // the set of recently refused accounts.
  if (refusals_.size() > 1024) {
    for (auto it = refusals_.begin(); it != refusals_.end();) {
      Prune(it->second, now_ms);
      it = it->second.empty() ? refusals_.erase(it) : std::next(it);
    }
  }
  auto& times = refusals_[std::string(account_id)];
  Prune(times, now_ms);
  times.push_back(now_ms);
  return static_cast<int64_t>(times.size());
}

int64_t DenialCounter::Count(std::string_view account_id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = refusals_.find(std::string(account_id));
  if (it == refusals_.end()) return 0;
  Prune(it->second, now_ms);
  return static_cast<int64_t>(it->second.size());
}

}  // namespace medvault::access
