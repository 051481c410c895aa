// The risk scorer's cost: nanoseconds per Observe with many active accounts, and memory
// per active account (the heap as malloc sees it, and the scorer's own estimate).
//
//   build/release/bench/scorer_bench [accounts] [consultations_per_day] [days]
//
// Each account works like a GP: `consultations_per_day` consultations 8:00–19:00, each a
// read of the patient, three searches of its records and a write, on `days` weekdays;
// the accounts' days are interleaved, as on a busy server. Time is simulated.
#include <malloc.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "detect/local_time.h"
#include "detect/risk_scorer.h"

using medvault::detect::DetectionEvent;
using medvault::detect::kDayMs;
using medvault::detect::kHourMs;
using medvault::detect::kMinuteMs;
using medvault::detect::RiskScorer;
using medvault::detect::ScoringOptions;

namespace {

constexpr int64_t kFirstMonday = 20458 * kDayMs;  // 2026-01-05

std::string PatientId(int64_t n) {
  char id[40];
  std::snprintf(id, sizeof id, "8f2c1a5e-0000-4000-8000-%012lld", static_cast<long long>(n));
  return id;
}

double ThreadCpuNs() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

}  // namespace

int main(int argc, char** argv) {
  const int accounts = argc > 1 ? std::atoi(argv[1]) : 10'000;
  const int consultations = argc > 2 ? std::atoi(argv[2]) : 22;
  const int days = argc > 3 ? std::atoi(argv[3]) : 2;
  if (accounts < 1 || consultations < 1 || days < 1) {
    std::fprintf(stderr, "usage: scorer_bench [accounts >= 1] [consultations >= 1] [days >= 1]\n");
    return 2;
  }
  std::vector<std::string> ids;
  for (int a = 0; a < accounts; ++a) ids.push_back("account-" + std::to_string(a));

  const size_t heap_before = mallinfo2().uordblks;
  RiskScorer scorer{ScoringOptions{}};
  // One batch: the same step of the same consultation for every account, built before
  // the clock starts; only Observe is timed, by the wall clock and by the thread's CPU
  // time (the figure that holds on a machine shared with other work).
  std::vector<DetectionEvent> batch(static_cast<size_t>(accounts));
  for (int a = 0; a < accounts; ++a) {
    DetectionEvent& e = batch[static_cast<size_t>(a)];
    e.account_id = ids[static_cast<size_t>(a)];
    e.client_address = "10.0." + std::to_string(a % 250) + ".1";
    e.user_agent = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
    e.patients.resize(1);
  }
  int64_t observed = 0, escalations = 0, seq = 0;
  double wall_ns = 0, cpu_ns = 0;
  const int64_t gap = 11 * kHourMs / consultations;
  for (int day = 0; day < days; ++day) {
    const int64_t morning = kFirstMonday + (day / 5 * 7 + day % 5) * kDayMs + 8 * kHourMs;
    for (int c = 0; c < consultations; ++c) {
      for (int step = 0; step < 5; ++step) {
        const auto kind = step == 0  ? DetectionEvent::Kind::kRead
                          : step < 4 ? DetectionEvent::Kind::kSearch
                                     : DetectionEvent::Kind::kWrite;
        const int64_t t = morning + c * gap + (step < 4 ? step : 12) * kMinuteMs;
        for (int a = 0; a < accounts; ++a) {
          DetectionEvent& e = batch[static_cast<size_t>(a)];
          e.time_ms = t;
          e.audit_seq = ++seq;
          e.session_id = e.account_id + "-" + std::to_string(day);
          e.kind = kind;
          e.patients[0].id = PatientId(int64_t{a} * 2000 + (day * consultations + c) % 1500);
        }
        const auto wall_start = std::chrono::steady_clock::now();
        const double cpu_start = ThreadCpuNs();
        for (const DetectionEvent& e : batch)
          escalations += static_cast<int64_t>(scorer.Observe(e).size());
        cpu_ns += ThreadCpuNs() - cpu_start;
        wall_ns +=
            std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - wall_start)
                .count();
        observed += accounts;
      }
    }
  }
  const size_t heap_after = mallinfo2().uordblks;
  std::printf(
      "scorer_bench: %d accounts x %d consultations x %d days = %lld events, %lld escalations\n",
      accounts, consultations, days, static_cast<long long>(observed),
      static_cast<long long>(escalations));
  std::printf(
      "SCORER ns_per_observe=%.0f cpu_ns_per_observe=%.0f heap_bytes_per_account=%.0f "
      "estimated_bytes_per_account=%.0f tracked_accounts=%zu\n",
      wall_ns / static_cast<double>(observed), cpu_ns / static_cast<double>(observed),
      static_cast<double>(heap_after - heap_before) / accounts,
      static_cast<double>(scorer.MemoryBytes()) / accounts, scorer.accounts());
  return escalations == 0 ? 0 : 1;
}
