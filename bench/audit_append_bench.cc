// Durable audit appends per second through the single group-commit writer, against the
// real SQLite store (synchronous=FULL) in a temporary directory, or against PostgreSQL
// when MEDVAULT_BENCH_DATABASE names an empty database (postgresql://…).
//
//   audit_append_bench [IN_FLIGHT [SECONDS [SUBMITTERS [MAX_GROUP]]]]
//
// SUBMITTERS threads (default 1) keep IN_FLIGHT entries (default 1024) outstanding
// between them, as a server under load has many requests waiting for their commit: a
// submitter blocks only when all of its share is in flight, and every completion frees
// a slot. As in the request pipeline, each entry is sealed (canonical JSON, leaf hash,
// encryption) on the thread that submits it, and its job appends it: the rows, the
// Merkle subtrees, the savepoint. An entry counts only when its completion reported a
// successful commit, i.e. when it was durable. MAX_GROUP, the most jobs per commit, is
// the server's default (StoreOptions) unless given.
//
// Without arguments it runs twice, with 1024 and then 32 entries in flight (each in a
// fresh store), so that both the loaded and the low-concurrency figures are visible.
// After a warm-up of half a second, it counts for SECONDS (default 5) and prints
// entries/s, commits/s, the mean group (entries per commit) and CPU µs per entry (the
// whole process: submitters, writer and completions).
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "audit/audit_log.h"
#include "sample_audit_event.h"
#include "store/store.h"

namespace {

using namespace medvault;
using Clock = std::chrono::steady_clock;

constexpr auto kWarmUp = std::chrono::milliseconds(500);

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// One submitter's share of the entries in flight: it waits for a free slot, and each
// completion frees one.
class Slots {
 public:
  explicit Slots(int count) : free_(count) {}

  // False once `stop` is set.
  bool Take(const std::atomic<bool>& stop) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return free_ > 0 || stop.load(); });
    if (stop.load()) return false;
    --free_;
    return true;
  }
  void Wake() {
    std::lock_guard lock(mu_);
    cv_.notify_all();
  }
  // Waits until every slot is back (everything submitted has completed).
  void Drain(int count) {
    std::unique_lock lock(mu_);
    drained_.wait(lock, [&] { return free_ == count; });
  }
  void Give() {
    std::lock_guard lock(mu_);
    if (free_++ == 0) cv_.notify_one();
    drained_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable drained_;
  int free_;
};

struct Counters {
  std::atomic<long> durable{0};  // completions that reported a commit
  std::atomic<long> failed{0};
  std::atomic<long> commits{0};  // groups completed (one completion task per commit)
};

struct Snapshot {
  Clock::time_point at;
  double cpu;
  long durable;
  long commits;
};

Snapshot Take(const Counters& c) {
  return {Clock::now(), CpuSeconds(), c.durable.load(), c.commits.load()};
}

int Run(int in_flight, double seconds, int submitters, const store::StoreOptions& options) {
  char tmpl[] = "/tmp/medvault-audit-bench-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  Counters counters;
  {
    // MEDVAULT_BENCH_DATABASE=postgresql://…: an empty PostgreSQL database instead of a
    // SQLite file (bench/engine_benchmark.sh makes one per run).
    const char* database = std::getenv("MEDVAULT_BENCH_DATABASE");
    auto opened = database != nullptr && *database != '\0'
                      ? store::OpenPostgresStore(database, true, options)
                      : store::OpenSqliteStore(dir + "/db", true, options);
    if (!opened) {
      std::fprintf(stderr, "audit_append_bench: %s\n", opened.error().message.c_str());
      return 1;
    }
    auto store = std::move(*opened);
    crypto::Keyring keyring(crypto::SecretKey::Random());
    audit::AuditLog log(keyring);
    // The writer hands each committed group's completions over as one task, as it does
    // to a server's I/O threads: counting the tasks counts the commits.
    store->SetCompletionPoster([&](std::function<void()> complete) {
      counters.commits.fetch_add(1, std::memory_order_relaxed);
      complete();
    });
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<Slots>> slots;
    std::vector<int> shares;
    for (int i = 0; i < submitters; ++i) {
      shares.push_back(in_flight / submitters + (i < in_flight % submitters ? 1 : 0));
      slots.push_back(std::make_unique<Slots>(shares.back()));
    }
    auto submit = [&](Slots& mine) {
      while (mine.Take(stop)) {
        store->Submit(
            [&log, entry = log.Seal(bench::SampleAuditEvent())](store::Transaction& t) -> Status {
              TRY(log.Append(t, entry));
              return Ok();
            },
            [&counters, &mine](Status committed) {
              if (committed) {
                counters.durable.fetch_add(1, std::memory_order_relaxed);
              } else {
                counters.failed.fetch_add(1, std::memory_order_relaxed);
              }
              mine.Give();
            });
      }
    };
    std::vector<std::thread> threads;
    for (int i = 0; i < submitters; ++i) threads.emplace_back(submit, std::ref(*slots[i]));
    std::this_thread::sleep_for(kWarmUp);
    Snapshot begin = Take(counters);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    Snapshot end = Take(counters);
    stop = true;
    for (auto& s : slots) s->Wake();
    for (auto& t : threads) t.join();
    for (int i = 0; i < submitters; ++i) slots[i]->Drain(shares[i]);

    const double elapsed = std::chrono::duration<double>(end.at - begin.at).count();
    const auto entries = static_cast<double>(end.durable - begin.durable);
    const auto commits = static_cast<double>(end.commits - begin.commits);
    std::printf(
        "AUDIT_APPEND in_flight=%d submitters=%d max_group=%zu entries_per_s=%.0f "
        "commits_per_s=%.0f "
        "mean_group=%.1f cpu_us_per_entry=%.1f failed=%ld\n",
        in_flight, submitters, options.max_group, entries / elapsed, commits / elapsed,
        commits > 0 ? entries / commits : 0.0, (end.cpu - begin.cpu) * 1e6 / entries,
        counters.failed.load());
  }
  std::filesystem::remove_all(dir);
  return counters.failed.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  const int submitters = argc > 3 ? std::atoi(argv[3]) : 1;
  store::StoreOptions options;
  if (argc > 4) options.max_group = static_cast<size_t>(std::atol(argv[4]));
  if (argc > 1) return Run(std::atoi(argv[1]), seconds, submitters, options);
  int failed = Run(1024, seconds, submitters, options);
  failed |= Run(32, seconds, submitters, options);
  return failed;
}
