// Crash consistency: the real `medvault serve` under a mixed load over HTTPS (creates,
// updates, reads and vreads of Patients and Observations as a physician, from several
// client threads) is killed with SIGKILL at a random moment, restarted on the files the
// crash left, and checked (crash_checks.h): nothing acknowledged is lost, nothing cut
// off is half-written, every acknowledged request has its audit entry, and
// `medvault audit verify` passes on the crashed files. Then the next run.
//
//   crash_consistency --runs N --seed S [--threads T] [--kill-ms MIN-MAX]
//
// CTest runs 10 crashes; docs/RELIABILITY.md reports 100. MEDVAULT_KEEP_TEST_DIRS=1
// keeps the data directory and the server log.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <thread>

#include "crash_checks.h"
#include "crash_workload.h"
#include "practice_fixture.h"

namespace medvault::testing::crash {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Options {
  int runs = 10;
  uint64_t seed = 1;
  int threads = 4;
  int min_kill_ms = 200;
  int max_kill_ms = 1200;
};
Options options;

// The load reads the same patients again and again: budgets out of the way.
const std::vector<std::pair<std::string, std::string>> kConfig = {
    {"physician_patients_per_10_minutes = 15", "physician_patients_per_10_minutes = 100000"},
    {"physician_patients_per_hour = 40", "physician_patients_per_hour = 100000"},
    {"physician_patients_per_day = 150", "physician_patients_per_day = 1000000"},
    // A machine-speed load on one account is what the risk scorer escalates; the subject
    // here is durability.
    {"risk_scoring = true", "risk_scoring = false"}};

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// `medvault audit verify` on a copy of the files exactly as the crash left them (the
// command opens the database, which would recover the WAL before the server does).
long long VerifyCrashedCopy(const std::string& data_dir, const std::string& scratch) {
  fs::remove_all(scratch);
  fs::copy(data_dir, scratch, fs::copy_options::recursive);
  fs::remove(scratch + "/medvault.db-shm");  // a live server's index, rebuilt from the WAL
  return AuditEntriesVerified(scratch);
}

struct Totals {
  int64_t requests = 0, writes = 0, reads = 0, cut_off = 0, cut_off_writes = 0;
  int64_t committed = 0, absent = 0;
  int64_t versions = 0, audited = 0;
  std::vector<double> restarts;
};

TEST(CrashConsistency, NothingAcknowledgedIsLostAndNothingCutOffIsHalfWritten) {
  auto started = Clock::now();
  auto p = StartPractice(kConfig);
  std::vector<Tracked> history;
  Totals totals;
  std::string scratch = p->dir->path() + "/crashed-copy";
  std::printf("crash consistency: %d runs, seed %llu, %d client threads, kill after %d-%d ms\n",
              options.runs, static_cast<unsigned long long>(options.seed), options.threads,
              options.min_kill_ms, options.max_kill_ms);
  for (int run = 1; run <= options.runs && !::testing::Test::HasFailure(); ++run) {
    std::mt19937_64 rng(Mix(options.seed, static_cast<uint64_t>(run), 1'000'000));
    auto kill_after = std::chrono::milliseconds(
        std::uniform_int_distribution<int>(options.min_kill_ms, options.max_kill_ms)(rng));
    auto from = std::chrono::system_clock::now();
    Ledger ledger;
    {
      Load load({p->server->url(), p->data_dir + "/tls/server.crt", p->as("physician").bearer(),
                 p->organization_id, options.seed, run, options.threads});
      std::this_thread::sleep_for(kill_after);
      p->server->Kill();
      ledger = load.Finish();
    }
    auto until = std::chrono::system_clock::now();
    for (const std::string& u : ledger.unexpected) ADD_FAILURE() << "run " << run << ": " << u;
    long long entries = VerifyCrashedCopy(p->data_dir, scratch);

    auto restart = Clock::now();
    p->server = std::make_unique<ServerProcess>(p->data_dir, p->log_file);
    totals.restarts.push_back(Seconds(Clock::now() - restart));
    for (const char* who : {"physician", "security_officer"}) {
      auto client = p->NewClient();
      client->set_bearer(p->as(who).bearer());
      p->clients[who] = std::move(client);
    }
    Checker checker(p->as("physician"), p->as("security_officer"), options.threads);
    Resolution r = checker.ResolveRun(ledger, history, from);
    checker.CheckAuditTrail(ledger, from, until, r);
    for (const std::string& f : checker.failures()) ADD_FAILURE() << "run " << run << ": " << f;

    std::printf(
        "run %3d: killed after %4lld ms | %4lld requests: %4lld writes and %4lld reads "
        "acknowledged, %lld cut off | %lld writes cut off: %lld committed whole, %lld absent | "
        "%lld versions vread, %lld requests found audited | restart %.2f s | %lld audit "
        "entries verified | %s\n",
        run, static_cast<long long>(kill_after.count()), static_cast<long long>(ledger.requests),
        static_cast<long long>(ledger.writes), static_cast<long long>(ledger.reads),
        static_cast<long long>(ledger.cut_off), static_cast<long long>(ledger.cut_off_writes),
        static_cast<long long>(r.committed), static_cast<long long>(r.absent),
        static_cast<long long>(r.versions_checked), static_cast<long long>(r.audited),
        totals.restarts.back(), entries,
        checker.failures().empty() && ledger.unexpected.empty() ? "ok" : "FAILED");
    std::fflush(stdout);
    totals.requests += ledger.requests;
    totals.writes += ledger.writes;
    totals.reads += ledger.reads;
    totals.cut_off += ledger.cut_off;
    totals.cut_off_writes += ledger.cut_off_writes;
    totals.committed += r.committed;
    totals.absent += r.absent;
    totals.versions += r.versions_checked;
    totals.audited += r.audited;
  }

  // At the end: every resource at its last acknowledged version, a clean stop, a log
  // that verifies.
  Checker final_checker(p->as("physician"), p->as("security_officer"), options.threads);
  final_checker.CheckEverything(history);
  for (const std::string& f : final_checker.failures()) ADD_FAILURE() << "at the end: " << f;
  EXPECT_EQ(p->server->Stop(), 0);
  long long entries = AuditEntriesVerified(p->data_dir);

  std::sort(totals.restarts.begin(), totals.restarts.end());
  auto at = [&](double q) {
    return totals.restarts.empty() ? 0.0
                                   : totals.restarts[static_cast<size_t>(
                                         q * static_cast<double>(totals.restarts.size() - 1))];
  };
  std::printf(
      "summary: %zu crashes; %lld requests, %lld writes and %lld reads acknowledged, %lld cut "
      "off; %lld writes cut off: %lld committed whole, %lld absent; %lld acknowledged versions "
      "vread; %lld "
      "acknowledged requests found in the audit trail; %zu resources current at the end; "
      "restart median %.2f s, max %.2f s; %lld audit entries verified; %.0f s in all; %s\n",
      totals.restarts.size(), static_cast<long long>(totals.requests),
      static_cast<long long>(totals.writes), static_cast<long long>(totals.reads),
      static_cast<long long>(totals.cut_off), static_cast<long long>(totals.cut_off_writes),
      static_cast<long long>(totals.committed), static_cast<long long>(totals.absent),
      static_cast<long long>(totals.versions), static_cast<long long>(totals.audited),
      history.size(), at(0.5), at(1.0), entries, Seconds(Clock::now() - started),
      ::testing::Test::HasFailure() ? "FAILED"
                                    : "no acknowledged write lost, nothing half-written");
}

bool ParseOptions(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char* value = i + 1 < argc ? argv[i + 1] : nullptr;
    if (value == nullptr) return false;
    if (arg == "--runs") {
      options.runs = std::atoi(value);
    } else if (arg == "--seed") {
      options.seed = std::strtoull(value, nullptr, 10);
    } else if (arg == "--threads") {
      options.threads = std::atoi(value);
    } else if (arg == "--kill-ms") {
      if (std::sscanf(value, "%d-%d", &options.min_kill_ms, &options.max_kill_ms) != 2)
        return false;
    } else {
      return false;
    }
    ++i;
  }
  return options.runs > 0 && options.threads > 0 && options.min_kill_ms > 0 &&
         options.min_kill_ms <= options.max_kill_ms;
}

}  // namespace
}  // namespace medvault::testing::crash

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);  // takes the --gtest_* flags out
  if (!medvault::testing::crash::ParseOptions(argc, argv)) {
    std::fprintf(stderr,
                 "usage: crash_consistency [--runs N] [--seed S] [--threads T] "
                 "[--kill-ms MIN-MAX]\n");
    return 2;
  }
  return RUN_ALL_TESTS();
}
