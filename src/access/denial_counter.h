// Counts each account's refused requests (403) over a sliding window. A clinician who
// works within their care scope is almost never refused; a stolen account walking
// through patient ids is refused again and again. The count feeds an alert now and the
// detector later.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace medvault::access {

class DenialCounter {
 public:
  explicit DenialCounter(int64_t window_ms = 10 * 60 * 1000, int64_t alert_every = 20)
      : window_ms_(window_ms), alert_every_(alert_every) {}

  // Records a refusal at `now_ms`; returns the account's refusals within the window.
  int64_t Record(std::string_view account_id, int64_t now_ms);
  // The account's refusals within the window ending at `now_ms`.
  int64_t Count(std::string_view account_id, int64_t now_ms);
  // Whether a count Record returned is one the security officer must hear about: the
  // threshold, then every further multiple of it.
  bool ShouldAlert(int64_t count) const { return count > 0 && count % alert_every_ == 0; }
  int64_t window_ms() const { return window_ms_; }

 private:
  void Prune(std::deque<int64_t>& times, int64_t now_ms) const;

  const int64_t window_ms_;
  const int64_t alert_every_;
  std::mutex mu_;
  std::unordered_map<std::string, std::deque<int64_t>> refusals_;
};

}  // namespace medvault::access
