#include "cli/drill_scenario.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>

#include "sim/sim_random.h"

namespace medvault::cli {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Random streams of the drill (the population uses its own).
constexpr uint64_t kPlanStream = 1'000'001;
constexpr uint64_t kExceptionStream = 1'000'002;

std::string Reference(const rapidjson::Value& v, const char* member) {
  if (!v.IsObject() || !v.HasMember(member) || !v[member].IsObject()) return "";
  const auto& ref = v[member];
  if (!ref.HasMember("reference") || !ref["reference"].IsString()) return "";
  return ref["reference"].GetString();
}

std::string AfterSlash(const std::string& reference) {
  size_t at = reference.find('/');
  return at == std::string::npos ? "" : reference.substr(at + 1);
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Events in simulated time; ties run in the order they were scheduled.
class Timeline {
 public:
  explicit Timeline(ManualClock& clock) : clock_(clock) {}
  void At(int64_t ms, std::function<void()> run) { events_.emplace(std::pair{ms, next_++}, run); }
  void Run() {
    while (!events_.empty()) {
      auto node = events_.extract(events_.begin());
      if (node.key().first > ToUnixMillis(clock_.Now()))
        clock_.Set(FromUnixMillis(node.key().first));
      node.mapped()();
    }
  }
  int64_t now() const { return ToUnixMillis(clock_.Now()); }
  void Pass(int64_t ms) { clock_.Advance(std::chrono::milliseconds(ms)); }

 private:
  ManualClock& clock_;
  std::map<std::pair<int64_t, int64_t>, std::function<void()>> events_;
  int64_t next_ = 0;
};

// Someone at work: an honest person, or the victim of strategy 7 who keeps working.
struct Worker {
  const LoadedAccount* account = nullptr;
  std::unique_ptr<DrillSession> session;
  std::vector<size_t> patients;  // own active patients (physicians), the practice's (secretaries)
  AttackRecord* hijacked = nullptr;  // the victim of strategy 7: prompts count there
};

// A thief paging through what an account can reach and reading each patient.
struct Harvest {
  std::string token;
  std::string address;
  std::string next;  // the next search page, "" when none
  std::vector<std::string> to_read;
  int64_t deadline_ms = 0;
  int64_t pace_ms = 0;
};

class Drill {
 public:
  Drill(const DrillOptions& options, const DrillPopulation& population, DrillClient& client)
      : options_(options),
        pop_(population),
        client_(client),
        timeline_(client.clock()),
        plan_rng_(options.seed, kPlanStream),
        exception_rng_(options.seed, kExceptionStream) {}

  DrillOutcome Run(Runtime& rt);

 private:
  void Cast();
  void PlanDay(int day);
  void Consult(Worker& w, size_t patient);
  void OpenFile(Worker& w, size_t patient);
  void CatchUpAfterHolidays(Worker& w);
  void BreakTheGlass(Worker& w);
  DrillResponse Honest(Worker& w, const std::string& method, const std::string& target,
                       const std::string& body = "");
  void LogInForTheDay(Worker& w);

  DrillResponse AttackSend(AttackRecord& a, const std::string& token, const std::string& target,
                           const std::string& address);
  std::string StealSession(const LoadedAccount& victim);
  void HarvestStep(AttackRecord& a, std::shared_ptr<Harvest> h);
  void SweepStep(AttackRecord& a, std::shared_ptr<Harvest> h, size_t next);
  void Collect(Runtime& rt);

  int64_t DayStart(int day) const { return options_.start_ms + day * kDay; }

  const DrillOptions& options_;
  const DrillPopulation& pop_;
  DrillClient& client_;
  Timeline timeline_;
  sim::SimRandom plan_rng_;
  sim::SimRandom exception_rng_;
  std::vector<std::unique_ptr<Worker>> physicians_;
  std::vector<std::unique_ptr<Worker>> secretaries_;
  std::map<int, const LoadedAccount*> victims_;  // strategy → account
  std::vector<std::string> sweep_queries_;
  DrillOutcome out_;
};

void Drill::Cast() {
  std::vector<const LoadedAccount*> physicians;
  for (const LoadedAccount& a : pop_.accounts) {
    if (a.role == identity::Role::kPhysician) physicians.push_back(&a);
    if (a.role == identity::Role::kSecretary) {
      auto w = std::make_unique<Worker>();
      w->account = &a;
      w->session = std::make_unique<DrillSession>(
          client_, a, "10.1.0." + std::to_string(secretaries_.size() + 1));
      auto it = pop_.by_organization.find(a.organization_id);
      if (it != pop_.by_organization.end()) w->patients = it->second;
      if (!w->patients.empty()) secretaries_.push_back(std::move(w));
    }
  }
  // Victims from the end of the list; at least one physician stays honest.
  const std::pair<int, const char*> kStrategies[] = {
      {1, "fast scrape"}, {4, "night harvest"}, {2, "directory sweep"}, {7, "hijacked session"}};
  size_t next_victim = physicians.size();
  for (auto [strategy, name] : kStrategies) {
    AttackRecord a;
    a.strategy = strategy;
    a.name = name;
    if (next_victim >= 2) {
      victims_[strategy] = physicians[--next_victim];
      a.victim = victims_[strategy]->username;
      a.run = true;
    } else {
      a.not_run = "too few physicians in the population for another victim";
    }
    out_.attacks.push_back(std::move(a));
  }
  std::ranges::sort(out_.attacks, {}, &AttackRecord::strategy);
  for (const LoadedAccount* a : physicians) {
    bool victim = false;
    for (auto [strategy, account] : victims_) victim = victim || (account == a && strategy != 7);
    if (victim) continue;
    auto w = std::make_unique<Worker>();
    w->account = a;
    w->session = std::make_unique<DrillSession>(client_, *a,
                                                "10.0.0." + std::to_string(physicians_.size() + 1));
    auto it = pop_.active_by_practitioner.find(a->practitioner_id);
    if (it != pop_.active_by_practitioner.end()) w->patients = it->second;
    if (w->patients.empty()) continue;
    if (victims_.contains(7) && victims_[7] == a)
      for (AttackRecord& r : out_.attacks)
        if (r.strategy == 7) w->hijacked = &r;
    physicians_.push_back(std::move(w));
  }
  // The sweep: the most common family names, across birth years.
  std::map<std::string, int> families;
  for (const DrillPatient& p : pop_.patients) ++families[p.family];
  std::vector<std::pair<int, std::string>> common;
  for (const auto& [family, count] : families) common.push_back({-count, family});
  std::ranges::sort(common);
  if (common.size() > 25) common.resize(25);
  for (int year = 1940; year <= 2005; ++year)
    for (const auto& [count, family] : common)
      sweep_queries_.push_back("/fhir/Patient?family=" + PercentEncode(family) +
                               "&birthdate=" + std::to_string(year));
}

DrillResponse Drill::Honest(Worker& w, const std::string& method, const std::string& target,
                            const std::string& body) {
  HonestRecord& h = out_.honest;
  DrillResponse r = w.session->Send(method, target, body);
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (r.step_up_required()) {
      if (w.hijacked) {
        ++w.hijacked->victim_step_ups;
      } else if (target.starts_with("/access/break-glass")) {
        ++h.sensitive_step_up_prompts;
      } else {
        ++h.step_up_prompts;
      }
      if (!w.session->StepUp()) LogInForTheDay(w);
    } else if (r.status == 401) {
      if (!w.hijacked) ++h.relogins;
      LogInForTheDay(w);
    } else {
      break;
    }
    if (!w.session->logged_in()) return r;
    r = w.session->Send(method, target, body);
  }
  if (!w.hijacked) {
    if (r.status == 429 || r.status == 401) ++h.refusals;
    if (r.status == 403) ++h.forbidden;
  }
  return r;
}

void Drill::LogInForTheDay(Worker& w) {
  if (!w.session->LogIn() && !w.hijacked) ++out_.honest.suspensions;
}

void Drill::Consult(Worker& w, size_t index) {
  if (!w.session->logged_in()) return;
  const DrillPatient& p = pop_.patients[index];
  ++out_.honest.consultations;
  if (plan_rng_.Chance(0.3))
    Honest(w, "GET",
           "/fhir/Patient?family=" + PercentEncode(p.family) + "&birthdate=" + p.birth_date);
  timeline_.Pass(20 * kSecond);
  if (!Honest(w, "GET", "/fhir/Patient/" + p.id).ok()) return;
  for (const char* type : {"Observation", "Condition", "DocumentReference"}) {
    timeline_.Pass(30 * kSecond);
    Honest(w, "GET", std::string("/fhir/") + type + "?patient=" + p.id);
  }
  timeline_.Pass(5 * kMinute);
  const std::string subject = R"({"reference":"Patient/)" + p.id + R"("})";
  if (plan_rng_.Chance(0.5)) {
    Honest(
        w, "POST", "/fhir/Encounter",
        R"({"resourceType":"Encounter","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":)" +
            subject + "}");
  } else {
    Honest(
        w, "POST", "/fhir/Observation",
        R"({"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8867-4","display":"Heart rate"}]},"subject":)" +
            subject + R"(,"valueQuantity":{"value":)" + std::to_string(plan_rng_.Between(55, 95)) +
            R"(,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})");
  }
}

void Drill::OpenFile(Worker& w, size_t index) {
  if (!w.session->logged_in()) return;
  ++out_.honest.files_opened;
  Honest(w, "GET", "/fhir/Patient/" + pop_.patients[index].id);
}

// Back from two weeks off: the results that came in, patient by patient, before the
// first consultation.
void Drill::CatchUpAfterHolidays(Worker& w) {
  if (!w.session->logged_in()) return;
  ++out_.honest.exceptions;
  for (int i = 0; i < 60; ++i) {
    size_t index = w.patients[exception_rng_.Below(w.patients.size())];
    Honest(w, "GET", "/fhir/Observation?patient=" + pop_.patients[index].id);
    timeline_.Pass(20 * kSecond);
  }
}

// A past patient of the practice brought in unconscious: refused, then the glass broken
// with a reason, then the record.
void Drill::BreakTheGlass(Worker& w) {
  auto past = pop_.past_by_organization.find(w.account->organization_id);
  if (!w.session->logged_in() || past == pop_.past_by_organization.end() || past->second.empty())
    return;
  ++out_.honest.exceptions;
  const DrillPatient& p = pop_.patients[past->second[exception_rng_.Below(past->second.size())]];
  if (Honest(w, "GET", "/fhir/Patient/" + p.id).ok()) return;
  Honest(
      w, "POST", "/access/break-glass",
      R"({"patient":")" + p.id +
          R"(","reason":{"code":"ETREAT","text":"brought in unconscious, past patient, needs history"}})");
  Honest(w, "GET", "/fhir/Patient/" + p.id);
  Honest(w, "GET", "/fhir/Observation?patient=" + p.id);
}

