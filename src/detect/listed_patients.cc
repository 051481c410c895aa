#include "detect/listed_patients.h"

#include <algorithm>

#include "detect/local_time.h"

namespace medvault::detect {
namespace {

uint32_t Minute(int64_t ms) { return static_cast<uint32_t>(std::max<int64_t>(0, ms / kMinuteMs)); }

}  // namespace

void ListedPatients::Listed(std::span<const uint64_t> patients, int64_t now_ms) {
  const uint32_t minute = Minute(now_ms);
  for (uint64_t hash : patients) {
    const auto patient = static_cast<uint32_t>(hash);
    // A patient listed again (the same page asked twice) keeps one entry, renewed.
    auto known = std::find_if(entries_.begin(), entries_.end(),
                              [&](const Entry& e) { return e.patient == patient; });
    if (known != entries_.end()) {
      known->listed_minute = minute;
      continue;
    }
    entries_[next_] = Entry{patient, minute};
    next_ = (next_ + 1) % kCapacity;
  }
}

bool ListedPatients::WasListed(uint64_t hash, int64_t now_ms, int64_t within_ms) const {
  const auto patient = static_cast<uint32_t>(hash);
  const uint32_t now = Minute(now_ms);
  const auto within = static_cast<uint32_t>(within_ms / kMinuteMs);
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return e.listed_minute != 0 && e.patient == patient && e.listed_minute <= now &&
           now - e.listed_minute <= within;
  });
}

}  // namespace medvault::detect
