// Key rotation through the real binary while the real server serves over TLS: the KEK is
// rotated under a client's reads and writes with no failed request, every data key ends
// under the new version and every record reads back (API and export), old versions are
// retired; the audit signing key rotates with old tree heads still verifying; the
// blind-index key rotates with the server stopped and searches keep finding.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// `keys status --json`: (version → data keys) and the current version.
struct KekStatus {
  int current = 0;
  std::map<int, long long> data_keys;
  std::map<int, std::string> state;
};
KekStatus KeyStatus(const std::string& data_dir) {
  CommandResult r = RunMedvault({"keys", "status", "--data", data_dir, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  KekStatus status;
  auto doc = Json(r.out);
  if (!doc.IsObject() || !doc.HasMember("kek")) return status;
  status.current = doc["kek"]["current"].GetInt();
  for (const auto& v : doc["kek"]["versions"].GetArray()) {
    status.data_keys[v["version"].GetInt()] = v["data_keys"].GetInt64();
    status.state[v["version"].GetInt()] = v["state"].GetString();
  }
  return status;
}

TEST(KeyRotation, ReWrapsEveryDataKeyUnderLoadWithoutAFailedRequest) {
  auto p = StartPractice();
  // Data keys to re-wrap: 3,000 imported patients besides the practice's own.
  const std::string file = p->dir->path() + "/patients.ndjson";
  {
    std::ofstream out(file);
    for (int i = 0; i < 3000; ++i)
      out << R"({"resourceType":"Patient","id":"imported-)" << i
          << R"(","name":[{"family":"Importe","given":["Zoe"]}],"birthDate":"1975-04-02",)"
          << R"("managingOrganization":{"reference":"Organization/)" << p->organization_id
          << "\"}}\n";
  }
  CommandResult imported = RunMedvault({"import", "--data", p->data_dir, file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  std::vector<std::string> mine;
  for (int i = 0; i < 5; ++i) {
    auto r = p->as("physician")
                 .Request("POST", "/fhir/Patient",
                          PatientJson("Rotation-" + std::to_string(i), "Alix",
                                      "1980-01-0" + std::to_string(i + 1), p->organization_id));
    ASSERT_EQ(r.status, 201) << r.body;
    mine.push_back(IdFromLocation(r));
  }

  // A clinician working throughout: reads, writes under existing data keys, and new
  // patients (new data keys, wrapped under whichever version the server holds current).
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::mutex mu;
  std::vector<std::string> failures, created;
  std::vector<double> latencies_ms;  // of every request, for the figures
  std::thread load([&] {
    auto client = p->SameSessionAs("physician");
    auto last = std::chrono::steady_clock::now();
    auto expect = [&](const HttpResponse& r, long status, const char* what) {
      ++requests;
      auto now = std::chrono::steady_clock::now();
      latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - last).count());
      last = now;
      if (r.status == status) return true;
      std::lock_guard lock(mu);
      failures.push_back(std::string(what) + " -> " + std::to_string(r.status) + " " + r.body);
      return false;
    };
    for (int i = 0; !stop; ++i) {
      const std::string& patient = mine[static_cast<size_t>(i) % mine.size()];
      expect(client->Get("/fhir/Patient/" + patient), 200, "read");
      expect(client->Request("POST", "/fhir/Observation",
                             ObservationJson(patient, "2026-11-02T10:00:00Z", "70")),
             201, "write");
      auto c = client->Request(
          "POST", "/fhir/Patient",
          PatientJson("Pendant-" + std::to_string(i), "Noe", "1990-02-03", p->organization_id));
      if (expect(c, 201, "create")) {
        std::lock_guard lock(mu);
        created.push_back(IdFromLocation(c));
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  CommandResult rotated =
      RunMedvault({"keys", "rotate", "--data", p->data_dir, "--batch", "100", "--pause-ms", "10"});
  std::this_thread::sleep_for(std::chrono::seconds(1));  // new patients after the rotation
  stop = true;
  load.join();
  ASSERT_EQ(rotated.exit_code, 0) << rotated.out << rotated.err;
  EXPECT_NE(rotated.out.find("version 2 is current"), std::string::npos) << rotated.out;
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, first: " << failures.front();
  EXPECT_GT(requests.load(), 30);
  std::sort(latencies_ms.begin(), latencies_ms.end());
  auto percentile = [&](double q) {
    return latencies_ms[static_cast<size_t>(q * static_cast<double>(latencies_ms.size() - 1))];
  };
  std::cout << "rotation under load: " << requests.load() << " requests, " << failures.size()
            << " failed, " << created.size() << " patients created meanwhile; latency p50 "
            << percentile(0.5) << " ms, p99 " << percentile(0.99) << " ms, max "
            << latencies_ms.back() << " ms; " << rotated.out;

  // Every data key is under version 2, those of patients created during and after the
  // rotation included.
  KekStatus status = KeyStatus(p->data_dir);
  EXPECT_EQ(status.current, 2);
  EXPECT_EQ(status.data_keys[1], 0);
  EXPECT_GE(status.data_keys[2], 3000 + 5 + static_cast<long long>(created.size()));

  // Version 1 retires; everything still reads, through the running server and through a
  // process that loads only the versions the database names (export).
  CommandResult retired = RunMedvault({"keys", "retire", "--data", p->data_dir, "--version", "1"});
  ASSERT_EQ(retired.exit_code, 0) << retired.err;
  EXPECT_EQ(KeyStatus(p->data_dir).state[1], "retired");
  for (const std::string& id : mine) {
    auto r = p->as("physician").Get("/fhir/Patient/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Rotation-"), std::string::npos);
  }
  const std::string out = p->dir->path() + "/export";
  CommandResult exported = RunMedvault({"export", "--data", p->data_dir, "--out", out});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  std::string patients = ReadFile(out + "/Patient.ndjson");
  EXPECT_NE(patients.find("imported-2999"), std::string::npos);
  for (const std::string& id : created) EXPECT_NE(patients.find(id), std::string::npos) << id;

  // The next rotation replaces a file key: retiring it destroys the file, and the server
  // reads data keys under version 3, which it loads when it first meets one.
  ASSERT_EQ(RunMedvault({"keys", "rotate", "--data", p->data_dir}).exit_code, 0);
  CommandResult again = RunMedvault({"keys", "retire", "--data", p->data_dir, "--version", "2"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(std::filesystem::exists(p->data_dir + "/keys/kek-2.key"));
  EXPECT_TRUE(std::filesystem::exists(p->data_dir + "/keys/kek-3.key"));
  EXPECT_EQ(p->as("physician").Get("/fhir/Patient/" + mine[0]).status, 200);
  auto fresh = p->as("physician")
                   .Request("POST", "/fhir/Patient",
                            PatientJson("Apres", "Eve", "1999-09-09", p->organization_id));
  EXPECT_EQ(fresh.status, 201);
  status = KeyStatus(p->data_dir);
  EXPECT_EQ(status.data_keys[2], 0);
  EXPECT_EQ(status.current, 3);

  // Bad input changes nothing: the current version, an unknown one.
  EXPECT_EQ(RunMedvault({"keys", "retire", "--data", p->data_dir, "--version", "3"}).exit_code, 1);
  EXPECT_EQ(RunMedvault({"keys", "retire", "--data", p->data_dir, "--version", "9"}).exit_code, 1);
  EXPECT_EQ(KeyStatus(p->data_dir).state[3], "active");
  EXPECT_GT(AuditEntriesVerified(p->data_dir), 0);
}

TEST(KeyRotation, ARotatedSigningKeyKeepsOldTreeHeadsVerifiable) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(dir)).exit_code, 0);
  auto activity = [&] {
    ServerProcess server(dir, tmp.path() + "/server.log");
    HttpsClient client(server.url(), dir + "/tls/server.crt");
    for (int i = 0; i < 3; ++i) EXPECT_EQ(client.Get("/auth/me").status, 401);  // audited
    EXPECT_EQ(server.Stop(), 0);                                                // signs a last head
  };
  activity();
  const std::string first_key = ReadFile(dir + "/signing.pub");
  CommandResult rotated = RunMedvault({"keys", "rotate-signing", "--data", dir});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(ReadFile(dir + "/signing.pub"), first_key);
  activity();  // heads signed with the new key
  CommandResult verified = RunMedvault({"audit", "verify", "--data", dir});
  ASSERT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("by earlier signing keys"), std::string::npos) << verified.out;

  // The old key's heads verify only through the endorsed history: a broken endorsement is
  // refused, and so is a history without the old key.
  const std::string history_path = dir + "/signing-history.pub";
  const std::string history = ReadFile(history_path);
  std::string broken = history;
  broken[broken.size() - 2] = broken[broken.size() - 2] == '0' ? '1' : '0';
  std::ofstream(history_path, std::ios::trunc) << broken;
  CommandResult refused = RunMedvault({"audit", "verify", "--data", dir});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("endorsement"), std::string::npos) << refused.err;
  std::filesystem::remove(history_path);
  refused = RunMedvault({"audit", "verify", "--data", dir});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("invalid signature"), std::string::npos) << refused.err;
  std::ofstream(history_path, std::ios::trunc) << history;
  EXPECT_EQ(RunMedvault({"audit", "verify", "--data", dir}).exit_code, 0);
}

