#include "crash_checks.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <ctime>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "audit_events.h"
#include "practice_fixture.h"

namespace medvault::testing::crash {
namespace {

// RFC 3339 in UTC, to the second: a FHIR dateTime for search parameters.
std::string Instant(std::chrono::system_clock::time_point t) {
  std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&s, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

// A resource's id and marker (its identifier value in kMarkerSystem), from its JSON.
std::pair<std::string, std::string> IdAndMarker(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject()) return {};
  std::string id = d.HasMember("id") && d["id"].IsString() ? d["id"].GetString() : "";
  std::string marker;
  if (d.HasMember("identifier") && d["identifier"].IsArray())
    for (const auto& i : d["identifier"].GetArray())
      if (i.IsObject() && i.HasMember("system") && i.HasMember("value") &&
          std::string(i["system"].GetString()) == kMarkerSystem)
        marker = i["value"].GetString();
  return {id, marker};
}

int64_t VersionIdOf(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("meta")) return 0;
  const auto& meta = d["meta"];
  if (!meta.IsObject() || !meta.HasMember("versionId") || !meta["versionId"].IsString()) return 0;
  return std::atoll(meta["versionId"].GetString());
}

std::string Name(const Tracked& t) { return t.type + "/" + t.id; }

}  // namespace

Checker::Checker(HttpsClient& physician, HttpsClient& officer, int threads)
    : physician_(physician), officer_(officer), threads_(threads) {}

void Checker::Fail(std::string what) {
  std::lock_guard lock(mu_);
  failures_.push_back(std::move(what));
}

template <typename Check>
void Checker::ForEach(size_t n, const Check& check) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < threads_; ++w)
    workers.emplace_back([&] {
      HttpsClient client(physician_.base_url(), physician_.ca_file());
      client.set_bearer(physician_.bearer());
      for (size_t i = next++; i < n; i = next++) check(client, i);
    });
  for (auto& w : workers) w.join();
}

std::vector<std::string> Checker::SearchAll(HttpsClient& client, std::string path) {
  std::vector<std::string> found;
  for (int page = 0; page < 1000 && !path.empty(); ++page) {
    auto r = client.Get(path);
    if (r.status != 200) {
      Fail("GET " + path.substr(0, path.find('?')) + " (search) -> " + std::to_string(r.status) +
           " " + r.body.substr(0, 200));
      break;
    }
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    if (doc.HasParseError() || !doc.IsObject()) {
      Fail("a search answered something that is not JSON");
      break;
    }
    path = NextPage(doc, client.base_url());
    if (!doc.HasMember("entry")) continue;
    for (const auto& entry : doc["entry"].GetArray()) {
      if (!entry.HasMember("resource")) continue;
      rapidjson::StringBuffer text;
      rapidjson::Writer<rapidjson::StringBuffer> writer(text);
      entry["resource"].Accept(writer);
      found.emplace_back(text.GetString(), text.GetSize());
    }
  }
  return found;
}

void Checker::Resolve(HttpsClient& client, Tracked& t, Resolution& resolution) {
  auto current = client.Get("/fhir/" + Name(t));
  if (current.status != 200) {
    Fail(Name(t) + " (acknowledged at version " + std::to_string(t.latest()) + ") -> " +
         std::to_string(current.status) + " " + current.body.substr(0, 200));
    return;
  }
  int64_t served = VersionIdOf(current.body);
  int64_t latest = t.latest();
  if (served == latest + 1 && t.in_doubt && SameContent(*t.in_doubt, current.body)) {
    t.acknowledged[served] = *t.in_doubt;  // the crash cut off the answer, not the commit
    std::lock_guard lock(mu_);
    ++resolution.committed;
  } else if (served != latest) {
    Fail(Name(t) + " is at version " + std::to_string(served) + ", acknowledged at " +
         std::to_string(latest) + (served > latest ? " (with content no request sent)" : ""));
    return;
  } else if (!SameContent(t.acknowledged.at(latest), current.body)) {
    Fail(Name(t) + " version " + std::to_string(latest) + " is not what was acknowledged");
  } else if (t.in_doubt) {
    std::lock_guard lock(mu_);
    ++resolution.absent;
  }
  t.in_doubt.reset();
  for (const auto& [version, body] : t.acknowledged) {
    auto r = client.Get("/fhir/" + Name(t) + "/_history/" + std::to_string(version));
    if (r.status != 200 || !SameContent(body, r.body)) {
      Fail("vread " + Name(t) + "/_history/" + std::to_string(version) + " -> " +
           std::to_string(r.status) + (r.status == 200 ? " with other content" : ""));
    } else {
      std::lock_guard lock(mu_);
      ++resolution.versions_checked;
    }
  }
}

