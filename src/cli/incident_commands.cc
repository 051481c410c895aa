#include "cli/incident_commands.h"

#include "identity/containment.h"

namespace medvault::cli {
namespace {

constexpr const char* kTimeHelp = "RFC 3339 instant (2026-11-01T08:00:00Z) or date (2026-11-01)";

void AddScope(CLI::App& cmd, ReportOptions& o) {
  cmd.add_option("--data", o.data_dir, "Data directory")->required();
  cmd.add_option("--account", o.accounts,
                 "Account id or username; repeat for several (their requests, together)");
  cmd.add_option("--address", o.address,
                 "Client address: only requests from it (alone: every account that used it)");
  cmd.add_option("--since", o.since, std::string("Window start, included: ") + kTimeHelp);
  cmd.add_option("--until", o.until, std::string("Window end, excluded: ") + kTimeHelp);
  cmd.add_option("--out", o.out, "Write to this new file (0600) instead of standard output");
}

}  // namespace

IncidentCommands::IncidentCommands(CLI::App& app) {
  auto* report = app.add_subcommand("report", "Incident reports from the verified audit log");
  report->require_subcommand(1);
  breach_ = report->add_subcommand(
      "breach",
      "Breach scope report: every patient whose data the accounts (or address) received in "
      "the window, with data categories, first and last access, counts and care standing; "
      "verifies the whole audit log first and refuses if it does not verify");
  AddScope(*breach_, breach_options_);
  breach_options_.format = "json";
  breach_->add_option("--format", breach_options_.format, "json, csv or html")
      ->check(CLI::IsMember({"json", "csv", "html"}))
      ->capture_default_str();

  notify_ = report->add_subcommand(
      "notify",
      "GDPR notification drafts from a breach report: the art. 33 notification to the "
      "supervisory authority, or with --contacts the art. 34 list of patients to notify with "
      "their contact details (decrypted: audited, for the security officer only)");
  AddScope(*notify_, notify_options_);
  notify_->add_flag("--contacts", notify_options_.contacts,
                    "The patients to notify with their contact details instead of the draft");
  notify_
      ->add_option("--format", notify_options_.format,
                   "markdown or html (the draft, default markdown); csv or json (--contacts, "
                   "default csv)")
      ->check(CLI::IsMember({"markdown", "html", "csv", "json"}));

  contain_ = app.add_subcommand(
      "contain",
      "Containment from the server's shell, also while it runs: one action on accounts named, "
      "listed in a file, or found in the audit log as having touched listed patients; every "
      "change audited, all in one commit");
  ContainOptions& c = contain_options_;
  contain_->add_option("--data", c.data_dir, "Data directory")->required();
  std::vector<std::string> actions;
  for (std::string_view a : identity::ContainmentActions()) actions.emplace_back(a);
  contain_
      ->add_option("--action", c.action,
                   "step-up, throttle, suspend-sessions, lock, "
                   "require-reset, release or unlock")
      ->required()
      ->check(CLI::IsMember(actions));
  contain_->add_option("--account", c.accounts, "Account id or username; repeat for several");
  contain_->add_option("--accounts-file", c.accounts_file,
                       "File of account ids or usernames, one per line (# comments)");
  contain_->add_option("--touched-patients-file", c.touched_patients_file,
                       "File of patient ids, one per line: every account whose requests "
                       "reached one of them (from the audit log)");
  contain_->add_option("--since", c.since,
                       std::string("With --touched-patients-file: ") + kTimeHelp);
  contain_->add_option("--until", c.until,
                       std::string("With --touched-patients-file: ") + kTimeHelp);
  contain_->add_flag("--dry-run", c.dry_run, "List the accounts and change nothing");
}

std::optional<int> IncidentCommands::Run() const {
  if (*breach_) return RunReportBreach(breach_options_);
  if (*notify_) return RunReportNotify(notify_options_);
  if (*contain_) return RunContain(contain_options_);
  return std::nullopt;
}

}  // namespace medvault::cli