void Drill::PlanDay(int day) {
  const int64_t start = DayStart(day);
  using namespace std::chrono;
  const weekday wd{floor<days>(sys_time<milliseconds>(milliseconds(start)))};
  if (wd == Sunday) return;
  const bool saturday = wd == Saturday;
  const int catch_up_day = options_.days > 1 ? 1 : 0;
  const int glass_day = std::min(2, options_.days - 1);
  for (size_t i = 0; i < physicians_.size(); ++i) {
    Worker* w = physicians_[i].get();
    if (saturday && !plan_rng_.Chance(0.4)) continue;
    if (!w->hijacked) ++out_.honest.clinician_days;
    int64_t begin = start + (saturday ? 8 * kHour + 30 * kMinute : 8 * kHour) +
                    plan_rng_.Between(0, 20) * kMinute;
    int64_t span = saturday ? 4 * kHour : 11 * kHour;
    int64_t n = saturday ? plan_rng_.Between(8, 12)
                         : (wd == Monday ? plan_rng_.Between(24, 30) : plan_rng_.Between(18, 26));
    timeline_.At(begin - 5 * kMinute, [this, w] { LogInForTheDay(*w); });
    if (i == 0 && day == catch_up_day && !saturday)
      timeline_.At(begin - 4 * kMinute, [this, w] { CatchUpAfterHolidays(*w); });
    if (i == std::min<size_t>(1, physicians_.size() - 1) && day == glass_day && !saturday)
      timeline_.At(start + 14 * kHour + 5 * kMinute, [this, w] { BreakTheGlass(*w); });
    for (int64_t k = 0; k < n; ++k) {
      int64_t at = begin + span * k / n + plan_rng_.Between(0, 5) * kMinute;
      size_t patient = w->patients[plan_rng_.Below(w->patients.size())];
      timeline_.At(at, [this, w, patient] { Consult(*w, patient); });
    }
  }
  if (saturday) return;
  for (auto& s : secretaries_) {
    Worker* w = s.get();
    ++out_.honest.secretary_days;
    int64_t begin = start + 8 * kHour + 30 * kMinute;
    int64_t n = plan_rng_.Between(40, 80);
    timeline_.At(begin - 5 * kMinute, [this, w] { LogInForTheDay(*w); });
    for (int64_t k = 0; k < n; ++k) {
      int64_t at = begin + 10 * kHour * k / n + plan_rng_.Between(0, 4) * kMinute;
      size_t patient = w->patients[plan_rng_.Below(w->patients.size())];
      timeline_.At(at, [this, w, patient] { OpenFile(*w, patient); });
    }
  }
}

