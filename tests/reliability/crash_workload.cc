#include "crash_workload.h"

#include <rapidjson/document.h>

#include <random>

#include "https_client.h"
#include "practice_fixture.h"

namespace medvault::testing::crash {

void Ledger::Merge(Ledger&& other) {
  for (auto& t : other.created) created.push_back(std::move(t));
  for (auto& d : other.doubtful) doubtful.push_back(std::move(d));
  for (auto& r : other.request_ids) request_ids.push_back(std::move(r));
  for (auto& u : other.unexpected) unexpected.push_back(std::move(u));
  requests += other.requests;
  writes += other.writes;
  reads += other.reads;
  cut_off += other.cut_off;
  cut_off_writes += other.cut_off_writes;
}

uint64_t Mix(uint64_t seed, uint64_t a, uint64_t b) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ULL ^ (a << 32) ^ b;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;  // splitmix64's finalizer
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string PatientBody(const std::string& id, const std::string& marker,
                        const std::string& organization, int edition) {
  std::string head = id.empty() ? "" : R"("id":")" + id + R"(",)";
  return R"({"resourceType":"Patient",)" + head + R"("identifier":[{"system":")" + kMarkerSystem +
         R"(","value":")" + marker + R"("}],"name":[{"family":"Crashtest","given":["Edition)" +
         std::to_string(edition) +
         R"("]}],"gender":"female","birthDate":"1970-01-01","managingOrganization":)"
         R"({"reference":"Organization/)" +
         organization + R"("}})";
}

std::string ObservationBody(const std::string& id, const std::string& marker,
                            const std::string& patient, int edition) {
  std::string head = id.empty() ? "" : R"("id":")" + id + R"(",)";
  return R"({"resourceType":"Observation",)" + head + R"("identifier":[{"system":")" +
         kMarkerSystem + R"(","value":")" + marker +
         R"("}],"status":"final","code":{"coding":[{"system":"http://loinc.org",)"
         R"("code":"8867-4","display":"Heart rate"}]},"subject":{"reference":"Patient/)" +
         patient + R"("},"effectiveDateTime":"2026-11-01T10:00:00Z","valueQuantity":{"value":)" +
         std::to_string(40 + edition) +
         R"(,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}})";
}

bool SameContent(const std::string& sent, const std::string& served) {
  rapidjson::Document a, b;
  a.Parse(sent.c_str());
  b.Parse(served.c_str());
  if (a.HasParseError() || b.HasParseError() || !a.IsObject() || !b.IsObject()) return false;
  a.RemoveMember("id");
  b.RemoveMember("id");
  b.RemoveMember("meta");
  return a == b;
}

int64_t VersionOf(const std::string& etag, const std::string& location) {
  if (auto q = etag.find('"'); q != std::string::npos) return std::atoll(etag.c_str() + q + 1);
  if (auto h = location.rfind("/_history/"); h != std::string::npos)
    return std::atoll(location.c_str() + h + 10);
  return 0;
}

Load::Load(LoadOptions options) : options_(std::move(options)) {
  ledgers_.resize(static_cast<size_t>(options_.threads));
  for (int t = 0; t < options_.threads; ++t) threads_.emplace_back([this, t] { Run(t); });
}

Load::~Load() {
  stop_ = true;
  for (auto& t : threads_)
    if (t.joinable()) t.join();
}

Ledger Load::Finish() {
  stop_ = true;
  for (auto& t : threads_) t.join();
  Ledger all;
  for (Ledger& l : ledgers_) all.Merge(std::move(l));
  return all;
}

namespace {

// One client thread's work: its own connection, random stream and resources.
class Worker {
 public:
  Worker(const LoadOptions& o, int thread, Ledger& ledger)
      : o_(o),
        thread_(thread),
        ledger_(ledger),
        rng_(Mix(o.seed, static_cast<uint64_t>(o.run), static_cast<uint64_t>(thread))),
        client_(o.base_url, o.ca_file) {
    client_.set_bearer(o.bearer);
  }

  // One operation; false once a request was cut off.
  bool Step() {
    int dice = static_cast<int>(rng_() % 100);
    if (dice < 25 || patients_.empty()) return Create("Patient", "");
    if (dice < 45) return Create("Observation", Pick(patients_).id);
    if (dice < 65) return Update(patients_);
    if (dice < 80) {
      if (observations_.empty()) return Create("Observation", Pick(patients_).id);
      return Update(observations_);
    }
    return Read(dice < 92);
  }

 private:
  Tracked& Pick(const std::vector<size_t>& pool) {
    return ledger_.created[pool[rng_() % pool.size()]];
  }

