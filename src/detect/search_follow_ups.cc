#include "detect/search_follow_ups.h"

#include <algorithm>
#include <bit>

namespace medvault::detect {

double SearchFollowUps::UnfollowedWeight(const PendingSearch& s) {
  if (s.followed) return 0;
  return s.returned_count > 0 ? 1.0 : 0.5;
}

double SearchFollowUps::Searched(std::span<const uint64_t> patients, int64_t now_ms) {
  const uint16_t bit = static_cast<uint16_t>(1u << next_);
  PendingSearch& slot = searches_[next_];
  next_ = (next_ + 1) % kSearches;
  const double pushed_out = (open_ & bit) ? UnfollowedWeight(slot) : 0.0;
  slot = PendingSearch{};
  slot.at_ms = now_ms;
  slot.returned_count = static_cast<uint8_t>(std::min(patients.size(), kPatientsPerSearch));
  std::copy_n(patients.begin(), slot.returned_count, slot.returned.begin());
  open_ |= bit;
  return pushed_out;
}

void SearchFollowUps::Opened(uint64_t patient, int64_t now_ms) {
  for (unsigned open = open_; open != 0; open &= open - 1) {
    PendingSearch& s = searches_[static_cast<size_t>(std::countr_zero(open))];
    if (s.followed || now_ms > s.at_ms + window_ms_) continue;
    const auto end = s.returned.begin() + s.returned_count;
    s.followed = std::find(s.returned.begin(), end, patient) != end;
  }
}

double SearchFollowUps::Resolve(int64_t now_ms) {
  double unfollowed = 0;
  for (unsigned open = open_; open != 0; open &= open - 1) {
    const int i = std::countr_zero(open);
    const PendingSearch& s = searches_[static_cast<size_t>(i)];
    if (s.at_ms + window_ms_ > now_ms) continue;
    unfollowed += UnfollowedWeight(s);
    open_ = static_cast<uint16_t>(open_ & ~(1u << i));
  }
  return unfollowed;
}

int64_t SearchFollowUps::next_resolution_ms() const {
  int64_t next = std::numeric_limits<int64_t>::max();
  for (unsigned open = open_; open != 0; open &= open - 1)
    next =
        std::min(next, searches_[static_cast<size_t>(std::countr_zero(open))].at_ms + window_ms_);
  return next;
}

}  // namespace medvault::detect