DrillResponse Drill::AttackSend(AttackRecord& a, const std::string& token,
                                const std::string& target, const std::string& address) {
  if (a.started_ms < 0) a.started_ms = timeline_.now();
  ++a.requests;
  DrillResponse r = client_.Send("GET", target, token, "", address);
  if (r.ok()) {
    for (const std::string& id : PatientsIn(r.body)) {
      a.taken_total.insert(id);
      if (a.contained_ms < 0) a.taken_before.insert(id);
    }
  } else if (r.refused()) {
    ++a.refused;
    if (a.contained_ms < 0) {
      a.contained_ms = timeline_.now();
      a.contained_by = std::to_string(r.status);
    }
  }
  return r;
}

// The victim logs in as every morning; the session is then stolen.
std::string Drill::StealSession(const LoadedAccount& victim) {
  DrillSession session(client_, victim, "10.9.0.1");
  session.LogIn();
  return session.token();
}

void Drill::HarvestStep(AttackRecord& a, std::shared_ptr<Harvest> h) {
  if (timeline_.now() >= h->deadline_ms) return;
  bool page = h->to_read.empty();
  if (page && h->next.empty()) return;  // everything read
  std::string target = page ? h->next : "/fhir/Patient/" + h->to_read.back();
  DrillResponse r = AttackSend(a, h->token, target, h->address);
  int64_t wait = h->pace_ms;
  if (r.ok() && page) {
    std::set<std::string> ids = PatientsIn(r.body);
    h->to_read.assign(ids.rbegin(), ids.rend());
    h->next = NextPage(r.body);
  } else if (r.refused()) {
    wait = 10 * kMinute;  // no code to give: wait and try again
  } else if (!page) {
    h->to_read.pop_back();
  } else {
    h->next.clear();
  }
  if (r.ok() && !page) h->to_read.pop_back();
  timeline_.At(timeline_.now() + wait, [this, &a, h] { HarvestStep(a, h); });
}

