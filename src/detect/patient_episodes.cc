#include "detect/patient_episodes.h"

#include <algorithm>
#include <bit>

namespace medvault::detect {
namespace {

// Calls f(slot) for each set bit of `mask`.
template <typename F>
void ForEach(uint64_t mask, F&& f) {
  while (mask != 0) {
    f(std::countr_zero(mask));
    mask &= mask - 1;
  }
}

uint64_t Bit(int slot) { return uint64_t{1} << slot; }

}  // namespace

int64_t PatientEpisodes::DueMs(const PatientEpisode& e) const {
  return std::min(e.last_read_ms() + window_ms_, e.first_read_ms + longest_ms_);
}

bool PatientEpisodes::Written(const PatientEpisode& e) const {
  return e.last_write_ms >= e.first_read_ms - window_ms_;
}

int PatientEpisodes::Find(uint64_t patient) const {
  int found = -1;
  ForEach(in_use_, [&](int s) {
    if (patients_[static_cast<size_t>(s)] == patient) found = s;
  });
  return found;
}

void PatientEpisodes::ResolveOne(int slot, int64_t at_ms,
                                 std::vector<EpisodeResolution>& resolved) {
  const PatientEpisode& e = slots_[static_cast<size_t>(slot)];
  resolved.push_back(EpisodeResolution{e, Written(e), at_ms});
  open_ &= ~Bit(slot);
}

// A slot for a new patient: a free one, else the closed one whose last write is oldest
// (it only remembers a write), else the oldest open episode, resolved now.
int PatientEpisodes::Slot(int64_t now_ms, std::vector<EpisodeResolution>& resolved) {
  const Mask all = kCapacity == 64 ? ~Mask{0} : Bit(kCapacity) - 1;
  if ((in_use_ & all) != all) return std::countr_one(in_use_);
  int oldest_closed = -1, oldest_open = -1;
  ForEach(in_use_ & ~open_, [&](int s) {
    if (oldest_closed < 0 || slots_[static_cast<size_t>(s)].last_write_ms <
                                 slots_[static_cast<size_t>(oldest_closed)].last_write_ms)
      oldest_closed = s;
  });
  if (oldest_closed >= 0) return oldest_closed;
  ForEach(open_, [&](int s) {
    if (oldest_open < 0 || slots_[static_cast<size_t>(s)].first_read_ms <
                               slots_[static_cast<size_t>(oldest_open)].first_read_ms)
      oldest_open = s;
  });
  ResolveOne(oldest_open, now_ms, resolved);
  return oldest_open;
}

void PatientEpisodes::Mark(uint64_t patient, uint8_t flags) {
  const int s = Find(patient);
  if (s >= 0 && (open_ & Bit(s))) slots_[static_cast<size_t>(s)].flags |= flags;
}

bool PatientEpisodes::Read(uint64_t patient, int64_t now_ms, int64_t audit_seq, uint64_t session,
                           uint8_t flags, std::vector<EpisodeResolution>& resolved) {
  int s = Find(patient);
  if (s >= 0 && (open_ & Bit(s))) {
    PatientEpisode& e = slots_[static_cast<size_t>(s)];
    const int64_t read_for = std::max<int64_t>(0, (now_ms - e.first_read_ms) / 1000);
    e.read_for_s =
        std::max(e.read_for_s, static_cast<uint32_t>(std::min<int64_t>(read_for, UINT32_MAX)));
    return false;
  }
  // A new episode; a closed slot of the same patient keeps its last write (a write just
  // before this read counts).
  const int64_t last_write =
      s >= 0 ? slots_[static_cast<size_t>(s)].last_write_ms : PatientEpisode::kNever;
  if (s < 0) s = Slot(now_ms, resolved);
  PatientEpisode& e = slots_[static_cast<size_t>(s)];
  e = PatientEpisode{};
  e.audit_seq = audit_seq;
  e.first_read_ms = now_ms;
  e.last_write_ms = last_write;
  e.session = static_cast<uint32_t>(session);
  e.flags = flags;
  patients_[static_cast<size_t>(s)] = patient;
  in_use_ |= Bit(s);
  open_ |= Bit(s);
  return true;
}

void PatientEpisodes::Write(uint64_t patient, int64_t now_ms,
                            std::vector<EpisodeResolution>& resolved) {
  int s = Find(patient);
  if (s < 0) {
    // Remember the write: a read of this patient within the window counts as written.
    s = Slot(now_ms, resolved);
    slots_[static_cast<size_t>(s)] = PatientEpisode{};
    patients_[static_cast<size_t>(s)] = patient;
    in_use_ |= Bit(s);
  }
  PatientEpisode& e = slots_[static_cast<size_t>(s)];
  e.last_write_ms = std::max(e.last_write_ms, now_ms);
}

void PatientEpisodes::Resolve(int64_t now_ms, std::vector<EpisodeResolution>& resolved) {
  for (;;) {
    int due = -1;
    ForEach(open_, [&](int s) {
      const int64_t d = DueMs(slots_[static_cast<size_t>(s)]);
      if (d <= now_ms && (due < 0 || d < DueMs(slots_[static_cast<size_t>(due)]))) due = s;
    });
    if (due < 0) break;
    ResolveOne(due, DueMs(slots_[static_cast<size_t>(due)]), resolved);
  }
  // Closed slots whose write is too old to cover a future read are free again.
  ForEach(in_use_ & ~open_, [&](int s) {
    if (slots_[static_cast<size_t>(s)].last_write_ms < now_ms - window_ms_) in_use_ &= ~Bit(s);
  });
}

int64_t PatientEpisodes::next_resolution_ms() const {
  int64_t next = std::numeric_limits<int64_t>::max();
  ForEach(open_, [&](int s) { next = std::min(next, DueMs(slots_[static_cast<size_t>(s)])); });
  return next;
}

int PatientEpisodes::OpenUnwritten(uint8_t flags) const {
  int n = 0;
  ForEach(open_, [&](int s) {
    const PatientEpisode& e = slots_[static_cast<size_t>(s)];
    n += (e.flags & flags) == flags && !Written(e);
  });
  return n;
}

}  // namespace medvault::detect
