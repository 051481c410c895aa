// A small deterministic clinic for the detector's tests: honest clinicians' days, their
// rare honest exceptions, and the attackers of DRILL.md riding their accounts, all as
// DetectionEvents on a simulated clock (day 0 is Monday 2026-01-05, local time).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "detect/detection_event.h"
#include "detect/local_time.h"
#include "detect/risk_scorer.h"

namespace medvault::detect::clinic {

using Kind = DetectionEvent::Kind;
using identity::Role;

inline constexpr int64_t kMonday = 20458 * kDayMs;  // 2026-01-05 00:00
inline int64_t At(int day, int hour, int minute = 0) {
  return kMonday + day * kDayMs + hour * kHourMs + minute * kMinuteMs;
}

// splitmix64: the same sequence on every platform (std distributions are not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return static_cast<double>(Next() % 1'000'000) < p * 1'000'000; }

 private:
  uint64_t state_;
};

// Pseudonymous ids shaped like the server's UUIDs.
inline std::string PatientId(int n) {
  char id[40];
  std::snprintf(id, sizeof id, "8f2c1a5e-0000-4000-8000-%012d", n);
  return id;
}

struct Clinician {
  std::string account;
  Role role = Role::kPhysician;
  int first_patient = 0;  // the panel: [first_patient, first_patient + panel)
  int panel = 1200;
  std::string address = "10.0.0.1";
  std::string user_agent = "Mozilla/5.0 Firefox/128.0";

  int RandomPatient(Rng& rng) const { return first_patient + rng.Between(0, panel - 1); }
  std::string Session(int day) const { return account + "-session-" + std::to_string(day); }
};

inline DetectionEvent Event(const Clinician& c, int64_t t, Kind kind,
                            std::vector<int> patients = {}, int status = 200) {
  DetectionEvent e;
  e.time_ms = t;
  e.account_id = c.account;
  e.role = c.role;
  e.session_id = c.Session(static_cast<int>((t - kMonday) / kDayMs));
  e.client_address = c.address;
  e.user_agent = c.user_agent;
  e.kind = kind;
  e.status = status;
  for (int p : patients) e.patients.push_back(DetectionEvent::Patient{PatientId(p)});
  return e;
}

// One consultation: sometimes a directory search first, the patient's file, its
// observations, conditions and documents, then a write within minutes.
inline void Consultation(const Clinician& c, int patient, int64_t t, Rng& rng,
                         std::vector<DetectionEvent>& out, bool in_care = true) {
  if (rng.Chance(0.3))
    out.push_back(Event(c, t, Kind::kDirectorySearch, {patient, patient + 7, patient + 13}));
  std::vector<DetectionEvent> visit;
  visit.push_back(Event(c, t + kMinuteMs, Kind::kRead, {patient}));
  for (int i = 0; i < 3; ++i)
    visit.push_back(Event(c, t + (2 + i) * kMinuteMs, Kind::kSearch, {patient}));
  visit.push_back(Event(c, t + rng.Between(8, 20) * kMinuteMs, Kind::kWrite, {patient}));
  for (DetectionEvent& e : visit) {
    for (auto& p : e.patients) p.in_care = in_care;
    out.push_back(std::move(e));
  }
}

