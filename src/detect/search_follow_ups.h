// Whether directory searches led anywhere. An honest directory search looks for one
// patient and opens a file it returned; a sweep harvests the identities on the result
// pages and opens nothing. The last few searches are kept with a few of the patients
// each returned; a search is resolved once the follow-up window has passed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace medvault::detect {

class SearchFollowUps {
 public:
  static constexpr size_t kSearches = 16;
  static constexpr size_t kPatientsPerSearch = 4;

  explicit SearchFollowUps(int64_t window_ms) : window_ms_(window_ms) {}

  // A directory search at `now_ms` that returned `patients` (HashIds; the first few
  // are kept). Returns the unfollowed weight of a search pushed out unresolved (0 if none).
  double Searched(std::span<const uint64_t> patients, int64_t now_ms);
  // The account opened `patient`: searches of the window that returned it are followed.
  void Opened(uint64_t patient, int64_t now_ms);
  // Resolves the searches whose window passed; returns their unfollowed weight: 1 for a
  // search with results nobody opened, 0.5 for one that found nobody (a sweep guessing
  // names finds nobody often, an honest typo now and then).
  double Resolve(int64_t now_ms);
  int64_t next_resolution_ms() const;

 private:
  struct PendingSearch {
    int64_t at_ms = 0;
    std::array<uint64_t, kPatientsPerSearch> returned{};
    uint8_t returned_count = 0;
    bool followed = false;
  };
  static double UnfollowedWeight(const PendingSearch& s);

  const int64_t window_ms_;
  std::array<PendingSearch, kSearches> searches_{};
  uint16_t open_ = 0;  // bit i: search i awaits its resolution
  size_t next_ = 0;    // the ring's oldest slot
};

}  // namespace medvault::detect