  // Sends and files the answer: true for a 2xx (acknowledged), false otherwise.
  bool Send(const std::string& method, const std::string& path, const std::string& body,
            const std::vector<std::string>& headers, HttpResponse& r) {
    ++ledger_.requests;
    r = client_.Request(method, path, body, headers);
    if (r.status == -1) {
      ++ledger_.cut_off;
      return false;
    }
    if (r.status / 100 != 2) {
      ledger_.unexpected.push_back(method + " " + path + " -> " + std::to_string(r.status) + " " +
                                   r.body.substr(0, 300));
      return false;
    }
    ledger_.request_ids.push_back(r.Header("x-request-id"));
    return true;
  }

  bool Create(const std::string& type, const std::string& patient) {
    std::string marker = "s" + std::to_string(o_.seed) + "-r" + std::to_string(o_.run) + "-t" +
                         std::to_string(thread_) + "-" + std::to_string(++serial_);
    std::string body = type == "Patient" ? PatientBody("", marker, o_.organization, 0)
                                         : ObservationBody("", marker, patient, 0);
    HttpResponse r;
    if (!Send("POST", "/fhir/" + type, body, {}, r)) {
      if (r.status != -1) return true;
      ledger_.doubtful.push_back({type, patient, marker, body});
      ++ledger_.cut_off_writes;
      return false;
    }
    Tracked t{type, IdFromLocation(r), type == "Patient" ? "" : patient, marker, {}, {}};
    if (t.patient.empty()) t.patient = t.id;
    int64_t version = VersionOf(r.Header("etag"), r.Header("location"));
    if (t.id.empty() || version != 1) {
      ledger_.unexpected.push_back("POST " + type + " acknowledged without id or version 1");
      return true;
    }
    t.acknowledged[1] = body;
    ++ledger_.writes;
    (type == "Patient" ? patients_ : observations_).push_back(ledger_.created.size());
    ledger_.created.push_back(std::move(t));
    return true;
  }

  bool Update(std::vector<size_t>& pool) {
    size_t slot = rng_() % pool.size();
    Tracked& t = ledger_.created[pool[slot]];
    int64_t latest = t.latest();
    int edition = static_cast<int>(latest);
    std::string body = t.type == "Patient" ? PatientBody(t.id, t.marker, o_.organization, edition)
                                           : ObservationBody(t.id, t.marker, t.patient, edition);
    HttpResponse r;
    if (!Send("PUT", "/fhir/" + t.type + "/" + t.id, body,
              {"If-Match: W/\"" + std::to_string(latest) + "\""}, r)) {
      if (r.status != -1) return true;
      t.in_doubt = body;
      ++ledger_.cut_off_writes;
      return false;
    }
    int64_t version = VersionOf(r.Header("etag"), r.Header("location"));
    if (version != latest + 1) {
      ledger_.unexpected.push_back("PUT " + t.type + " acknowledged as version " +
                                   std::to_string(version) + " after " + std::to_string(latest));
      pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(slot));  // its state is unknown
      return true;
    }
    t.acknowledged[version] = body;
    ++ledger_.writes;
    return true;
  }

  // A read of the current version (or a vread of an acknowledged one): the content must
  // be what was acknowledged for it.
  bool Read(bool current) {
    std::vector<size_t>& pool = observations_.empty() || rng_() % 2 ? patients_ : observations_;
    Tracked& t = Pick(pool);
    auto it = t.acknowledged.begin();
    if (!current) std::advance(it, static_cast<std::ptrdiff_t>(rng_() % t.acknowledged.size()));
    if (current) it = std::prev(t.acknowledged.end());
    std::string path = "/fhir/" + t.type + "/" + t.id;
    if (!current) path += "/_history/" + std::to_string(it->first);
    HttpResponse r;
    if (!Send("GET", path, "", {}, r)) return r.status != -1;
    ++ledger_.reads;
    if (!SameContent(it->second, r.body))
      ledger_.unexpected.push_back("GET " + t.type + " version " + std::to_string(it->first) +
                                   " is not what was acknowledged");
    return true;
  }

  const LoadOptions& o_;
  int thread_;
  Ledger& ledger_;
  std::mt19937_64 rng_;
  HttpsClient client_;
  std::vector<size_t> patients_, observations_;  // this thread's, into ledger_.created
  int serial_ = 0;
};

}  // namespace

void Load::Run(int thread) {
  Worker worker(options_, thread, ledgers_[static_cast<size_t>(thread)]);
  while (!stop_ && worker.Step()) {
  }
}

}  // namespace medvault::testing::crash
