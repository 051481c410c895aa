// The incident-response subcommands: `medvault report breach`, `medvault report notify`
// and `medvault contain`. They register themselves on the application so that main.cc
// only hands over the app and asks, after parsing, whether one of them was chosen.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

namespace medvault::cli {

struct ReportOptions {
  std::string data_dir;
  std::vector<std::string> accounts;  // ids or usernames
  std::string address;
  std::string since;
  std::string until;
  std::string format;
  std::string out;        // "" writes to stdout
  bool contacts = false;  // notify: the art. 34 list instead of the art. 33 draft
};
// `medvault report breach`: the breach scope report (JSON, CSV or HTML).
int RunReportBreach(const ReportOptions& options);
// `medvault report notify`: the art. 33 draft (Markdown or HTML), or with --contacts the
// patients to notify with their contact details (CSV or JSON).
int RunReportNotify(const ReportOptions& options);

struct ContainOptions {
  std::string data_dir;
  std::string action;
  std::vector<std::string> accounts;  // ids or usernames
  std::string accounts_file;
  std::string touched_patients_file;
  std::string since;
  std::string until;
  bool dry_run = false;
};
// `medvault contain`: one containment action on accounts named, listed in a file, or
// found in the audit log as having touched a list of patients.
int RunContain(const ContainOptions& options);

class IncidentCommands {
 public:
  explicit IncidentCommands(CLI::App& app);
  // After parsing: the exit code of the chosen incident command, or nullopt.
  std::optional<int> Run() const;

 private:
  ReportOptions breach_options_;
  ReportOptions notify_options_;
  ContainOptions contain_options_;
  CLI::App* breach_ = nullptr;
  CLI::App* notify_ = nullptr;
  CLI::App* contain_ = nullptr;
};

}  // namespace medvault::cli