// Reads a patient's file and results without writing anything.
inline void UnwrittenRead(const Clinician& c, int patient, int64_t t,
                          std::vector<DetectionEvent>& out, bool in_care = true) {
  out.push_back(Event(c, t, Kind::kRead, {patient}));
  out.push_back(Event(c, t + 20'000, Kind::kSearch, {patient}));
  if (!in_care)
    for (auto it = out.end() - 2; it != out.end(); ++it) it->patients[0].in_care = false;
}

// Spreads `n` starts over [from_hour, to_hour) of `day`.
inline std::vector<int64_t> Spread(int day, int from_hour, int to_hour, int n, Rng& rng) {
  std::vector<int64_t> starts;
  const int64_t span = (to_hour - from_hour) * kHourMs;
  for (int i = 0; i < n; ++i) {
    const int64_t slot = span / std::max(n, 1);
    starts.push_back(At(day, from_hour) + i * slot +
                     static_cast<int64_t>(rng.Next() % static_cast<uint64_t>(slot / 2 + 1)));
  }
  return starts;
}

// An honest day: a GP sees 24–30 patients on Mondays, 18–26 other weekdays, 8–12 on
// some Saturday mornings, nobody on Sundays, and reads a result or two without writing;
// a secretary opens 40–80 files on weekdays, mostly after a directory search, and
// writes little.
inline void HonestDay(const Clinician& c, int day, Rng& rng, std::vector<DetectionEvent>& out) {
  const int weekday = day % 7;
  if (weekday == 6) return;
  const bool saturday = weekday == 5;
  if (saturday && !rng.Chance(0.4)) return;
  const int end_hour = saturday ? 12 : 19;
  out.push_back(Event(c, At(day, 7, 50), Kind::kLogin));
  if (c.role == Role::kSecretary) {
    const int n = saturday ? rng.Between(10, 20) : rng.Between(40, 80);
    for (int64_t t : Spread(day, 8, end_hour, n, rng)) {
      const int patient = c.RandomPatient(rng);
      if (rng.Chance(0.6))
        out.push_back(Event(c, t, Kind::kDirectorySearch, {patient, patient + 3}));
      out.push_back(Event(c, t + kMinuteMs, Kind::kRead, {patient}));
      if (rng.Chance(0.05)) out.push_back(Event(c, t + 3 * kMinuteMs, Kind::kWrite, {patient}));
    }
    return;
  }
  const int n =
      saturday ? rng.Between(8, 12) : (weekday == 0 ? rng.Between(24, 30) : rng.Between(18, 26));
  for (int64_t t : Spread(day, 8, end_hour, n, rng))
    Consultation(c, c.RandomPatient(rng), t, rng, out);
  const int result_checks = rng.Between(0, 2);
  for (int64_t t : Spread(day, 9, end_hour, result_checks, rng))
    out.push_back(Event(c, t, Kind::kRead, {c.RandomPatient(rng)}));
}

// An attacker riding stolen accounts: the day's traffic, and per account what it took
// (the distinct patients whose data reached it: any 2xx read or search, every patient
// on a page) and what it had taken when the account was contained. Containment is the
// level `contains`: a step-up stops a thief without the second factor (stolen
// credentials, or a victim asleep); a thief sharing a victim's live session is only
// stopped by a suspension, since the victim answers the step-ups.
struct Attack {
  explicit Attack(Level containing_level) : contains(containing_level) {}

  Level contains;
  std::vector<DetectionEvent> events;
  std::map<std::string, std::set<std::string>> taken;
  // Per account, what it had taken when it first reached each level.
  std::map<std::string, std::map<Level, size_t>> taken_at;

  size_t Taken(const std::string& account) const {
    auto it = taken.find(account);
    return it == taken.end() ? 0 : it->second.size();
  }
  // What the account had taken when it first reached `level` or above; -1 if it never did.
  long TakenAt(const std::string& account, Level level) const {
    auto it = taken_at.find(account);
    if (it == taken_at.end()) return -1;
    auto at = it->second.lower_bound(level);
    return at == it->second.end() ? -1 : static_cast<long>(at->second);
  }
  bool Contained(const std::string& account) const { return TakenAt(account, contains) >= 0; }
  size_t TotalTaken() const {
    std::set<std::string> all;
    for (const auto& [account, patients] : taken) all.insert(patients.begin(), patients.end());
    return all.size();
  }
};

// ---- rare honest exceptions ----

// Back from holidays: 60 patients' results reviewed without writing, 8:00–10:30, then
// a normal day of consultations.
inline void HolidayCatchUp(const Clinician& c, int day, Rng& rng,
                           std::vector<DetectionEvent>& out) {
  out.push_back(Event(c, At(day, 7, 50), Kind::kLogin));
  for (int i = 0; i < 60; ++i)
    UnwrittenRead(c, c.RandomPatient(rng), At(day, 8) + i * 150'000, out);
  for (int64_t t : Spread(day, 10, 19, rng.Between(16, 22), rng))
    Consultation(c, c.RandomPatient(rng), t, rng, out);
}

// A night on call, 20:00–07:00: `calls` patients seen and written for, and a phone
// advice or two read without writing.
inline void NightOnCall(const Clinician& c, int day, int calls, Rng& rng,
                        std::vector<DetectionEvent>& out) {
  const size_t first = out.size();
  out.push_back(Event(c, At(day, 19, 55), Kind::kLogin));
  for (int i = 0; i < calls; ++i)
    Consultation(c, c.RandomPatient(rng), At(day, 20) + i * (11 * kHourMs / calls), rng, out);
  for (int i = 0; i < rng.Between(1, 2); ++i)
    UnwrittenRead(c, c.RandomPatient(rng), At(day, 21, 30) + i * 3 * kHourMs, out);
  // One session for the night, from its own login.
  for (size_t i = first; i < out.size(); ++i)
    out[i].session_id = c.account + "-night-" + std::to_string(day);
}

// A locum day: the colleague's patients (outside this account's care) seen and written
// for alongside a few of the account's own.
inline void LocumDay(const Clinician& c, const Clinician& colleague, int day, Rng& rng,
                     std::vector<DetectionEvent>& out) {
  out.push_back(Event(c, At(day, 7, 50), Kind::kLogin));
  auto starts = Spread(day, 8, 19, 28, rng);
  for (size_t i = 0; i < starts.size(); ++i) {
    const bool colleagues = i % 2 == 0;
    Consultation(c, colleagues ? colleague.RandomPatient(rng) : c.RandomPatient(rng), starts[i],
                 rng, out, /*in_care=*/!colleagues);
  }
}

// A justified break-the-glass: a patient outside care, granted, consulted and written for.
inline void JustifiedBreakGlass(const Clinician& c, int patient, int64_t t, Rng& rng,
                                std::vector<DetectionEvent>& out) {
  out.push_back(Event(c, t, Kind::kBreakGlass, {patient}));
  out.back().patients[0].in_care = false;
  Consultation(c, patient, t + kMinuteMs, rng, out, /*in_care=*/false);
}

// Feeds events in time order (stable for equal times), numbering their audit entries.
class Feeder {
 public:
  explicit Feeder(RiskScorer& scorer) : scorer_(scorer) {}

  // Feeds honest events and, interleaved by time, the attack's, each stolen account's
  // until it is contained.
  std::vector<Escalation> Feed(std::vector<DetectionEvent>& honest, Attack* attack = nullptr) {
    std::vector<DetectionEvent> none;
    std::vector<DetectionEvent>& hostile = attack != nullptr ? attack->events : none;
    auto by_time = [](const auto& a, const auto& b) { return a.time_ms < b.time_ms; };
    std::stable_sort(honest.begin(), honest.end(), by_time);
    std::stable_sort(hostile.begin(), hostile.end(), by_time);
    std::vector<Escalation> all;
    size_t h = 0, x = 0;
    while (h < honest.size() || x < hostile.size()) {
      const bool from_attack =
          x < hostile.size() && (h == honest.size() || hostile[x].time_ms < honest[h].time_ms);
      DetectionEvent& e = from_attack ? hostile[x++] : honest[h++];
      if (from_attack && attack->Contained(e.account_id)) continue;
      e.audit_seq = ++seq_;
      if (from_attack) {
        auto& taken = attack->taken[e.account_id];
        if (e.status >= 200 && e.status < 300 &&
            (e.kind == Kind::kRead || e.kind == Kind::kSearch || e.kind == Kind::kDirectorySearch))
          for (const auto& p : e.patients) taken.insert(p.id);
      }
      Collect(scorer_.Observe(e), attack, all);
    }
    honest.clear();
    hostile.clear();
    return all;
  }
  std::vector<Escalation> AdvanceTo(int64_t t, Attack* attack = nullptr) {
    std::vector<Escalation> all;
    Collect(scorer_.Advance(t), attack, all);
    return all;
  }

 private:
  static void Collect(std::vector<Escalation> escalations, Attack* attack,
                      std::vector<Escalation>& all) {
    for (Escalation& esc : escalations) {
      if (attack != nullptr && attack->taken.contains(esc.account_id))
        attack->taken_at[esc.account_id].emplace(esc.level, attack->Taken(esc.account_id));
      all.push_back(std::move(esc));
    }
  }

  RiskScorer& scorer_;
  int64_t seq_ = 0;
};

inline Level HighestLevel(const std::vector<Escalation>& escalations, const std::string& account) {
  Level highest = Level::kNone;
  for (const Escalation& e : escalations)
    if (e.account_id == account) highest = std::max(highest, e.level);
  return highest;
}

// Weeks of honest history for `clinicians` (days [0, days)), so baselines are learned.
inline std::vector<Escalation> HonestHistory(Feeder& feeder,
                                             const std::vector<Clinician>& clinicians, int days,
                                             Rng& rng) {
  std::vector<Escalation> all;
  for (int day = 0; day < days; ++day) {
    std::vector<DetectionEvent> events;
    for (const Clinician& c : clinicians) HonestDay(c, day, rng, events);
    for (Escalation& e : feeder.Feed(events)) all.push_back(std::move(e));
  }
  for (Escalation& e : feeder.AdvanceTo(At(days, 0))) all.push_back(std::move(e));
  return all;
}

// ---- the practices of the tests ----

inline constexpr int kHistory = 28;  // four weeks of honest work; day 28 is a Monday

inline Clinician Gp(int n) {
  Clinician c;
  c.account = "gp-" + std::to_string(n);
  c.first_patient = n * 10'000;
  c.address = "10.0." + std::to_string(n % 250) + ".1";
  return c;
}

inline Clinician Secretary(int n) {
  Clinician c;
  c.account = "secretary-" + std::to_string(n);
  c.role = Role::kSecretary;
  c.first_patient = 0;
  c.panel = 3600;  // the practice's three GPs' patients
  return c;
}

inline std::vector<Clinician> Practice() { return {Gp(0), Gp(1), Gp(2), Secretary(0)}; }

inline bool Working(int day) { return day % 7 < 5; }

inline bool Names(const std::vector<ExplanationLine>& lines, std::string_view feature) {
  for (const ExplanationLine& l : lines)
    if (l.feature == feature) return true;
  return false;
}

inline const Escalation* First(const std::vector<Escalation>& escalations,
                               const std::string& account, Level level) {
  for (const Escalation& e : escalations)
    if (e.account_id == account && e.level >= level) return &e;
  return nullptr;
}

// A practice (three GPs and a secretary) that has worked `history` days when the test
// begins, so that every account has baselines of its own.
struct PracticeAfter {
  explicit PracticeAfter(uint64_t seed, int history = kHistory) : rng(seed) {
    escalations = HonestHistory(feeder, staff, history, rng);
  }

  // One more day: everyone's honest work but the `away` accounts', the `extra` events
  // and the attack's.
  void Day(int day, std::vector<DetectionEvent> extra = {}, Attack* attack = nullptr,
           const std::set<std::string>& away = {}) {
    for (const Clinician& c : staff)
      if (!away.contains(c.account)) HonestDay(c, day, rng, extra);
    for (Escalation& e : feeder.Feed(extra, attack)) escalations.push_back(std::move(e));
  }
  Level Highest(const Clinician& c) const { return HighestLevel(escalations, c.account); }

  RiskScorer scorer;
  Feeder feeder{scorer};
  Rng rng;
  std::vector<Clinician> staff = Practice();
  std::vector<Escalation> escalations;
};

}  // namespace medvault::detect::clinic
