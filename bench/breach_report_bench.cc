// Times the breach scope report on a long audit log: the whole-log verification with the
// report's scan riding along (what `medvault report breach` and GET
// /security/breach-report do), against the verification alone.
//
//   medvault init --data DIR
//   audit_log_fill DIR ENTRIES HEADS ACCOUNTS     (a practice's traffic)
//   breach_report_bench DIR ACCOUNT_ID [ACCOUNT_ID…]
//
// e.g. breach_report_bench DIR bench-account-7. Prints, for each side, the wall and CPU
// seconds and the entries per second, then what the report found.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli/audit_verification.h"
#include "cli/runtime.h"
#include "incident/breach_report.h"

namespace {

double CpuSeconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

struct Timed {
  double wall = 0;
  double cpu = 0;
};

template <typename Fn>
Timed Measure(Fn fn) {
  auto start = std::chrono::steady_clock::now();
  double cpu = CpuSeconds();
  fn();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
          CpuSeconds() - cpu};
}

void Print(const char* what, const Timed& t, int64_t entries) {
  std::printf("%-24s %8.2f s wall  %8.2f s CPU  %10.0f entries/s\n", what, t.wall, t.cpu,
              static_cast<double>(entries) / t.wall);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace medvault;
  if (argc < 3) {
    std::cerr << "usage: breach_report_bench DIR ACCOUNT_ID [ACCOUNT_ID…]\n";
    return 2;
  }
  auto rt = cli::OpenRuntime(argv[1]);
  if (!rt) {
    std::cerr << "breach_report_bench: " << rt.error().message << "\n";
    return 1;
  }
  incident::BreachScope scope;
  for (int i = 2; i < argc; ++i) scope.accounts.emplace_back(argv[i]);

  Result<audit::LogVerification> verified = audit::LogVerification{};
  Timed verify = Measure([&] { verified = cli::VerifyAuditLogFor(**rt, nullptr); });
  if (!verified) {
    std::cerr << "breach_report_bench: " << verified.error().message << "\n";
    return 1;
  }
  Result<incident::BreachReport> report = incident::BreachReport{};
  Timed reported = Measure([&] {
    report = incident::BuildBreachReport(
        scope, [&](audit::EntryVisitor* v) { return cli::VerifyAuditLogFor(**rt, v); },
        (*rt)->store->reader(), ToUnixMillis((*rt)->clock.Now()));
  });
  if (!report) {
    std::cerr << "breach_report_bench: " << report.error().message << "\n";
    return 1;
  }
  std::string json;
  Timed rendered = Measure([&] { json = incident::ReportJson(*report); });
  const int64_t entries = verified->entries;
  std::printf("log: %lld entries, %lld signed heads\n", static_cast<long long>(entries),
              static_cast<long long>(verified->signed_heads));
  Print("verification alone", verify, entries);
  Print("breach report", reported, entries);
  std::printf("%-24s %8.3f s\n", "JSON rendering", rendered.wall);
  std::printf("report: %lld requests in scope, %zu patients, %lld disclosures, %zu bytes of JSON\n",
              static_cast<long long>(report->entries_in_scope), report->patients.size(),
              static_cast<long long>(report->disclosures), json.size());
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  std::printf("peak RSS: %ld MB\n", usage.ru_maxrss / 1024);
  return 0;
}
