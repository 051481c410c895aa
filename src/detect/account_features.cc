#include "detect/account_features.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace medvault::detect {
namespace {

// Coverage is re-estimated after this many new patients (a merge of 30 sketches).
constexpr int kCoverageEvery = 16;
// Out-of-hours units: the start of a stretch, a read resolved unwritten, one resolved
// written (a write is what an honest night on call leaves behind).
constexpr double kStretchUnits = 2;
constexpr double kUnwrittenOutOfHoursUnits = 1;
constexpr double kWrittenOutOfHoursUnits = 0.1;
// Out-of-care units: opened, and resolved unwritten (a locum writes, a snoop does not).
constexpr double kOutOfCareUnits = 0.25;
constexpr double kOutOfCareUnwrittenUnits = 1.5;
// Confidential patients: in care, outside care.
constexpr double kConfidentialUnits = 1;
constexpr double kConfidentialOutOfCareUnits = 3;

bool Success(int status) { return status >= 200 && status < 300; }

// A page showing more than one patient: a list.
bool Several(std::span<const uint64_t> patients) {
  return std::any_of(patients.begin(), patients.end(),
                     [&](uint64_t p) { return p != patients.front(); });
}

uint64_t ClientOf(const DetectionEvent& e) {
  return HashId(e.client_address) * 0x9e3779b97f4a7c15ULL + HashId(e.user_agent);
}

}  // namespace

AccountFeatures::AccountFeatures(identity::Role role, const AccountFeatureOptions& options)
    : options_(&options),
      profile_(&options.ProfileOf(role)),
      role_(role),
      episodes_(options.write_window_ms, options.longest_episode_ms),
      searches_(options.write_window_ms) {
  day_patients_.fill(HyperLogLog(kDayPrecision));
  day_of_slot_.fill(std::numeric_limits<int32_t>::min());
  grants_.fill(PatientEpisode::kNever);
}

size_t AccountFeatures::MemoryBytes() const {
  size_t bytes = sizeof(*this) + resolutions_.capacity() * sizeof(EpisodeResolution);
  for (const HyperLogLog& h : day_patients_) bytes += h.MemoryBytes();
  return bytes;
}

void AccountFeatures::Emit(AccountUpdate& u, Feature f, double units, double value, double usual,
                           double threshold, double detail, const EventContext& c) const {
  u.readings.push_back(
      FeatureReading{f, units, value, usual, threshold, detail, c.time_ms, c.audit_seq, c.session});
}

// ---- time ----

void AccountFeatures::Advance(int64_t now_ms, AccountUpdate& u) {
  now_ms = std::max(now_ms, last_ms_);
  // Resolve in time order, the calendar rolled to each resolution: an unwritten read
  // belongs to the hour and day its window ended in, not to whenever we look.
  for (int64_t due = next_due_ms_; due <= now_ms; due = next_due_ms_) {
    RollTo(due);
    episodes_.Resolve(due, resolutions_);
    ProcessResolutions(u);
    if (double unfollowed = searches_.Resolve(due); unfollowed > 0)
      Unfollowed(unfollowed, EventContext{due, -1, 0}, u);
    UpdateNextDue();
  }
  RollTo(now_ms);
  last_ms_ = now_ms;
}

void AccountFeatures::RollTo(int64_t now_ms) {
  const LocalTime t = ToLocal(now_ms, options_->local_time_offset_ms);
  if (t.hour_index != hour_index_) {
    CloseHour();
    hour_index_ = t.hour_index;
    hour_of_week_ = t.hour_of_week();
  }
  if (t.day != today_) CloseDay(t.day);
}

void AccountFeatures::CloseHour() {
  if (active_this_hour_) {
    // Presence is learned from hours with writes, or hours already usual: a night of
    // reads without writes does not teach the account that it works at night.
    const bool usual = habits_.UsualHour(hour_of_week_, *profile_, options_->habit_min_presence,
                                         options_->usual_hour_share);
    habits_.LearnHour(hour_of_week_, suspicious_today_ ? 0 : new_patients_this_hour_,
                      wrote_this_hour_ || usual, options_->baseline_alpha);
  }
  active_this_hour_ = false;
  wrote_this_hour_ = false;
  new_patients_this_hour_ = 0;
  hour_volume_emitted_ = 0;
}