TEST(KeyRotation, TheBlindIndexKeyRotatesWithTheServerStopped) {
  auto p = StartPractice();
  auto created =
      p->as("physician")
          .Request("POST", "/fhir/Patient",
                   PatientJson("Quillebeuf", "Armelle", "1961-03-04", p->organization_id));
  ASSERT_EQ(created.status, 201);
  const std::string id = IdFromLocation(created);
  auto found = p->as("physician").Get("/fhir/Patient?family=quillebeuf");
  ASSERT_NE(found.body.find(id), std::string::npos) << found.body;

  CommandResult busy = RunMedvault({"keys", "rotate-index", "--data", p->data_dir});
  EXPECT_EQ(busy.exit_code, 1);
  EXPECT_NE(busy.err.find("stop it first"), std::string::npos) << busy.err;
  ASSERT_EQ(p->server->Stop(), 0);
  CommandResult rotated = RunMedvault({"keys", "rotate-index", "--data", p->data_dir});
  ASSERT_EQ(rotated.exit_code, 0) << rotated.err;
  EXPECT_NE(rotated.out.find("blind-index key version 2"), std::string::npos) << rotated.out;
  EXPECT_TRUE(std::filesystem::exists(p->data_dir + "/keys/blind-index-2.key"));

  p->server = std::make_unique<ServerProcess>(p->data_dir, p->log_file);
  auto doctor = p->LoginAs("physician");
  found = doctor->Get("/fhir/Patient?family=quillebeuf");
  EXPECT_EQ(found.status, 200);
  EXPECT_NE(found.body.find(id), std::string::npos) << found.body;
  EXPECT_EQ(doctor->Get("/fhir/Patient?family=dupont").body.find(id), std::string::npos);
  // The audit index was re-filed under the new key too.
  auto officer = p->LoginAs("security_officer");
  auto trail = officer->Get("/fhir/AuditEvent?patient=Patient/" + id);
  EXPECT_EQ(trail.status, 200);
  EXPECT_NE(trail.body.find("\"entry\""), std::string::npos) << trail.body.substr(0, 300);
  EXPECT_GT(AuditEntriesVerified(p->data_dir), 0);
}

