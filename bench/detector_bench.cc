// The detector's cost on the request path: nanoseconds per budget charge, and memory
// per active account. Issue 7 asks for "a few microseconds per request" at most.
//
//   build/release/bench/detector_bench [accounts] [patients_per_account]
//
// Each account is charged like a clinician's day: `patients_per_account` distinct
// patients (one per consultation), each read several times (history, notes, results).
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "detect/budgets.h"

using medvault::detect::BudgetLedger;
using medvault::detect::BudgetOptions;
using medvault::detect::BudgetVerdict;
using medvault::identity::Role;

int main(int argc, char** argv) {
  const int accounts = argc > 1 ? std::atoi(argv[1]) : 10'000;
  const int patients = argc > 2 ? std::atoi(argv[2]) : 30;
  const int reads_per_patient = 4;
  if (accounts < 1 || patients < 1) {
    std::fprintf(stderr, "usage: detector_bench [accounts >= 1] [patients_per_account >= 1]\n");
    return 2;
  }
  std::vector<std::string> ids;
  for (int a = 0; a < accounts; ++a) ids.push_back("account-" + std::to_string(a));
  std::vector<std::vector<std::string>> pages(static_cast<size_t>(patients));
  for (int p = 0; p < patients; ++p)
    pages[static_cast<size_t>(p)] = {"8f2c1a5e-0000-4000-8000-" + std::to_string(100000000000 + p)};

  const size_t heap_before = mallinfo2().uordblks;
  BudgetLedger ledger{BudgetOptions{}};
  int64_t refused = 0, charges = 0;
  auto start = std::chrono::steady_clock::now();
  // A working day: consultations 15 simulated minutes apart, accounts interleaved.
  for (int p = 0; p < patients; ++p) {
    int64_t now = 8 * 3'600'000LL + p * 900'000LL;
    for (int a = 0; a < accounts; ++a)
      for (int r = 0; r < reads_per_patient; ++r, ++charges)
        refused += ledger
                       .Charge(ids[static_cast<size_t>(a)], Role::kPhysician, 0,
                               pages[static_cast<size_t>(p)], false, now + r * 1000)
                       .verdict != BudgetVerdict::kWithin;
  }
  auto elapsed = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start);
  const size_t heap_after = mallinfo2().uordblks;
  std::printf("detector_bench: %d accounts x %d patients x %d reads = %lld charges, %lld refused\n",
              accounts, patients, reads_per_patient, static_cast<long long>(charges),
              static_cast<long long>(refused));
  std::printf("DETECTOR ns_per_charge=%.0f bytes_per_account=%.0f tracked_accounts=%zu\n",
              elapsed.count() / static_cast<double>(charges),
              static_cast<double>(heap_after - heap_before) / accounts, ledger.accounts());
  return refused == 0 ? 0 : 1;
}
