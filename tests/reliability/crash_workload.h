// The load of one crash run: client threads that create and update Patients and
// Observations as a physician and read them back over HTTPS, each keeping a ledger of
// what the server acknowledged (a complete 2xx answer) and of what it may or may not
// have done (a request whose answer the crash cut off). The seed fixes each thread's
// choice of operations; the interleaving of threads and the kill is the machine's.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace medvault::testing::crash {

// The identifier system of the load's resources: each has its own value (the marker),
// so that one whose create was cut off can be searched for.
inline constexpr const char* kMarkerSystem = "urn:medvault:crash";

// A resource the load created, with every version the server acknowledged.
struct Tracked {
  std::string type;  // "Patient" or "Observation"
  std::string id;
  std::string patient;  // the Patient's id (its own for a Patient)
  std::string marker;
  std::map<int64_t, std::string> acknowledged;  // version → the body sent for it
  std::optional<std::string> in_doubt;          // an update whose answer was cut off
  int64_t latest() const { return acknowledged.empty() ? 0 : acknowledged.rbegin()->first; }
};

// A create whose answer was cut off: the server may or may not have made it.
struct DoubtfulCreate {
  std::string type;
  std::string patient;  // the Observation's patient; "" for a Patient
  std::string marker;
  std::string body;
};

struct Ledger {
  std::vector<Tracked> created;          // acknowledged creates, with their updates
  std::vector<DoubtfulCreate> doubtful;  // creates cut off
  std::vector<std::string> request_ids;  // X-Request-Id of every acknowledged request
  std::vector<std::string> unexpected;   // answers that are neither 2xx nor cut off
  int64_t requests = 0;
  int64_t writes = 0;          // acknowledged creates and updates
  int64_t reads = 0;           // acknowledged reads and vreads
  int64_t cut_off = 0;         // requests whose answer was cut off
  int64_t cut_off_writes = 0;  // of which creates and updates

  void Merge(Ledger&& other);
};

struct LoadOptions {
  std::string base_url;
  std::string ca_file;
  std::string bearer;        // the physician's session
  std::string organization;  // the physician's Organization id
  uint64_t seed = 1;
  int run = 1;
  int threads = 4;
};

// Starts the client threads at once. Finish() (after the kill) stops them and returns
// their ledgers merged. A thread whose request is cut off stops there: the server is
// gone, and what it sends next would never arrive.
class Load {
 public:
  explicit Load(LoadOptions options);
  ~Load();
  Load(const Load&) = delete;
  Load& operator=(const Load&) = delete;
  Ledger Finish();

 private:
  void Run(int thread);

  LoadOptions options_;
  std::atomic<bool> stop_{false};
  std::vector<Ledger> ledgers_;
  std::vector<std::thread> threads_;
};

// The bodies the load sends: `edition` 0 for a create, then 1, 2, … for updates (which
// carry the id).
std::string PatientBody(const std::string& id, const std::string& marker,
                        const std::string& organization, int edition);
std::string ObservationBody(const std::string& id, const std::string& marker,
                            const std::string& patient, int edition);

// Whether `served` (a resource as the server returns it, as JSON text) is `sent` up to
// what the server adds to it: id and meta.
bool SameContent(const std::string& sent, const std::string& served);

// The version a response names: ETag W/"n", or Location …/_history/n; 0 if neither.
int64_t VersionOf(const std::string& etag, const std::string& location);

// A well-mixed 64-bit value of (seed, a, b): per-run and per-thread random streams.
uint64_t Mix(uint64_t seed, uint64_t a, uint64_t b);

}  // namespace medvault::testing::crash
