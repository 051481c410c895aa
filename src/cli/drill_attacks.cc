#include "cli/drill_attacks.h"

#include <algorithm>
#include <cstdio>

namespace medvault::cli {
namespace {

constexpr uint64_t kAttackStream = 1'000'003;
constexpr int64_t kBackOffMs = 10 * kMinute;  // after a refusal: no code to give, wait
constexpr int64_t kStrategy6Accounts = 50;
constexpr int64_t kBreakGlassPerDay = 3;  // [access] break_glass_per_day
// The fresh-code window of sensitive operations is [sessions] step_up_seconds, 600 s; the
// malware keeps a margin.
constexpr int64_t kGlassWindowMs = 9 * kMinute;

// The session lapsed (idle or absolute timeout): not a refusal, the malware waits for the
// victim's next login.
bool SessionGone(const DrillResponse& r) {
  return r.status == 401 && r.body.find("no valid session") != std::string::npos;
}
bool Contained(const DrillResponse& r) { return r.refused() && !SessionGone(r); }

struct Plausible {
  const char* code;
  const char* text;
};
constexpr Plausible kReasons[] = {
    {"ETREAT", "patient au téléphone, urgence"},
    {"TREAT", "suivi en l'absence du médecin traitant"},
    {"PATRQT", "à la demande du patient, consultation non programmée"},
    {"ETREAT", "patient vu en urgence au cabinet, antécédents nécessaires"},
};

}  // namespace

Attacks::Attacks(const DrillOptions& options, const DrillPopulation& population,
                 DrillClient& client, Timeline& timeline, HonestWork& honest,
                 std::vector<AttackRecord>& records)
    : options_(options),
      pop_(population),
      client_(client),
      timeline_(timeline),
      honest_(honest),
      records_(records),
      rng_(options.seed, kAttackStream) {}

void Attacks::Cast(const std::vector<const LoadedAccount*>& physicians,
                   std::set<const LoadedAccount*>& absent,
                   std::map<const LoadedAccount*, AccountTake*>& riding) {
  // Victims from the end of the list; at least one physician stays honest.
  const std::pair<int, const char*> kStrategies[] = {
      {1, "fast scrape"},      {4, "night harvest"}, {2, "directory sweep"},
      {7, "hijacked session"}, {3, "low and slow"},  {5, "break-the-glass abuse"},
      {6, "many accounts"}};
  size_t next = physicians.size();
  std::map<int, std::vector<const LoadedAccount*>> chosen;
  for (auto [strategy, name] : kStrategies) {
    AttackRecord a;
    a.strategy = strategy;
    a.name = name;
    size_t wanted = 1;
    if (strategy == 6) {
      // Up to 50 accounts, leaving at least half of the rest (and one) honest.
      const auto rest = static_cast<int64_t>(next);
      wanted =
          static_cast<size_t>(std::min(kStrategy6Accounts, rest - std::max<int64_t>(1, rest / 2)));
      if (wanted < 2) wanted = next + 1;  // too few: not run
    }
    if (next >= wanted + 1) {
      for (size_t i = 0; i < wanted; ++i) {
        chosen[strategy].push_back(physicians[--next]);
        a.accounts.emplace_back().victim = physicians[next]->username;
      }
      a.run = true;
    } else {
      a.not_run = strategy == 6 ? "too few physicians left for two or more accounts"
                                : "too few physicians in the population for another victim";
    }
    records_.push_back(std::move(a));
  }
  std::ranges::sort(records_, {}, &AttackRecord::strategy);
  for (AttackRecord& a : records_) {
    for (size_t i = 0; i < a.accounts.size(); ++i) {
      const LoadedAccount* account = chosen[a.strategy][i];
      victims_.push_back({&a, &a.accounts[i], account, nullptr});
      // 1, 2 and 4 hold a stolen session; the others ride a victim who keeps working.
      if (a.strategy == 1 || a.strategy == 2 || a.strategy == 4)
        absent.insert(account);
      else
        riding[account] = &a.accounts[i];
    }
  }
  // The sweep's queries: the most common family names, across birth years.
  std::map<std::string, int> families;
  for (const DrillPatient& p : pop_.patients) ++families[p.family];
  std::vector<std::pair<int, std::string>> common;
  for (const auto& [family, count] : families) common.push_back({-count, family});
  std::ranges::sort(common);
  if (common.size() > 25) common.resize(25);
  for (int year = 1940; year <= 2005; ++year)
    for (const auto& [count, family] : common)
      directory_queries_.push_back("/fhir/Patient?family=" + PercentEncode(family) +
                                   "&birthdate=" + std::to_string(year));
}

void Attacks::Start() {
  const int second_day = options_.days > 1 ? 1 : 0;
  for (Victim& v : victims_) {
    v.worker = honest_.WorkerOf(v.account);
    const int strategy = v.record->strategy;
    if (strategy == 3 || strategy == 6) {
      if (!v.worker) continue;
      pilfers_.push_back(std::make_unique<Pilfer>());
      pilfers_.back()->victim = v;
      continue;
    }
    if (strategy == 5) {
      if (!v.worker) continue;
      glasses_.push_back(std::make_unique<Glass>());
      Glass* g = glasses_.back().get();
      g->victim = v;
      g->next_query = rng_.Below(directory_queries_.size());
      v.worker->on_fresh_code = [this, g] { GlassFreshCode(*g); };
      continue;
    }
    auto h = std::make_shared<Harvest>();
    h->take = v.take;
    // 1, 2 and 4 drive the victim's session from the victim's own workstation (malware in
    // the browser): same address and user agent, which session binding cannot tell
    // apart. 7 replays the token from elsewhere.
    h->address = strategy == 7 ? "203.0.113.7" : "10.9.0.1";
    int64_t at = 0;
    switch (strategy) {
      case 1:  // as fast as it goes, from mid-morning, for four hours
        at = options_.DayStart(0) + 10 * kHour;
        h->next = "/fhir/Patient?_count=100";
        h->pace_ms = 200;
        h->deadline_ms = at + 4 * kHour;
        break;
      case 4:  // the whole base, slowly, between 01:00 and 05:00
        at = options_.DayStart(second_day) + 1 * kHour;
        h->next = "/fhir/Patient?_count=20";
        h->pace_ms = 20 * kSecond;
        h->deadline_ms = at + 4 * kHour;
        break;
      case 2:  // common names across birth years
        at = options_.DayStart(0) + 14 * kHour;
        h->pace_ms = 3 * kSecond;
        h->deadline_ms = at + 4 * kHour;
        break;
      case 7:  // the victim's live session, from elsewhere, while the victim works
        at = options_.DayStart(second_day) + 10 * kHour;
        h->next = "/fhir/Patient?_count=20";
        h->pace_ms = 5 * kSecond;
        h->deadline_ms = options_.DayStart(second_day) + 17 * kHour;
        break;
    }
    timeline_.At(at, [this, h, v] {
      if (v.worker) {
        // Copied while the victim works: the victim's page polls (and logs in again when
        // the session lapsed), then the thief has the live token.
        honest_.Send(*v.worker, "GET", "/auth/me");
        h->token = v.worker->session->token();
      } else {
        h->token = StealSession(*v.account);
      }
      if (v.record->strategy == 2)
        SweepStep(h);
      else
        HarvestStep(h);
    });
  }
}

DrillResponse Attacks::Send(AccountTake& take, const std::string& method, const std::string& target,
                            const std::string& token, const std::string& address,
                            const std::string& body) {
  if (take.started_ms < 0) take.started_ms = timeline_.now();
  ++take.requests;
  DrillResponse r = client_.Send(method, target, token, body, address);
  if (r.ok()) {
    for (const std::string& id : PatientsIn(r.body)) {
      take.taken_total.insert(id);
      if (take.contained_ms < 0) take.taken_before.insert(id);
    }
  } else if (Contained(r)) {
    ++take.refused;
    if (take.contained_ms < 0) {
      take.contained_ms = timeline_.now();
      take.contained_by = std::to_string(r.status);
    }
  }
  return r;
}

// The victim logs in as every morning; the session is then stolen.
std::string Attacks::StealSession(const LoadedAccount& victim) {
  DrillSession session(client_, victim, "10.9.0.1");
  session.LogIn();
  return session.token();
}

void Attacks::HarvestStep(std::shared_ptr<Harvest> h) {
  if (timeline_.now() >= h->deadline_ms) return;
  bool page = h->to_read.empty();
  if (page && h->next.empty()) return;  // everything read
  std::string target = page ? h->next : "/fhir/Patient/" + h->to_read.back();
  DrillResponse r = Send(*h->take, "GET", target, h->token, h->address);
  int64_t wait = h->pace_ms;
  if (r.ok() && page) {
    std::set<std::string> ids = PatientsIn(r.body);
    h->to_read.assign(ids.rbegin(), ids.rend());
    h->next = NextPage(r.body);
  } else if (r.refused()) {
    wait = kBackOffMs;
  } else if (!page) {
    h->to_read.pop_back();
  } else {
    h->next.clear();
  }
  if (r.ok() && !page) h->to_read.pop_back();
  timeline_.At(timeline_.now() + wait, [this, h] { HarvestStep(h); });
}

void Attacks::SweepStep(std::shared_ptr<Harvest> h) {
  if (timeline_.now() >= h->deadline_ms || h->next_query >= directory_queries_.size()) return;
  DrillResponse r = Send(*h->take, "GET", directory_queries_[h->next_query], h->token, h->address);
  int64_t wait = h->pace_ms;
  if (r.refused())
    wait = kBackOffMs;
  else
    ++h->next_query;
  timeline_.At(timeline_.now() + wait, [this, h] { SweepStep(h); });
}

// Strategies 3 and 6 work Monday to Friday, 9:00 to 18:00: 3 takes four to six patients
// an hour, 6 ten to fifteen a day per account, at jittered moments.
void Attacks::PlanDay(int day) {
  const int64_t start = options_.DayStart(day);
  if (WeekdayAt(start) >= 5) return;
  const int64_t day_end = start + 18 * kHour + 30 * kMinute;
  for (auto& p : pilfers_) {
    Pilfer* pilfer = p.get();
    std::vector<int64_t> moments;
    if (p->victim.record->strategy == 3) {
      for (int64_t hour = 9; hour < 18; ++hour)
        for (int64_t n = rng_.Between(4, 6); n > 0; --n)
          moments.push_back(start + hour * kHour + static_cast<int64_t>(rng_.Below(kHour)));
    } else {
      for (int64_t n = rng_.Between(10, 15); n > 0; --n)
        moments.push_back(start + 9 * kHour + static_cast<int64_t>(rng_.Below(9 * kHour)));
    }
    for (int64_t at : moments) ReadSoon(*pilfer, at, day_end);
  }
}

void Attacks::ReadSoon(Pilfer& p, int64_t at_ms, int64_t day_end_ms) {
  if (at_ms >= day_end_ms) return;
  timeline_.At(at_ms, [this, &p, day_end_ms] { PilferRead(p, day_end_ms); });
}

// One patient: the next id (from the next own-scope page when none is left), the
// Patient, then, a little later, their results or documents. Never a write.
void Attacks::PilferRead(Pilfer& p, int64_t day_end_ms) {
  const int64_t now = timeline_.now();
  if (now < p.blocked_until_ms) {
    ReadSoon(p, p.blocked_until_ms + static_cast<int64_t>(rng_.Below(2 * kMinute)), day_end_ms);
    return;
  }
  Worker& w = *p.victim.worker;
  if (!w.session->logged_in()) {
    ReadSoon(p, now + kBackOffMs, day_end_ms);
    return;
  }
  AccountTake& take = *p.victim.take;
  if (p.ids.empty()) {
    if (p.next_page.empty()) return;  // every patient of the account read
    DrillResponse r = Send(take, "GET", p.next_page, w.session->token(), w.address);
    if (r.ok()) {
      for (const std::string& id : PatientsIn(r.body)) p.ids.push_back(id);
      p.next_page = NextPage(r.body);
    } else {
      if (Contained(r)) p.blocked_until_ms = now + kBackOffMs;
      ReadSoon(p, now + kBackOffMs, day_end_ms);
      return;
    }
    ReadSoon(p, now + rng_.Between(20, 60) * kSecond, day_end_ms);
    return;
  }
  const std::string id = p.ids.front();
  DrillResponse r = Send(take, "GET", "/fhir/Patient/" + id, w.session->token(), w.address);
  if (Contained(r)) {
    p.blocked_until_ms = now + kBackOffMs;
    ReadSoon(p, p.blocked_until_ms, day_end_ms);
    return;
  }
  if (SessionGone(r)) {
    ReadSoon(p, now + kBackOffMs, day_end_ms);
    return;
  }
  p.ids.pop_front();
  if (!r.ok()) return;
  const std::string target =
      std::string(rng_.Chance(0.5) ? "/fhir/Observation" : "/fhir/DocumentReference") +
      "?patient=" + id;
  timeline_.At(now + rng_.Between(20, 60) * kSecond, [this, &p, &w, target] {
    Send(*p.victim.take, "GET", target, w.session->token(), w.address);
  });
}

// The victim has just given a fresh code (login or step-up): for the next ten minutes the
// session may break the glass. During working hours, with grants left in the last 24 hours,
// the malware starts.
void Attacks::GlassFreshCode(Glass& g) {
  const int64_t now = timeline_.now();
  g.fresh_code_ms = now;
  const int64_t hour = (now - options_.start_ms) % kDay / kHour;
  if (g.busy || WeekdayAt(now) >= 5 || hour < 8 || hour >= 19) return;
  while (!g.grants.empty() && g.grants.front() <= now - kDay) g.grants.pop_front();
  if (static_cast<int64_t>(g.grants.size()) >= kBreakGlassPerDay) return;
  g.busy = true;
  g.searches = 0;
  timeline_.At(now + rng_.Between(30, 120) * kSecond, [this, &g] { GlassNext(g); });
}

void Attacks::GlassNext(Glass& g) {
  const int64_t now = timeline_.now();
  while (!g.grants.empty() && g.grants.front() <= now - kDay) g.grants.pop_front();
  if (now - g.fresh_code_ms > kGlassWindowMs ||
      static_cast<int64_t>(g.grants.size()) >= kBreakGlassPerDay) {
    g.busy = false;  // until the next fresh code
    return;
  }
  if (g.candidates.empty()) {
    GlassSearch(g);
    return;
  }
  Worker& w = *g.victim.worker;
  const std::string patient = g.candidates.front();
  g.candidates.pop_front();
  const Plausible& why = kReasons[rng_.Below(std::size(kReasons))];
  DrillResponse r =
      Send(*g.victim.take, "POST", "/access/break-glass", w.session->token(), w.address,
           R"({"patient":")" + patient + R"(","reason":{"code":")" + why.code + R"(","text":")" +
               why.text + R"("}})");
  if (r.status == 201) {
    g.grants.push_back(now);
    ++g.victim.take->grants;
    GlassRead(g, patient);
  } else if (r.status == 409 || r.status == 404) {  // in the victim's care already
    timeline_.At(now + rng_.Between(5, 15) * kSecond, [this, &g] { GlassNext(g); });
  } else {
    g.busy = false;  // refused, or the window closed: wait for the next fresh code
  }
}

