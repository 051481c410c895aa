// `medvault selfcheck`: the posture as a table or JSON; exit 1 when a finding reaches
// --fail-on. A data directory that cannot even be opened (a loose key file makes it
// refuse) is itself a finding, reported with the file checks that need no opening.
#include <iomanip>
#include <iostream>

#include "cli/key_command_options.h"
#include "cli/selfcheck.h"
#include "common/time_format.h"

namespace medvault::cli {
namespace {

void PrintTable(const api::PostureReport& report) {
  std::cout << "medvault self-check, " << FormatInstant(FromUnixMillis(report.generated_at_ms))
            << "\n";
  std::cout << std::left << std::setw(9) << "SEVERITY" << std::setw(18) << "CHECK"
            << "FINDING\n";
  for (const api::Finding& f : report.findings) {
    std::cout << std::left << std::setw(9) << api::NameOf(f.severity) << std::setw(18) << f.check;
    if (!f.subject.empty()) std::cout << f.subject << ": ";
    std::cout << f.message << "\n";
  }
  std::cout << report.CountAtLeast(api::Severity::kHigh) << " high, "
            << report.CountAtLeast(api::Severity::kMedium) -
                   report.CountAtLeast(api::Severity::kHigh)
            << " medium, "
            << report.CountAtLeast(api::Severity::kLow) -
                   report.CountAtLeast(api::Severity::kMedium)
            << " low\n";
}

}  // namespace

int RunSelfCheck(const SelfCheckCommandOptions& options) {
  auto fail_on = api::ParseSeverity(options.fail_on);
  if (!fail_on) {
    std::cerr << "medvault selfcheck: --fail-on is low, medium or high\n";
    return 2;
  }
  SelfCheckOptions checks;
  checks.dormant_days = options.dormant_days;
  checks.thorough = !options.quick;
  api::PostureReport report;
  auto rt = OpenRuntime(options.data_dir);
  if (rt) {
    auto checked = CheckPosture(**rt, checks);
    if (!checked) {
      std::cerr << "medvault selfcheck: " << checked.error().message << "\n";
      return 1;
    }
    report = std::move(*checked);
  } else {
    DataDir dir{options.data_dir};
    if (!CheckDataDir(dir)) {
      std::cerr << "medvault selfcheck: " << rt.error().message << "\n";
      return 1;
    }
    report.generated_at_ms = ToUnixMillis(SystemClock().Now());
    report.findings.push_back({api::Severity::kHigh, "data-directory", dir.root,
                               "medvault cannot open it: " + rt.error().message});
    auto config = LoadConfig(dir.config());
    CheckFiles(dir, config ? &*config : nullptr, report.findings);
    SortFindings(report.findings);
  }
  if (options.json) {
    std::cout << api::PostureJson(report) << "\n";
  } else {
    PrintTable(report);
  }
  return report.CountAtLeast(*fail_on) > 0 ? 1 : 0;
}

}  // namespace medvault::cli
