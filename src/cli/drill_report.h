// The breach drill's result (docs/DETECTION.md): the figures against the DRILL.md targets,
// as a table on stdout and as JSON for CI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/drill_scenario.h"

namespace medvault::cli {

struct DrillReport {
  DrillOptions options;
  // The population and how it was loaded.
  int64_t patients = 0;
  int64_t practices = 0;
  int64_t physicians = 0;
  int64_t nurses = 0;
  int64_t secretaries = 0;
  double history_scale = 1;
  int64_t resources = 0;
  double import_seconds = 0;
  std::string data_location;  // "tmpfs" or "disk"
  std::string transport = "in-process";
  bool drill_password_cost = true;
  std::vector<std::string> features_off;  // risk-scorer features switched off
  // The run.
  DrillOutcome outcome;
  int64_t requests = 0;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // the process's, every thread (the machine may be shared)
  // The audit log, after a tree head was signed.
  int64_t audit_entries = 0;     // written during the drill for requests
  int64_t detector_entries = 0;  // the detector's escalations
  bool audit_verified = false;
  std::string audit_summary;
};

struct DrillTarget {
  std::string figure;
  std::string target;
  double value = 0;
  double limit = 0;
  int strategy = 0;  // 0 for the honest and audit figures
  bool pass() const { return value <= limit; }
};

// The DRILL.md targets for this run (strategies that ran, honest work, audit).
std::vector<DrillTarget> DrillTargets(const DrillReport& report);

void PrintDrillTable(const DrillReport& report);
std::string DrillJson(const DrillReport& report);

}  // namespace medvault::cli