TEST(KeyRotation, ARotationKilledHalfWayLeavesEveryRecordReadableAndResumes) {
  TempDir tmp;
  const std::string dir = tmp.path() + "/data";
  ASSERT_EQ(RunMedvault(InitArgs(dir)).exit_code, 0);
  const std::string file = tmp.path() + "/patients.ndjson";
  {
    std::ofstream out(file);
    out << R"({"resourceType":"Organization","id":"org-1","name":"Cabinet"})"
        << "\n";
    for (int i = 0; i < 2000; ++i)
      out << R"({"resourceType":"Patient","id":"p-)" << i
          << R"(","name":[{"family":"Interrompu"}],"managingOrganization":)"
          << R"({"reference":"Organization/org-1"}})"
          << "\n";
  }
  ASSERT_EQ(RunMedvault({"import", "--data", dir, file}).exit_code, 0);
  // SIGKILL in the middle of re-wrapping: no chance to clean anything up.
  std::string binary = MedvaultBinary();
  std::vector<std::string> args = {binary,    "keys", "rotate",     "--data", dir,
                                   "--batch", "10",   "--pause-ms", "50"};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ASSERT_EQ(::posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv.data(), environ), 0);
  for (int i = 0; i < 300 && KeyStatus(dir).data_keys[2] < 100; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ::kill(pid, SIGKILL);
  int wait_status = 0;
  ::waitpid(pid, &wait_status, 0);
  EXPECT_TRUE(WIFSIGNALED(wait_status));
  KekStatus half = KeyStatus(dir);
  EXPECT_EQ(half.current, 2);
  EXPECT_GT(half.data_keys[1], 0);
  EXPECT_GT(half.data_keys[2], 0);
  std::cout << "killed half-way: " << half.data_keys[1] << " data keys under v1, "
            << half.data_keys[2] << " under v2\n";
  // Every record reads (export opens every one), under whichever version wraps its key.
  CommandResult exported = RunMedvault({"export", "--data", dir, "--out", tmp.path() + "/out"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  EXPECT_NE(exported.out.find("exported 2001 resources"), std::string::npos) << exported.out;
  // Version 1 cannot be retired while keys use it; --resume finishes the job.
  EXPECT_EQ(RunMedvault({"keys", "retire", "--data", dir, "--version", "1"}).exit_code, 1);
  CommandResult resumed = RunMedvault({"keys", "rotate", "--data", dir, "--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  KekStatus done = KeyStatus(dir);
  EXPECT_EQ(done.current, 2);
  EXPECT_EQ(done.data_keys[1], 0);
  EXPECT_EQ(RunMedvault({"keys", "retire", "--data", dir, "--version", "1"}).exit_code, 0);
  EXPECT_EQ(RunMedvault({"export", "--data", dir, "--out", tmp.path() + "/out2"}).exit_code, 0);
}

TEST(KeyRotation, HelpOnEveryKeyCommand) {
  for (std::vector<std::string> args : {std::vector<std::string>{"keys", "--help"},
                                        {"keys", "status", "--help"},
                                        {"keys", "rotate", "--help"},
                                        {"keys", "retire", "--help"},
                                        {"keys", "rotate-index", "--help"},
                                        {"keys", "rotate-signing", "--help"},
                                        {"erase", "--help"},
                                        {"selfcheck", "--help"}}) {
    CommandResult r = RunMedvault(args);
    EXPECT_EQ(r.exit_code, 0) << args[0];
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args[0];
  }
  EXPECT_EQ(RunMedvault({"keys"}).exit_code, 2);
  EXPECT_EQ(RunMedvault({"keys", "retire", "--data", "/tmp"}).exit_code, 2);  // --version
  EXPECT_EQ(RunMedvault({"erase", "--data", "/tmp"}).exit_code, 2);           // --patient
}

}  // namespace
}  // namespace medvault::testing
