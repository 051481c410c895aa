#include "cli/drill_honest.h"

#include <algorithm>
#include <memory>

namespace medvault::cli {
namespace {

// Random streams of the drill (the population uses its own).
constexpr uint64_t kPlanStream = 1'000'001;
constexpr uint64_t kExceptionStream = 1'000'002;
constexpr uint64_t kListStream = 1'000'004;  // 1'000'003 is the attacks'

// A physician's working weekday sometimes includes a look at the practice's list of
// recently updated patients (the web application's Today screen), opening one to three
// of them to check their results, without writing.
constexpr double kListCheckChance = 0.3;

// Honest exceptions per physician (docs/DETECTION.md states the assumptions).
constexpr int64_t kMinWeeksBetweenHolidays = 12;
constexpr int64_t kMaxWeeksBetweenHolidays = 26;
constexpr double kCoverChance = 0.7;         // a colleague covers an absence
constexpr double kOnCallChance = 1.0 / 150;  // per working weekday
constexpr double kBreakGlassChance = 1.0 / 200;

std::string Subject(const DrillPatient& p) { return R"({"reference":"Patient/)" + p.id + R"("})"; }

std::string EncounterJson(const DrillPatient& p) {
  return R"({"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":)" +
         Subject(p) + "}";
}

std::string HeartRateJson(const DrillPatient& p, int64_t rate) {
  return R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":)" +
         Subject(p) + R"(,"valueQuantity":{"value":)" + std::to_string(rate) +
         R"(,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})";
}

std::string DirectorySearch(const DrillPatient& p) {
  return "/fhir/Patient?family=" + PercentEncode(p.family) + "&birthdate=" + p.birth_date;
}

}  // namespace

bool Worker::away(int day) const {
  return std::ranges::any_of(holidays, [day](auto h) { return day >= h.first && day <= h.second; });
}

HonestWork::HonestWork(const DrillOptions& options, const DrillPopulation& population,
                       DrillClient& client, Timeline& timeline, HonestRecord& record)
    : options_(options),
      pop_(population),
      client_(client),
      timeline_(timeline),
      h_(record),
      plan_rng_(options.seed, kPlanStream),
      exception_rng_(options.seed, kExceptionStream),
      list_rng_(options.seed, kListStream) {}

void HonestWork::Cast(const std::set<const LoadedAccount*>& absent,
                      const std::map<const LoadedAccount*, AccountTake*>& riding) {
  for (const LoadedAccount& a : pop_.accounts) {
    if (absent.contains(&a)) continue;
    auto w = std::make_unique<Worker>();
    w->account = &a;
    std::vector<std::unique_ptr<Worker>>* team = nullptr;
    if (a.role == identity::Role::kSecretary) {
      team = &secretaries_;
      w->address = "10.1." + std::to_string(secretaries_.size() / 250) + "." +
                   std::to_string(secretaries_.size() % 250 + 1);
      auto it = pop_.by_organization.find(a.organization_id);
      if (it != pop_.by_organization.end()) w->patients = it->second;
    } else if (a.role == identity::Role::kPhysician || a.role == identity::Role::kNurse) {
      team = a.role == identity::Role::kPhysician ? &physicians_ : &nurses_;
      w->address = std::string(a.role == identity::Role::kPhysician ? "10.0." : "10.2.") +
                   std::to_string(team->size() / 250) + "." +
                   std::to_string(team->size() % 250 + 1);
      auto it = pop_.active_by_practitioner.find(a.practitioner_id);
      if (it != pop_.active_by_practitioner.end()) w->patients = it->second;
      if (a.role == identity::Role::kPhysician) {
        auto& practice = practice_patients_[a.organization_id];
        practice.insert(practice.end(), w->patients.begin(), w->patients.end());
      }
    }
    if (team == nullptr || w->patients.empty()) continue;
    auto ride = riding.find(&a);
    if (ride != riding.end()) w->victim_of = ride->second;
    w->session = std::make_unique<DrillSession>(client_, a, w->address);
    team->push_back(std::move(w));
  }
}

Worker* HonestWork::WorkerOf(const LoadedAccount* account) {
  for (auto* team : {&physicians_, &nurses_, &secretaries_})
    for (auto& w : *team)
      if (w->account == account) return w.get();
  return nullptr;
}

// Holidays of one or two weeks (Monday to Sunday), 12 to 26 weeks apart, the drill
// falling anywhere in that cycle; a colleague of the practice often covers the first
// working days of the absence.
void HonestWork::PlanHolidays() {
  std::map<std::string, std::vector<Worker*>> practices;
  for (auto& w : physicians_) {
    if (!Counts(*w)) continue;
    practices[w->account->organization_id].push_back(w.get());
    int64_t weeks = exception_rng_.Chance(0.5) ? 1 : 2;
    int64_t week = exception_rng_.Between(-weeks, kMaxWeeksBetweenHolidays);
    while (week * 7 < options_.days) {
      w->holidays.push_back({static_cast<int>(week * 7), static_cast<int>((week + weeks) * 7 - 1)});
      week += weeks + exception_rng_.Between(kMinWeeksBetweenHolidays, kMaxWeeksBetweenHolidays);
      weeks = exception_rng_.Chance(0.5) ? 1 : 2;
    }
  }
  for (auto& [organization, team] : practices) {
    for (Worker* absent : team) {
      for (auto [first, last] : absent->holidays) {
        if (team.size() < 2 || !exception_rng_.Chance(kCoverChance)) continue;
        size_t locum = exception_rng_.Below(team.size());
        if (team[locum] == absent) locum = (locum + 1) % team.size();
        Cover cover{team[locum], absent, {}};
        const int64_t wanted = exception_rng_.Between(2, 5);
        for (int day = std::max(first, 0); day <= last && day < options_.days; ++day) {
          if (static_cast<int64_t>(cover.days.size()) >= wanted) break;
          if (WeekdayAt(options_.DayStart(day)) < 5 && !cover.locum->away(day))
            cover.days.push_back(day);
        }
        if (!cover.days.empty()) covers_.push_back(std::move(cover));
      }
    }
  }
}

void HonestWork::PlanDay(int day) {
  const int weekday = WeekdayAt(options_.DayStart(day));
  if (weekday == 6) return;  // Sunday
  for (auto& w : physicians_) PlanPhysician(*w, day, weekday);
  for (auto& w : nurses_) PlanNurse(*w, day, weekday);
  if (weekday == 5) return;
  for (auto& w : secretaries_) PlanSecretary(*w, day);
}

void HonestWork::PlanPhysician(Worker& w, int day, int weekday) {
  const int64_t start = options_.DayStart(day);
  const bool saturday = weekday == 5;
  if (w.away(day)) {
    if (!saturday) ++h_.holiday_days;
    return;
  }
  if (saturday && !plan_rng_.Chance(0.4)) return;
  if (Counts(w)) {
    ++h_.physician_days;
    ++h_.clinician_days;
  }
  int64_t begin = start + (saturday ? 8 * kHour + 30 * kMinute : 8 * kHour) +
                  plan_rng_.Between(0, 20) * kMinute;
  const int64_t end = start + (saturday ? 12 * kHour + 30 * kMinute : 19 * kHour);
  int64_t n = saturday ? plan_rng_.Between(8, 12)
                       : (weekday == 0 ? plan_rng_.Between(24, 30) : plan_rng_.Between(18, 26));
  int64_t login_at = begin - 5 * kMinute;
  if (Counts(w) && !saturday) {
    const bool back =
        std::ranges::any_of(w.holidays, [day](auto h) { return h.second + 1 == day; });
    if (back) {
      int64_t catch_up = start + 7 * kHour + exception_rng_.Between(0, 15) * kMinute;
      login_at = catch_up - 5 * kMinute;
      begin = std::max(begin, CatchUp(w, catch_up) + 5 * kMinute);
    }
    if (exception_rng_.Chance(kOnCallChance))
      OnCall(w, start + 20 * kHour + 30 * kMinute + exception_rng_.Between(0, 20) * kMinute);
    if (exception_rng_.Chance(kBreakGlassChance))
      BreakTheGlass(w, start + 14 * kHour + exception_rng_.Between(0, 180) * kMinute);
  }
  // The day's patients: their own, and an absent colleague's when covering today.
  std::vector<std::pair<size_t, std::string>> seen;
  for (int64_t k = 0; k < n; ++k)
    seen.push_back({w.patients[plan_rng_.Below(w.patients.size())], ""});
  for (const Cover& cover : covers_) {
    if (cover.locum != &w || std::ranges::find(cover.days, day) == cover.days.end()) continue;
    ++h_.locum_days;
    if (cover.days.front() == day) {
      ++h_.locum_covers;
      ++h_.exceptions;
    }
    const std::string reason =
        "Remplacement de " + cover.absent->account->username + " pendant ses congés";
    for (int64_t k = exception_rng_.Between(4, 8); k > 0; --k) {
      size_t at = plan_rng_.Below(seen.size() + 1);
      seen.insert(
          seen.begin() + static_cast<std::ptrdiff_t>(at),
          {cover.absent->patients[exception_rng_.Below(cover.absent->patients.size())], reason});
    }
  }
  timeline_.At(login_at, [this, &w] { LogIn(w); });
  if (!saturday && list_rng_.Chance(kListCheckChance))
    ListCheck(w, start + list_rng_.Between(9 * 60, 17 * 60) * kMinute);
  const int64_t span = end - begin;
  for (size_t k = 0; k < seen.size(); ++k) {
    int64_t at = begin + span * static_cast<int64_t>(k) / static_cast<int64_t>(seen.size()) +
                 plan_rng_.Between(0, 5) * kMinute;
    Consult(w, at, seen[k].first, seen[k].second);
  }
}

// Nurses: home and practice visits (injections, dressings, checks), mornings and late
// afternoons, each reading the patient and recent measures and recording one.
void HonestWork::PlanNurse(Worker& w, int day, int weekday) {
  if (weekday == 5 && !plan_rng_.Chance(0.3)) return;
  if (Counts(w)) {
    ++h_.nurse_days;
    ++h_.clinician_days;
  }
  const int64_t start = options_.DayStart(day);
  const int64_t n = weekday == 5 ? plan_rng_.Between(3, 6) : plan_rng_.Between(8, 14);
  const int64_t morning = weekday == 5 ? n : (n * 3 + 4) / 5;
  timeline_.At(start + 7 * kHour + 20 * kMinute, [this, &w] { LogIn(w); });
  for (int64_t k = 0; k < n; ++k) {
    int64_t at = k < morning ? start + 7 * kHour + 30 * kMinute + 4 * kHour * k / morning
                             : start + 14 * kHour + 4 * kHour * (k - morning) / (n - morning);
    Visit(w, at + plan_rng_.Between(0, 10) * kMinute,
          w.patients[plan_rng_.Below(w.patients.size())]);
  }
}

void HonestWork::PlanSecretary(Worker& w, int day) {
  if (Counts(w)) ++h_.secretary_days;
  const int64_t begin = options_.DayStart(day) + 8 * kHour + 30 * kMinute;
  const int64_t n = plan_rng_.Between(40, 80);
  timeline_.At(begin - 5 * kMinute, [this, &w] { LogIn(w); });
  for (int64_t k = 0; k < n; ++k) {
    int64_t at = begin + 10 * kHour * k / n + plan_rng_.Between(0, 4) * kMinute;
    size_t patient = w.patients[plan_rng_.Below(w.patients.size())];
    timeline_.At(at, [this, &w, patient] {
      if (!w.session->logged_in()) return;
      if (Counts(w)) ++h_.files_opened;
      Send(w, "GET", "/fhir/Patient/" + pop_.patients[patient].id);
    });
  }
}

void HonestWork::Consult(Worker& w, int64_t at_ms, size_t index, std::string care_reason) {
  const DrillPatient& p = pop_.patients[index];
  std::vector<Timeline::Step> steps;
  steps.push_back({0, [this, &w, index, &p, care_reason] {
                     if (!w.session->logged_in()) return false;
                     if (Counts(w)) ++h_.consultations;
                     if (!care_reason.empty() && !StartCare(w, index, care_reason)) return false;
                     if (plan_rng_.Chance(0.3)) Send(w, "GET", DirectorySearch(p));
                     return true;
                   }});
  steps.push_back(
      {20 * kSecond, [this, &w, &p] { return Send(w, "GET", "/fhir/Patient/" + p.id).ok(); }});
  for (const char* type : {"Observation", "Condition", "DocumentReference"})
    steps.push_back({30 * kSecond, [this, &w, &p, type] {
                       Send(w, "GET", std::string("/fhir/") + type + "?patient=" + p.id);
                       return true;
                     }});
  steps.push_back({5 * kMinute, [this, &w, &p] {
                     if (plan_rng_.Chance(0.5))
                       Send(w, "POST", "/fhir/Encounter", EncounterJson(p));
                     else
                       Send(w, "POST", "/fhir/Observation",
                            HeartRateJson(p, plan_rng_.Between(55, 95)));
                     return true;
                   }});
  timeline_.Sequence(at_ms, std::move(steps));
}

void HonestWork::Visit(Worker& w, int64_t at_ms, size_t index) {
  const DrillPatient& p = pop_.patients[index];
  timeline_.Sequence(at_ms, {{0,
                              [this, &w, &p] {
                                if (!w.session->logged_in()) return false;
                                if (Counts(w)) ++h_.nurse_visits;
                                return Send(w, "GET", "/fhir/Patient/" + p.id).ok();
                              }},
                             {1 * kMinute,
                              [this, &w, &p] {
                                Send(w, "GET", "/fhir/Observation?patient=" + p.id);
                                return true;
                              }},
                             {12 * kMinute, [this, &w, &p] {
                                Send(w, "POST", "/fhir/Observation",
                                     HeartRateJson(p, plan_rng_.Between(55, 95)));
                                return true;
                              }}});
}

void HonestWork::ListCheck(Worker& w, int64_t at_ms) {
  auto listed = std::make_shared<std::vector<std::string>>();
  const auto opened = static_cast<size_t>(list_rng_.Between(1, 3));
  std::vector<Timeline::Step> steps;
  steps.push_back({0, [this, &w, listed] {
                     if (!w.session->logged_in()) return false;
                     if (Counts(w)) ++h_.list_checks;
                     DrillResponse r =
                         Send(w, "GET",
                              "/fhir/Patient?organization=Organization/" +
                                  w.account->organization_id + "&_sort=-_lastUpdated&_count=10");
                     if (!r.ok()) return false;
                     for (const std::string& id : PatientsIn(r.body)) listed->push_back(id);
                     return !listed->empty();
                   }});
  for (size_t k = 0; k < opened; ++k) {
    steps.push_back({list_rng_.Between(1, 3) * kMinute, [this, &w, listed, k] {
                       const std::string& id = (*listed)[k % listed->size()];
                       Send(w, "GET", "/fhir/Patient/" + id);
                       return true;
                     }});
    steps.push_back({30 * kSecond, [this, &w, listed, k] {
                       Send(w, "GET", "/fhir/Observation?patient=" + (*listed)[k % listed->size()]);
                       return true;
                     }});
  }
  timeline_.Sequence(at_ms, std::move(steps));
}

bool HonestWork::StartCare(Worker& w, size_t patient, const std::string& reason) {
  if (std::ranges::find(w.patients, patient) != w.patients.end() || w.cared_for.contains(patient))
    return true;
  DrillResponse r =
      Send(w, "POST", "/access/care-relationships",
           R"({"patient":")" + pop_.patients[patient].id + R"(","reason":")" + reason + R"("})");
  if (!r.ok() && r.status != 409) return false;
  if (r.ok() && Counts(w)) ++h_.care_started;
  w.cared_for.insert(patient);
  return true;
}

// Back from holidays: the results that came in, patient by patient, 1.5 to 3 minutes
// each (a result review takes a minute or two), before the first consultation.
int64_t HonestWork::CatchUp(Worker& w, int64_t start_ms) {
  ++h_.catch_ups;
  ++h_.exceptions;
  std::vector<Timeline::Step> steps;
  int64_t at = start_ms;
  for (int64_t n = exception_rng_.Between(40, 80); n > 0; --n) {
    const DrillPatient& p = pop_.patients[w.patients[exception_rng_.Below(w.patients.size())]];
    const bool report = exception_rng_.Chance(0.5);
    const int64_t pace = exception_rng_.Between(90, 180) * kSecond;
    steps.push_back({steps.empty() ? 0 : pace, [this, &w, &p, report] {
                       if (!w.session->logged_in()) return false;
                       Send(w, "GET", "/fhir/Observation?patient=" + p.id);
                       if (report) Send(w, "GET", "/fhir/DocumentReference?patient=" + p.id);
                       return true;
                     }});
    at += steps.size() == 1 ? 0 : pace;
  }
  timeline_.Sequence(start_ms, std::move(steps));
  return at;
}

// A night on call for the practice: unscheduled consultations from 20:30 on, some of
// them colleagues' patients (care is started with the reason), each with a write.
void HonestWork::OnCall(Worker& w, int64_t start_ms) {
  ++h_.on_call_nights;
  ++h_.exceptions;
  const std::vector<size_t>& practice = practice_patients_[w.account->organization_id];
  int64_t at = start_ms;
  for (int64_t n = exception_rng_.Between(3, 7); n > 0; --n) {
    Consult(w, at, practice[exception_rng_.Below(practice.size())],
            "Garde : consultation non programmée hors heures d'ouverture");
    at += exception_rng_.Between(25, 50) * kMinute;
  }
  timeline_.At(start_ms - kMinute, [this, &w] { LogIn(w); });
}

// A patient outside the physician's care needs urgent care: a past patient of the practice
// back in an emergency, or a visitor from elsewhere found in the directory. Refused, then
// the glass broken with a reason (a fresh code by design), then the record, and a note.
void HonestWork::BreakTheGlass(Worker& w, int64_t at_ms) {
  auto past = pop_.past_by_organization.find(w.account->organization_id);
  const bool has_past = past != pop_.past_by_organization.end() && !past->second.empty();
  size_t index = pop_.patients.size();
  for (int tries = 0; tries < 10 && (!has_past || exception_rng_.Chance(0.5)); ++tries) {
    size_t other = exception_rng_.Below(pop_.patients.size());
    if (pop_.patients[other].organization_id != w.account->organization_id) {
      index = other;
      break;
    }
  }
  if (index == pop_.patients.size()) {
    if (!has_past) return;
    index = past->second[exception_rng_.Below(past->second.size())];
  }
  ++h_.break_glass;
  ++h_.exceptions;
  const DrillPatient& p = pop_.patients[index];
  const bool visitor = p.organization_id != w.account->organization_id;
  const std::string reason =
      visitor
          ? R"({"code":"ETREAT","text":"patient de passage, malaise au cabinet, antécédents nécessaires"})"
          : R"({"code":"ETREAT","text":"ancien patient revenu en urgence, historique nécessaire"})";
  std::vector<Timeline::Step> steps;
  steps.push_back({0, [this, &w, &p, visitor] {
                     if (!w.session->logged_in()) LogIn(w);
                     if (visitor) Send(w, "GET", DirectorySearch(p));
                     return !Send(w, "GET", "/fhir/Patient/" + p.id).ok();
                   }});
  steps.push_back({30 * kSecond, [this, &w, &p, reason] {
                     return Send(w, "POST", "/access/break-glass",
                                 R"({"patient":")" + p.id + R"(","reason":)" + reason + "}")
                         .ok();
                   }});
  for (const char* target :
       {"Patient/", "Observation?patient=", "Condition?patient=", "MedicationRequest?patient="})
    steps.push_back({20 * kSecond, [this, &w, &p, target] {
                       Send(w, "GET", std::string("/fhir/") + target + p.id);
                       return true;
                     }});
  steps.push_back({10 * kMinute, [this, &w, &p] {
                     Send(w, "POST", "/fhir/Encounter", EncounterJson(p));
                     return true;
                   }});
  timeline_.Sequence(at_ms, std::move(steps));
}

DrillResponse HonestWork::Send(Worker& w, const std::string& method, const std::string& target,
                               const std::string& body) {
  DrillResponse r = w.session->Send(method, target, body);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (r.step_up_required()) {
      if (w.victim_of) {
        ++w.victim_of->victim_step_ups;
      } else if (target.starts_with("/access/break-glass")) {
        ++h_.sensitive_step_up_prompts;
      } else {
        ++h_.step_up_prompts;
      }
      if (!StepUp(w)) LogIn(w);
    } else if (r.status == 401) {
      if (Counts(w)) ++h_.relogins;
      LogIn(w);
    } else {
      break;
    }
    if (!w.session->logged_in()) return r;
    r = w.session->Send(method, target, body);
  }
  if (Counts(w)) {
    if (r.status == 429 || r.status == 401) ++h_.refusals;
    if (r.status == 403) ++h_.forbidden;
  }
  return r;
}

bool HonestWork::StepUp(Worker& w) {
  if (!w.session->StepUp()) return false;
  if (w.on_fresh_code) w.on_fresh_code();
  return true;
}

void HonestWork::LogIn(Worker& w) {
  if (w.session->LogIn()) {
    if (w.on_fresh_code) w.on_fresh_code();
  } else if (Counts(w)) {
    ++h_.suspensions;
  }
}

}  // namespace medvault::cli
