// `medvault report breach` and `medvault report notify`: the breach scope report and
// the GDPR notification drafts, from the audit log once it has verified. What they
// disclose (patient ids, contact details) is audited before it is written out.
#include <filesystem>
#include <iostream>

#include "cli/audit_verification.h"
#include "cli/incident_commands.h"
#include "cli/incident_support.h"
#include "cli/runtime.h"
#include "incident/breach_report.h"
#include "incident/notification.h"

namespace medvault::cli {
namespace {

// The scope on the command line: accounts by id or username, times as RFC 3339 or dates.
Result<incident::BreachScope> ScopeOf(Runtime& rt, const ReportOptions& o) {
  incident::BreachScope scope;
  for (const std::string& reference : o.accounts) {
    ASSIGN_OR_RETURN(store::AccountRow account, ResolveAccount(rt.store->reader(), reference));
    scope.accounts.push_back(account.id);
  }
  scope.client_address = o.address;
  for (auto [text, bound, name] :
       {std::tuple{&o.since, &scope.since_ms, "--since"}, {&o.until, &scope.until_ms, "--until"}}) {
    if (text->empty()) continue;
    auto ms = incident::ParseScopeTime(*text);
    if (!ms)
      return Fail(ErrorCode::kInvalid,
                  std::string(name) + " must be an RFC 3339 instant or a date (YYYY-MM-DD)");
    *bound = *ms;
  }
  TRY(incident::CheckScope(scope));
  return scope;
}

Result<incident::BreachReport> VerifiedReport(Runtime& rt, const ReportOptions& o) {
  ASSIGN_OR_RETURN(incident::BreachScope scope, ScopeOf(rt, o));
  auto verify = [&rt](audit::EntryVisitor* visitor) { return VerifyAuditLogFor(rt, visitor); };
  auto report =
      incident::BuildBreachReport(scope, verify, rt.store->reader(), ToUnixMillis(rt.clock.Now()));
  if (!report && report.error().code == ErrorCode::kInvalid)
    return Fail(ErrorCode::kInvalid, "the audit log does not verify (" + report.error().message +
                                         "): no report is made from it");
  return report;
}

std::vector<std::string> PatientsOf(const incident::BreachReport& report) {
  std::vector<std::string> ids;
  for (const incident::PatientExposure& p : report.patients) ids.push_back(p.patient);
  return ids;
}

std::string Where(const ReportOptions& o) { return o.out.empty() ? "standard output" : o.out; }

// Opens the directory, builds the report and hands it to `render`, which returns the
// text to write after auditing what it discloses. Exit code as every command.
template <typename Render>
int Run(const char* command, const ReportOptions& o, Render render) {
  // Checked first: nothing is disclosed, or audited, for a file that cannot be written.
  std::error_code ec;
  if (!o.out.empty() && std::filesystem::exists(std::filesystem::symlink_status(o.out, ec))) {
    std::cerr << command << ": " << o.out << " exists; name a new file\n";
    return 1;
  }
  auto rt = OpenRuntime(o.data_dir);
  if (!rt) {
    std::cerr << command << ": " << rt.error().message << "\n";
    return 1;
  }
  auto written = [&]() -> Status {
    ASSIGN_OR_RETURN(incident::BreachReport report, VerifiedReport(**rt, o));
    ASSIGN_OR_RETURN(std::string text, render(**rt, report));
    return WriteOutput(o.out, text);
  }();
  if (!written) {
    std::cerr << command << ": " << written.error().message << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int RunReportBreach(const ReportOptions& o) {
  return Run(
      "medvault report breach", o,
      [&](Runtime& rt, const incident::BreachReport& report) -> Result<std::string> {
        TRY(AuditDisclosure(rt, "breach-report", PatientsOf(report),
                            "breach report (" + o.format + ") by the operator to " + Where(o)));
        std::cerr << "breach report: " << report.patients.size() << " patients, "
                  << report.entries_in_scope << " requests in scope\n";
        if (o.format == "csv") return incident::ReportCsv(report);
        if (o.format == "html") return incident::ReportHtml(report);
        return incident::ReportJson(report) + "\n";
      });
}

int RunReportNotify(const ReportOptions& o) {
  std::string format = o.format.empty() ? (o.contacts ? "csv" : "markdown") : o.format;
  bool list_format = format == "csv" || format == "json";
  if (list_format != o.contacts) {
    std::cerr << "medvault report notify: --format " << format
              << (o.contacts ? " is for the draft: the list is csv or json\n"
                             : " is for --contacts: the draft is markdown or html\n");
    return 2;
  }
  return Run("medvault report notify", o,
             [&](Runtime& rt, const incident::BreachReport& report) -> Result<std::string> {
               if (!o.contacts) {
                 TRY(AuditDisclosure(rt, "breach-notification", {},
                                     "art. 33 draft by the operator to " + Where(o)));
                 return incident::Article33Draft(report, format == "html"
                                                             ? incident::DraftFormat::kHtml
                                                             : incident::DraftFormat::kMarkdown);
               }
               ASSIGN_OR_RETURN(auto contacts,
                                incident::ContactsToNotify(report, rt.store->reader(), *rt.vault,
                                                           [&](const access::AccessTarget& target) {
                                                             return rt.policy->SystemExport(target);
                                                           }));
               std::vector<std::string> named;
               for (const incident::PatientContact& c : contacts)
                 if (c.found) named.push_back(c.patient);
               TRY(AuditDisclosure(rt, "breach-notification-contacts", named,
                                   "contact details of " + std::to_string(named.size()) +
                                       " patients (art. 34) by the operator to " + Where(o)));
               return format == "json" ? incident::ContactsJson(contacts) + "\n"
                                       : incident::ContactsCsv(contacts);
             });
}

}  // namespace medvault::cli