Resolution Checker::ResolveRun(Ledger& run, std::vector<Tracked>& history,
                               std::chrono::system_clock::time_point run_started) {
  Resolution resolution;
  ForEach(run.created.size(),
          [&](HttpsClient& client, size_t i) { Resolve(client, run.created[i], resolution); });

  std::set<std::string> known;
  for (const Tracked& t : history) known.insert(Name(t));
  for (const Tracked& t : run.created) known.insert(Name(t));
  std::map<std::string, const DoubtfulCreate*> doubtful;  // by marker
  for (const DoubtfulCreate& d : run.doubtful) doubtful[d.marker] = &d;
  std::set<std::string> settled;  // markers of doubtful creates found whole
  std::vector<Tracked> committed;
  // Anything the server holds that is not known must be a create cut off, whole.
  auto settle = [&](const std::string& type, const std::string& served) {
    auto [id, marker] = IdAndMarker(served);
    if (known.contains(type + "/" + id)) return;
    auto it = doubtful.find(marker);
    if (it == doubtful.end() || it->second->type != type ||
        !SameContent(it->second->body, served) || VersionIdOf(served) != 1) {
      Fail(type + "/" + id + " exists, but no request sent it as it is");
      return;
    }
    std::lock_guard lock(mu_);
    if (!settled.insert(marker).second) {
      failures_.push_back("the create of " + marker + " was made twice");
      return;
    }
    const DoubtfulCreate& d = *it->second;
    Tracked t{type, id, d.patient.empty() ? id : d.patient, marker, {{1, d.body}}, {}};
    committed.push_back(std::move(t));
  };

  // Patients: those of this run (updated or created since it started), then the
  // Observations of every patient this run touched.
  std::string since = Instant(run_started - std::chrono::seconds(2));
  for (const std::string& p :
       SearchAll(physician_, "/fhir/Patient?_lastUpdated=ge" + since + "&_count=100"))
    settle("Patient", p);
  for (const DoubtfulCreate& d : run.doubtful)
    if (d.type == "Patient" && !settled.contains(d.marker)) {
      // Not changed since the run started, so not made by it: it must not exist at all.
      auto found = SearchAll(
          physician_, std::string("/fhir/Patient?identifier=") + kMarkerSystem + "%7C" + d.marker);
      for (const std::string& p : found) settle("Patient", p);
    }
  std::set<std::string> patients;
  for (const Tracked& t : run.created) patients.insert(t.patient);
  for (const Tracked& t : committed) patients.insert(t.patient);
  for (const DoubtfulCreate& d : run.doubtful)
    if (d.type == "Observation") patients.insert(d.patient);
  std::vector<std::string> patient_list(patients.begin(), patients.end());
  ForEach(patient_list.size(), [&](HttpsClient& client, size_t i) {
    for (const std::string& o :
         SearchAll(client, "/fhir/Observation?patient=" + patient_list[i] + "&_count=100"))
      settle("Observation", o);
  });
  resolution.committed += static_cast<int64_t>(settled.size());
  resolution.absent += static_cast<int64_t>(run.doubtful.size() - settled.size());

  for (Tracked& t : run.created) history.push_back(std::move(t));
  for (Tracked& t : committed) history.push_back(std::move(t));
  run.created.clear();
  return resolution;
}

void Checker::CheckAuditTrail(const Ledger& run, std::chrono::system_clock::time_point from,
                              std::chrono::system_clock::time_point until, Resolution& resolution) {
  std::string query = "agent-name=physician&date=ge" + Instant(from - std::chrono::seconds(2)) +
                      "&date=lt" + Instant(until + std::chrono::seconds(2)) + "&_count=100";
  std::set<std::string> audited;
  for (const Event& e : SearchAuditEvents(officer_, query)) audited.insert(e.request_id);
  for (const std::string& id : run.request_ids) {
    if (audited.contains(id)) {
      ++resolution.audited;
    } else {
      Fail("acknowledged request " + id + " has no audit entry");
    }
  }
}

void Checker::CheckEverything(const std::vector<Tracked>& history) {
  ForEach(history.size(), [&](HttpsClient& client, size_t i) {
    const Tracked& t = history[i];
    auto r = client.Get("/fhir/" + Name(t));
    if (r.status != 200 || VersionIdOf(r.body) != t.latest() ||
        !SameContent(t.acknowledged.at(t.latest()), r.body))
      Fail("at the end, " + Name(t) + " is not at its acknowledged version " +
           std::to_string(t.latest()) + " (" + std::to_string(r.status) + ")");
  });
  std::set<std::string> expected, listed;
  for (const Tracked& t : history)
    if (t.type == "Patient") expected.insert(t.id);
  for (const std::string& p : SearchAll(physician_, "/fhir/Patient?_count=100"))
    listed.insert(IdAndMarker(p).first);
  if (listed != expected)
    Fail(
        "the physician's patients are not the ones acknowledged: " + std::to_string(listed.size()) +
        " listed, " + std::to_string(expected.size()) + " expected");
}

}  // namespace medvault::testing::crash