void AccountFeatures::CloseDay(int64_t new_day) {
  if (working_today_) {
    // An unusual day teaches at most the edge of usual, and slowly: a slow attacker's
    // days must neither widen the baseline they are judged against (one day far out
    // would double the sd) nor walk it up day by day. A real change of habits is still
    // learned, over months instead of weeks.
    if (!suspicious_today_) {
      const double patients = VolumeDayThreshold().threshold;
      const double unwritten = UnwrittenDayThreshold().threshold;
      auto alpha = [&](bool unusual) {
        return options_->baseline_alpha * (unusual && Warm() ? options_->unusual_day_weight : 1.0);
      };
      habits_.LearnDay(std::min(patients_today_, patients), alpha(patients_today_ > patients),
                       std::min<double>(unwritten_today_, unwritten),
                       alpha(unwritten_today_ > unwritten));
    }
    last_working_day_ = today_;
  }
  if (today_ != PatientEpisode::kNever) {
    const int64_t days = new_day - today_;
    habits_.FadePresence(days, options_->habit_half_life_ms);
    unwritten_days_ = days >= 8 ? 0 : static_cast<uint8_t>(unwritten_days_ << days);
  }
  today_ = new_day;
  working_today_ = returning_today_ = suspicious_today_ = false;
  patients_today_ = day_volume_emitted_ = unwritten_hour_units_emitted_ = 0;
  unwritten_today_ = 0;
  unwritten_by_hour_.fill(0);
  unwritten_day_counted_ = false;
  out_of_care_today_ = out_of_care_unwritten_today_ = 0;
  confidential_today_ = confidential_out_of_care_today_ = snooping_today_ = 0;
  list_harvest_today_ = 0;
}

void AccountFeatures::StartWorkingDay() {
  if (working_today_) return;
  working_today_ = true;
  returning_today_ = last_working_day_ != PatientEpisode::kNever &&
                     today_ - last_working_day_ - 1 >= options_->absence_days;
}

HyperLogLog& AccountFeatures::TodayPatients() {
  const auto slot = static_cast<size_t>(((today_ % 30) + 30) % 30);
  if (day_of_slot_[slot] != today_) {
    day_patients_[slot].Clear();
    day_of_slot_[slot] = static_cast<int32_t>(today_);
  }
  return day_patients_[slot];
}

// ---- events ----

void AccountFeatures::Observe(const DetectionEvent& e, uint64_t session,
                              std::span<const uint64_t> patients, AccountUpdate& u) {
  const int64_t now = std::max(e.time_ms, last_ms_);
  Advance(now, u);
  last_activity_ms_ = now;
  active_this_hour_ = true;
  const EventContext c{now, e.audit_seq, session};
  const LocalTime t = ToLocal(now, options_->local_time_offset_ms);
  const bool usual = habits_.UsualHour(t.hour_of_week(), *profile_, options_->habit_min_presence,
                                       options_->usual_hour_share);
  CheckClient(e, c, u);
  if (!usual && e.kind != DetectionEvent::Kind::kOther) OutOfHoursActivity(t, c, u);
  const bool ok = Success(e.status);
  const size_t n = std::min(patients.size(), e.patients.size());
  switch (e.kind) {
    case DetectionEvent::Kind::kRead:
    case DetectionEvent::Kind::kSearch:
      if (ok) {
        const bool list = e.patient_list && Several(patients.first(n));
        for (size_t i = 0; i < n; ++i) {
          const bool again =
              list && listed_.WasListed(patients[i], now, options_->listed_within_ms);
          PatientRead(e.patients[i], patients[i], t, usual, again, c, u);
        }
        ListedOrOpened(patients.first(n), list, now);
      } else if (e.kind == DetectionEvent::Kind::kRead && (e.status == 403 || e.status == 404)) {
        Refused(c, u);
      }
      break;
    case DetectionEvent::Kind::kDirectorySearch:
      if (!ok) break;
      // A page of several is a list; a directory lookup of one opens nobody.
      if (Several(patients.first(n))) listed_.Listed(patients.first(n), now);
      if (double pushed_out = searches_.Searched(patients.first(n), now); pushed_out > 0)
        Unfollowed(pushed_out, c, u);
      break;
    case DetectionEvent::Kind::kWrite:
      if (!ok) break;
      for (size_t i = 0; i < n; ++i) episodes_.Write(patients[i], now, resolutions_);
      wrote_this_hour_ = true;
      break;
    case DetectionEvent::Kind::kBreakGlass:
      if (ok) BreakGlass(c, u);
      break;
    case DetectionEvent::Kind::kStartCare:
      // Taking a relative or neighbour into one's own care is how a relative in the same practice
      // is reached without breaking the glass; the reads that follow are in care.
      if (ok)
        for (size_t i = 0; i < e.patients.size(); ++i)
          if (e.patients[i].shares_clinician_name_or_home)
            Emit(u, Feature::kSnooping, 1, ++snooping_today_, 0, 0, 0, c);
      break;
    case DetectionEvent::Kind::kLogin:
    case DetectionEvent::Kind::kOther: break;
  }
  ProcessResolutions(u);  // episodes pushed out of a full window
  UpdateNextDue();
}

