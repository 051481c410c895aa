// Audit-append throughput through the single group-commit writer: K client threads,
// each submitting one audit entry at a time and waiting for its durable commit (as a
// request does), against the real SQLite store in a temporary directory.
// Prints entries/s, commits/s, the mean group size and CPU µs per entry.
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
#include "common/random.h"
#include "store/store.h"

namespace {

using namespace medvault;

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

audit::AuditEvent Event() {
  audit::AuditEvent e;
  e.time_ms = 1'800'000'000'000;
  e.request_id = NewUuid();
  e.account_id = NewUuid();
  e.username = "dr.martin";
  e.role = "physician";
  e.session_id = NewUuid();
  e.client_address = "192.168.10.24";
  e.user_agent = "Mozilla/5.0 (X11; Linux x86_64) medvault-web/1.0";
  e.interaction = "read";
  e.resource_type = "Patient";
  e.resource_id = NewUuid();
  e.patients = {e.resource_id};
  e.outcome = "success";
  e.status = 200;
  return e;
}

}  // namespace

int main(int argc, char** argv) {
  int clients = argc > 1 ? std::atoi(argv[1]) : 32;
  double seconds = argc > 2 ? std::atof(argv[2]) : 5.0;
  char tmpl[] = "/tmp/medvault-audit-bench-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  {
    auto store = std::move(*store::OpenSqliteStore(dir + "/db", true));
    crypto::Keyring keyring(crypto::SecretKey::Random());
    audit::AuditLog log(keyring);
    std::atomic<bool> stop{false};
    std::atomic<long> done{0};
    auto client = [&] {
      std::mutex mu;
      std::condition_variable cv;
      while (!stop.load()) {
        bool finished = false;
        auto event = Event();
        store->Submit([&](store::Transaction& t) -> Status {
                        TRY(log.Append(t, event));
                        return Ok();
                      },
                      [&](Status) {
                        std::lock_guard lock(mu);
                        finished = true;
                        cv.notify_one();
                      });
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return finished; });
        done.fetch_add(1);
      }
    };
    double cpu0 = CpuSeconds();
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::thread> threads;
    for (int i = 0; i < clients; ++i) threads.emplace_back(client);
    std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
    stop = true;
    for (auto& t : threads) t.join();
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double cpu = CpuSeconds() - cpu0;
    long n = done.load();
    std::printf("AUDIT_APPEND clients=%d entries_per_s=%.0f cpu_us_per_entry=%.1f\n", clients,
                static_cast<double>(n) / elapsed, cpu * 1e6 / static_cast<double>(n));
  }
  std::filesystem::remove_all(dir);
  return 0;
}
