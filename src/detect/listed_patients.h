// Which patients an account was just shown in a list. A harvester enumerates its reach
// through result pages (its own patient list page by page, or searches by common
// names), then opens every patient listed and writes for none; a clinician picks one or
// two from a list and consults them. The last few listed patients are kept with when
// they were listed, so that a read can tell whether it opens a patient a list showed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace medvault::detect {

class ListedPatients {
 public:
  // A whole page at the largest _count (100): a harvester opens a page's patients
  // before it asks for the next.
  static constexpr size_t kCapacity = 100;

  // A result page at `now_ms` showed `patients` (HashIds), a list of several.
  void Listed(std::span<const uint64_t> patients, int64_t now_ms);
  // Whether `patient` was on a list shown in the `within_ms` before `now_ms`.
  bool WasListed(uint64_t patient, int64_t now_ms, int64_t within_ms) const;

 private:
  // 8 bytes an entry: the HashId's low half (a false match takes one chance in four
  // billion) and the minute it was listed.
  struct Entry {
    uint32_t patient = 0;
    uint32_t listed_minute = 0;
  };
  std::array<Entry, kCapacity> entries_{};
  size_t next_ = 0;  // the ring's oldest entry
};

}  // namespace medvault::detect