// A list's patients are remembered as listed (a list is also a read of each: the
// practice's list shows who they are). Any other read opens its patients; when a list
// showed one of them within the window, its episode is marked as opened from a list.
void AccountFeatures::ListedOrOpened(std::span<const uint64_t> patients, bool list,
                                     int64_t now_ms) {
  if (list) {
    listed_.Listed(patients, now_ms);
    return;
  }
  for (uint64_t patient : patients)
    if (listed_.WasListed(patient, now_ms, options_->listed_within_ms))
      episodes_.Mark(patient, PatientEpisode::kFromList);
}

void AccountFeatures::CheckClient(const DetectionEvent& e, const EventContext& c,
                                  AccountUpdate& u) {
  const uint64_t client = ClientOf(e);
  for (SessionClient& s : session_clients_) {
    if (s.session != c.session || c.session == 0) continue;
    if (s.client != client && !s.moved) {
      s.moved = true;
      Emit(u, Feature::kSessionMoved, 1, 2, 1, 1, 0, c);
    }
    return;
  }
  // A session not seen before: remember its client, and whether the client is new.
  session_clients_[next_session_slot_] = SessionClient{c.session, client, false};
  next_session_slot_ = (next_session_slot_ + 1) % kSessions;
  auto known = std::find(known_clients_.begin(), known_clients_.end(), client);
  const auto known_count = static_cast<double>(
      std::count_if(known_clients_.begin(), known_clients_.end(), [](uint64_t k) { return k; }));
  if (known == known_clients_.end()) {
    // A new account's first clients are all new; only an account with a past has habits.
    if (known_count > 0 && habits_.working_days() >= 3)
      Emit(u, Feature::kNewClient, 1, 1, known_count, 0, 0, c);
    known = known_clients_.end() - 1;  // the least recently used goes
  }
  std::rotate(known_clients_.begin(), known, known + 1);
  known_clients_[0] = client;
}

void AccountFeatures::OutOfHoursActivity(const LocalTime& t, const EventContext& c,
                                         AccountUpdate& u) {
  if (c.time_ms - last_out_of_hours_ms_ > options_->out_of_hours_stretch_ms) {
    stretch_start_hour_ = t.hour;
    out_of_hours_patients_ = 0;
    open_unwritten_high_water_ = 0;
    Emit(u, Feature::kOutOfHours, kStretchUnits * (t.night() ? options_->night_weight : 1.0), 0, 0,
         options_->open_unwritten_allowance, stretch_start_hour_, c);
  }
  last_out_of_hours_ms_ = c.time_ms;
}

void AccountFeatures::PatientRead(const DetectionEvent::Patient& p, uint64_t hash,
                                  const LocalTime& t, bool usual, bool listed_again,
                                  const EventContext& c, AccountUpdate& u) {
  StartWorkingDay();
  searches_.Opened(hash, c.time_ms);
  if (TodayPatients().Add(hash)) {
    patients_today_ = TodayPatients().Estimate();
    CheckVolumeDay(c, u);
    if (++coverage_changes_ >= kCoverageEvery) CheckCoverage(c, u);
  }
  uint8_t flags = 0;
  if (!usual) flags |= PatientEpisode::kOutOfHours;
  if (t.night()) flags |= PatientEpisode::kNight;
  if (!p.in_care) flags |= PatientEpisode::kNotInCare;
  if (listed_again) flags |= PatientEpisode::kListedAgain;
  if (!episodes_.Read(hash, c.time_ms, c.audit_seq, c.session, flags, resolutions_)) return;

  ++u.new_patients;
  ++new_patients_this_hour_;
  CheckVolumeHour(c, u);
  if (!p.in_care)
    Emit(u, Feature::kOutOfCare, kOutOfCareUnits, ++out_of_care_today_, 0, 0,
         out_of_care_unwritten_today_, c);
  if (p.confidential) {
    confidential_out_of_care_today_ += !p.in_care;
    Emit(u, Feature::kConfidential, p.in_care ? kConfidentialUnits : kConfidentialOutOfCareUnits,
         ++confidential_today_, 0, 0, confidential_out_of_care_today_, c);
  }
  if (p.shares_clinician_name_or_home)
    Emit(u, Feature::kSnooping, 1, ++snooping_today_, 0, 0, 0, c);
  if (!usual) {
    // Reads piling up without writes in hours the account does not work: counted as they
    // come (a night harvest must not get half an hour's head start), past the one or two
    // patients a clinician on call has open at once.
    ++out_of_hours_patients_;
    const int over =
        episodes_.OpenUnwritten(PatientEpisode::kOutOfHours) - options_->open_unwritten_allowance;
    if (over > open_unwritten_high_water_) {
      const double weight = t.night() ? options_->night_weight : 1.0;
      Emit(u, Feature::kOutOfHours, (over - open_unwritten_high_water_) * weight,
           out_of_hours_patients_, 0, options_->open_unwritten_allowance, stretch_start_hour_, c);
      open_unwritten_high_water_ = over;
    }
  }
}