// Candidates outside the victim's practice, by family name and birth year in the
// directory (refined to a month when the year matches too many).
void Attacks::GlassSearch(Glass& g) {
  if (g.searches >= 4) {
    g.busy = false;
    return;
  }
  ++g.searches;
  Worker& w = *g.victim.worker;
  std::string query = directory_queries_[g.next_query];
  g.next_query = (g.next_query + 7919) % directory_queries_.size();
  DrillResponse r = Send(*g.victim.take, "GET", query, w.session->token(), w.address);
  if (r.ok() && r.body.find("outside your care match") != std::string::npos) {
    char month[8];
    std::snprintf(month, sizeof month, "-%02d", static_cast<int>(rng_.Between(1, 12)));
    r = Send(*g.victim.take, "GET", query + month, w.session->token(), w.address);
  }
  if (Contained(r)) {
    g.busy = false;
    return;
  }
  const bool elsewhere = pop_.by_organization.size() > 1;
  for (const std::string& id : PatientsIn(r.body)) {
    auto at = pop_.index_of_id.find(id);
    if (at == pop_.index_of_id.end()) continue;
    const bool own = pop_.patients[at->second].organization_id == w.account->organization_id;
    if (!elsewhere || !own) g.candidates.push_back(id);
  }
  timeline_.At(timeline_.now() + rng_.Between(20, 40) * kSecond, [this, &g] { GlassNext(g); });
}

// The granted patient's whole file, a resource type at a time, then the next candidate.
void Attacks::GlassRead(Glass& g, const std::string& patient) {
  std::vector<Timeline::Step> steps;
  for (const char* target :
       {"Patient/", "Observation?_count=100&patient=", "Condition?_count=100&patient=",
        "MedicationRequest?_count=100&patient=", "AllergyIntolerance?_count=100&patient=",
        "DocumentReference?_count=100&patient=", "Encounter?_count=100&patient="}) {
    steps.push_back({rng_.Between(15, 40) * kSecond, [this, &g, target, patient] {
                       Worker& w = *g.victim.worker;
                       Send(*g.victim.take, "GET", std::string("/fhir/") + target + patient,
                            w.session->token(), w.address);
                       return true;
                     }});
  }
  steps.push_back({rng_.Between(30, 90) * kSecond, [this, &g] {
                     GlassNext(g);
                     return true;
                   }});
  timeline_.Sequence(timeline_.now(), std::move(steps));
}

}  // namespace medvault::cli