void Drill::SweepStep(AttackRecord& a, std::shared_ptr<Harvest> h, size_t next) {
  if (timeline_.now() >= h->deadline_ms || next >= sweep_queries_.size()) return;
  DrillResponse r = AttackSend(a, h->token, sweep_queries_[next], h->address);
  int64_t wait = h->pace_ms;
  if (r.refused())
    wait = 10 * kMinute;
  else
    ++next;
  timeline_.At(timeline_.now() + wait, [this, &a, h, next] { SweepStep(a, h, next); });
}

DrillOutcome Drill::Run(Runtime& rt) {
  Cast();
  for (int day = 0; day < options_.days; ++day)
    timeline_.At(DayStart(day), [this, day] { PlanDay(day); });
  const int second_day = options_.days > 1 ? 1 : 0;
  for (AttackRecord& a : out_.attacks) {
    if (!a.run) continue;
    const LoadedAccount& victim = *victims_[a.strategy];
    auto h = std::make_shared<Harvest>();
    // Strategies 1, 2 and 4 drive the victim's session from the victim's own workstation
    // (malware in the browser): same address and user agent, which session binding cannot
    // tell apart. Strategy 7 replays the token from elsewhere.
    h->address = a.strategy == 7 ? "203.0.113.7" : "10.9.0.1";
    int64_t at = 0;
    switch (a.strategy) {
      case 1:  // as fast as it goes, from mid-morning, for four hours
        at = DayStart(0) + 10 * kHour;
        h->next = "/fhir/Patient?_count=100";
        h->pace_ms = 200;
        h->deadline_ms = at + 4 * kHour;
        break;
      case 4:  // the whole base, slowly, between 01:00 and 05:00
        at = DayStart(second_day) + 1 * kHour;
        h->next = "/fhir/Patient?_count=20";
        h->pace_ms = 20 * kSecond;
        h->deadline_ms = at + 4 * kHour;
        break;
      case 2:  // common names across birth years
        at = DayStart(0) + 14 * kHour;
        h->pace_ms = 3 * kSecond;
        h->deadline_ms = at + 4 * kHour;
        break;
      case 7:  // the victim's live session, from elsewhere, while the victim works
        at = DayStart(second_day) + 10 * kHour;
        h->next = "/fhir/Patient?_count=20";
        h->pace_ms = 5 * kSecond;
        h->deadline_ms = DayStart(second_day) + 17 * kHour;
        break;
    }
    timeline_.At(at, [this, &a, h, &victim] {
      if (a.strategy == 7) {
        for (auto& w : physicians_)
          if (w->hijacked == &a) {
            if (!w->session->logged_in()) LogInForTheDay(*w);
            h->token = w->session->token();
          }
      } else {
        h->token = StealSession(victim);
      }
      if (a.strategy == 2)
        SweepStep(a, h, 0);
      else
        HarvestStep(a, h);
    });
  }
  timeline_.Run();
  Collect(rt);
  return std::move(out_);
}