void AccountFeatures::ProcessResolutions(AccountUpdate& u) {
  for (const EpisodeResolution& r : resolutions_) Resolved(r, u);
  resolutions_.clear();
}

void AccountFeatures::Resolved(const EpisodeResolution& r, AccountUpdate& u) {
  const PatientEpisode& e = r.episode;
  const EventContext c{r.resolved_ms, e.audit_seq, e.session};
  if (e.flags & PatientEpisode::kOutOfHours) {
    const double weight = (e.flags & PatientEpisode::kNight) ? options_->night_weight : 1.0;
    Emit(u, Feature::kOutOfHours,
         (r.written ? kWrittenOutOfHoursUnits : kUnwrittenOutOfHoursUnits) * weight,
         out_of_hours_patients_, 0, options_->open_unwritten_allowance, stretch_start_hour_, c);
  }
  if (r.written) return;
  // A list looked at again is not a file read: what is new on a list still counts,
  // as does whatever is opened from it.
  if ((e.flags & PatientEpisode::kListedAgain) && !(e.flags & PatientEpisode::kFromList)) return;
  if (e.flags & PatientEpisode::kNotInCare)
    Emit(u, Feature::kOutOfCare, kOutOfCareUnwrittenUnits, out_of_care_today_, 0, 0,
         ++out_of_care_unwritten_today_, c);
  if (!profile_->reads_lead_to_writes) return;
  // Back from an absence, a clinician works through the list of what came in: that
  // day's catch-up is its own business (the unwritten-read features still weigh it).
  if ((e.flags & PatientEpisode::kFromList) && !returning_today_ &&
      ++list_harvest_today_ > options_->list_harvest_allowance)
    Emit(u, Feature::kListHarvest, 1, list_harvest_today_, 0, options_->list_harvest_allowance, 0,
         c);
  ++u.unwritten_resolved;
  ++unwritten_today_;
  const LocalTime read = ToLocal(e.first_read_ms, options_->local_time_offset_ms);
  const LocalTime now = ToLocal(r.resolved_ms, options_->local_time_offset_ms);
  auto& in_hour =
      unwritten_by_hour_[static_cast<size_t>(read.day == today_ ? read.hour : now.hour)];
  in_hour = static_cast<uint8_t>(std::min(255, in_hour + 1));
  CheckUnwrittenHours(c, u);
  CheckUnwrittenDay(c, u);
}

void AccountFeatures::Refused(const EventContext& c, AccountUpdate& u) {
  const double count = refusals_.Add(1, c.time_ms, options_->refusal_half_life_ms);
  if (count > options_->refusals_allowance)
    Emit(u, Feature::kRefusals, std::min(1.0, count - options_->refusals_allowance), count, 0,
         options_->refusals_allowance, 0, c);
}

void AccountFeatures::Unfollowed(double weight, const EventContext& c, AccountUpdate& u) {
  const double allowance = profile_->unfollowed_searches_allowance;
  const double count = unfollowed_searches_.Add(weight, c.time_ms, options_->search_half_life_ms);
  if (count > allowance)
    Emit(u, Feature::kDirectorySweep, std::min(weight, count - allowance), count, 0, allowance, 0,
         c);
}

void AccountFeatures::BreakGlass(const EventContext& c, AccountUpdate& u) {
  grants_[next_grant_] = c.time_ms;
  next_grant_ = (next_grant_ + 1) % kGrants;
  const auto in_window =
      static_cast<double>(std::count_if(grants_.begin(), grants_.end(), [&](int64_t g) {
        return g > c.time_ms - options_->break_glass_window_ms;
      }));
  // The n-th grant in a week is worth n units: one is routine, a habit is not.
  Emit(u, Feature::kBreakGlass, in_window, in_window, 0, 1, 0, c);
}

}  // namespace medvault::detect
