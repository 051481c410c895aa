// Which patients an account read and wrote in the last half hour or so: the bounded
// recent window that decides whether a read was "unwritten". A clinician who consults a
// patient reads the file and writes an encounter or an observation within minutes (or
// wrote just before re-reading); a scraper only reads. An episode is a patient's reads
// by one account that follow each other within the window; once the window after its
// last read has passed, it is resolved: written if the account wrote for that patient
// from `window` before its first read to `window` after its last, unwritten otherwise.
//
// Fixed capacity: when a burst fills it, the oldest open episode is resolved early on
// what is known so far (a scraper fast enough to fill it does not write either). The
// slots in use are kept in bit masks, so that an honest account's one or two open
// episodes cost one or two slot visits, not a scan of the window.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace medvault::detect {

struct PatientEpisode {
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::min() / 2;
  // Flags: what the first read found.
  static constexpr uint8_t kOutOfHours = 1;
  static constexpr uint8_t kNight = 2;
  static constexpr uint8_t kNotInCare = 4;
  // Opened (read, not only listed) after a list of patients showed it (ListedPatients).
  static constexpr uint8_t kFromList = 8;
  // Shown by a list that had shown it within the week: a list looked at again (the
  // practice's Today screen), not new ground. Unless opened, not an unwritten read.
  static constexpr uint8_t kListedAgain = 16;

  int64_t audit_seq = -1;  // the first read's audit entry
  int64_t first_read_ms = kNever;
  int64_t last_write_ms = kNever;
  uint32_t session = 0;     // low half of the HashId of the first read's session
  uint32_t read_for_s = 0;  // seconds from the first read to the last
  uint8_t flags = 0;

  int64_t last_read_ms() const { return first_read_ms + int64_t{read_for_s} * 1000; }
};

struct EpisodeResolution {
  PatientEpisode episode;
  bool written = false;
  int64_t resolved_ms = 0;  // when its window passed (or when it was resolved early)
};

class PatientEpisodes {
 public:
  // A scraper kept under the burst budget (15 patients in 10 minutes) fills 45 slots in
  // a window; beyond, early resolution only makes its reads count sooner.
  static constexpr size_t kCapacity = 48;

  // `window_ms`: how far before and after a read a write counts. `longest_ms`: an
  // episode read on and on is still judged this long after its first read.
  PatientEpisodes(int64_t window_ms, int64_t longest_ms)
      : window_ms_(window_ms), longest_ms_(longest_ms) {}

  // A read of `patient` (a HashId) at `now_ms`. Returns true when it opens a new episode
  // (no open episode of that patient). An episode resolved early to make room goes to
  // `resolved`.
  bool Read(uint64_t patient, int64_t now_ms, int64_t audit_seq, uint64_t session, uint8_t flags,
            std::vector<EpisodeResolution>& resolved);
  void Write(uint64_t patient, int64_t now_ms, std::vector<EpisodeResolution>& resolved);
  // Adds `flags` to the open episode of `patient`, if any (what a later read found).
  void Mark(uint64_t patient, uint8_t flags);

  // Resolves, oldest first, every open episode whose window has passed by `now_ms`.
  void Resolve(int64_t now_ms, std::vector<EpisodeResolution>& resolved);
  // When the next open episode resolves: INT64_MAX when none is open.
  int64_t next_resolution_ms() const;
  // Open episodes with all of `flags` and no write for their patient so far.
  int OpenUnwritten(uint8_t flags) const;

 private:
  using Mask = uint64_t;
  static_assert(kCapacity <= 64, "slots are tracked in a 64-bit mask");

  int64_t DueMs(const PatientEpisode& e) const;
  bool Written(const PatientEpisode& e) const;
  int Find(uint64_t patient) const;  // -1 when absent
  int Slot(int64_t now_ms, std::vector<EpisodeResolution>& resolved);
  void ResolveOne(int slot, int64_t at_ms, std::vector<EpisodeResolution>& resolved);

  const int64_t window_ms_;
  const int64_t longest_ms_;
  Mask in_use_ = 0;  // a read episode or a remembered write
  Mask open_ = 0;    // read, not yet resolved
  std::array<uint64_t, kCapacity> patients_{};
  std::array<PatientEpisode, kCapacity> slots_{};
};

}  // namespace medvault::detect