void Drill::Collect(Runtime& rt) {
  store::Reader& reader = rt.store->reader();
  std::set<std::string> victim_ids;
  for (AttackRecord& a : out_.attacks) {
    if (!a.run) continue;
    auto row = reader.AccountByUsername(a.victim);
    if (!row || !*row) continue;
    victim_ids.insert((*row)->id);
    auto alerts = reader.Alerts({(*row)->id, "", "", 10'000});
    if (!alerts) continue;
    for (const store::AlertRow& alert : *alerts) {
      if (a.started_ms < 0 || alert.created_at_ms < a.started_ms) continue;
      a.alert_kinds.insert(alert.kind);
      if (a.first_alert_ms < 0 || alert.created_at_ms < a.first_alert_ms)
        a.first_alert_ms = alert.created_at_ms;
    }
  }
  auto all = reader.Alerts({"", "", "", 1'000'000});
  if (all)
    for (const store::AlertRow& alert : *all)
      if (!victim_ids.contains(alert.account_id)) ++out_.honest.alerts;
}

}  // namespace

void DrillPopulation::Observe(fhir::ResourceType type, const std::string& json) {
  if (type != fhir::ResourceType::kPatient && type != fhir::ResourceType::kCareTeam) return;
  rapidjson::Document doc;
  if (doc.Parse(json.data(), json.size()).HasParseError() || !doc.IsObject()) return;
  if (type == fhir::ResourceType::kPatient) {
    DrillPatient p;
    p.id = doc["id"].GetString();
    if (doc.HasMember("name") && doc["name"].IsArray() && !doc["name"].Empty() &&
        doc["name"][0].HasMember("family"))
      p.family = doc["name"][0]["family"].GetString();
    if (doc.HasMember("birthDate")) p.birth_date = doc["birthDate"].GetString();
    p.organization_id = AfterSlash(Reference(doc, "managingOrganization"));
    index_of_id[p.id] = patients.size();
    by_organization[p.organization_id].push_back(patients.size());
    patients.push_back(std::move(p));
    return;
  }
  auto patient = index_of_id.find(AfterSlash(Reference(doc, "subject")));
  if (patient == index_of_id.end()) return;
  const bool active =
      doc.HasMember("status") && std::string_view(doc["status"].GetString()) == "active";
  if (!active) {
    past_by_organization[patients[patient->second].organization_id].push_back(patient->second);
    return;
  }
  if (!doc.HasMember("participant") || !doc["participant"].IsArray() || doc["participant"].Empty())
    return;
  std::string member = Reference(doc["participant"][0], "member");
  if (member.starts_with("Practitioner/"))
    active_by_practitioner[AfterSlash(member)].push_back(patient->second);
}

DrillOutcome RunDrillDays(const DrillOptions& options, const DrillPopulation& population,
                          DrillClient& client, Runtime& rt) {
  Drill drill(options, population, client);
  return drill.Run(rt);
}

}  // namespace medvault::cli
