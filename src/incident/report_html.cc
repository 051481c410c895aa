// The breach report as one HTML page that stands alone: inline style (which the server's
// Content-Security-Policy leaves unapplied when it is served over HTTPS: the page reads
// as plain tables there), nothing fetched, every value escaped.
#include "crypto/encoding.h"
#include "incident/breach_report.h"
#include "incident/render_text.h"

namespace medvault::incident {
namespace {

constexpr std::string_view kStyle =
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
    "table{border-collapse:collapse;margin:.5em 0 1.5em}"
    "th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left;vertical-align:top}"
    "th{background:#eee}.note{color:#555}";

class Page {
 public:
  void Raw(std::string_view html) { out_ += html; }
  void Text(std::string_view text) { out_ += HtmlEscaped(text); }
  void Heading(std::string_view text) {
    Raw("<h2>");
    Text(text);
    Raw("</h2>\n");
  }
  void Paragraph(std::string_view text, bool note = false) {
    Raw(note ? "<p class=\"note\">" : "<p>");
    Text(text);
    Raw("</p>\n");
  }
  void StartTable(std::initializer_list<std::string_view> headings) {
    Raw("<table border=\"1\">\n<tr>");
    for (std::string_view h : headings) {
      Raw("<th>");
      Text(h);
      Raw("</th>");
    }
    Raw("</tr>\n");
  }
  void Row(std::initializer_list<std::string> cells) {
    Raw("<tr>");
    for (const std::string& c : cells) {
      Raw("<td>");
      Text(c);
      Raw("</td>");
    }
    Raw("</tr>\n");
  }
  void EndTable() { Raw("</table>\n"); }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string Joined(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ", ") + v;
  return out;
}

std::string LabelsOf(CategorySet set) {
  std::string out;
  for (const CategoryInfo& c : AllCategories())
    if (set.Has(c.category)) out += (out.empty() ? "" : "; ") + std::string(c.key);
  return out;
}

std::string Window(const BreachScope& s) {
  std::string since = InstantText(s.since_ms), until = InstantText(s.until_ms);
  return (since.empty() ? "the beginning of the log" : since) + " to " +
         (until.empty() ? "the end of the log" : until + " (excluded)");
}

void Scope(Page& page, const BreachReport& r) {
  page.Heading("Scope");
  page.StartTable({"accounts", "client address", "window"});
  page.Row({r.scope.accounts.empty() ? "any" : Joined(r.scope.accounts),
            r.scope.client_address.empty() ? "any" : r.scope.client_address, Window(r.scope)});
  page.EndTable();
  page.Heading("Audit log");
  page.Paragraph("Verified before this report: " + std::to_string(r.verification.entries) +
                 " entries, " + std::to_string(r.verification.signed_heads) +
                 " signed tree heads, root " + crypto::ToHex(r.verification.root) + ".");
  if (r.verification.covered < r.verification.entries)
    page.Paragraph("The last " + std::to_string(r.verification.entries - r.verification.covered) +
                       " entries were not yet under a signed tree head; they were checked "
                       "against the stored tree only.",
                   true);
}

void Summary(Page& page, const BreachReport& r) {
  int64_t outside = 0;
  for (const PatientExposure& p : r.patients) outside += p.outside_care > 0 ? 1 : 0;
  page.Heading("Summary");
  page.StartTable({"patients whose data was received", "of whom reached outside care",
                   "patients whose records were changed", "requests in scope",
                   "reads and searches that sent patient data"});
  page.Row({std::to_string(r.patients.size()), std::to_string(outside),
            std::to_string(r.changed.size()), std::to_string(r.entries_in_scope),
            std::to_string(r.disclosures)});
  page.EndTable();
  page.Heading("Accounts");
  page.StartTable({"account", "username", "role", "status now", "requests", "refused", "first",
                   "last", "client addresses"});
  for (const ScopeAccount& a : r.accounts)
    page.Row({a.id, a.username, a.role, a.status, std::to_string(a.requests),
              std::to_string(a.refused), InstantText(a.first_ms), InstantText(a.last_ms),
              Joined(a.addresses)});
  page.EndTable();
  page.Heading("Data categories");
  page.StartTable({"category", "description", "health data (art. 9)", "patients", "accesses"});
  for (const CategoryTotal& t : r.totals) {
    const CategoryInfo& info = InfoOf(t.category);
    page.Row({std::string(info.key), std::string(info.label), info.health_data ? "yes" : "no",
              std::to_string(t.patients), std::to_string(t.accesses)});
  }
  page.EndTable();
}

void Measures(Page& page, const BreachReport& r) {
  page.Heading("Containment measures (from the audit log)");
  page.StartTable({"time", "account", "action", "by", "status", "audit entry"});
  for (const ContainmentMeasure& m : r.measures)
    page.Row({InstantText(m.time_ms), m.account, m.action, m.by,
              m.status == 0 ? "" : std::to_string(m.status),  // command-line entries have none
              std::to_string(m.audit_seq)});
  page.EndTable();
  page.Heading("Alerts raised on these accounts");
  page.StartTable({"time", "account", "kind", "severity", "automatic measure", "audit entry"});
  for (const Detection& d : r.detections)
    page.Row({InstantText(d.time_ms), d.account, d.kind, d.severity, d.measure,
              std::to_string(d.audit_seq)});
  page.EndTable();
}

void Patients(Page& page, const BreachReport& r) {
  page.Heading("Patients whose data was received");
  page.StartTable({"patient", "categories", "first access", "last access", "accesses",
                   "outside care", "basis unknown", "care", "accounts"});
  for (const PatientExposure& p : r.patients)
    page.Row({p.patient, LabelsOf(p.categories), InstantText(p.first_ms), InstantText(p.last_ms),
              std::to_string(p.accesses), std::to_string(p.outside_care),
              std::to_string(p.basis_unknown), std::string(CareOf(p)), Joined(p.accounts)});
  page.EndTable();
  page.Heading("Patients whose records were created, changed or deleted");
  page.StartTable({"patient", "changes", "first", "last"});
  for (const ChangedRecords& c : r.changed)
    page.Row(
        {c.patient, std::to_string(c.changes), InstantText(c.first_ms), InstantText(c.last_ms)});
  page.EndTable();
}

}  // namespace

std::string ReportHtml(const BreachReport& r) {
  Page page;
  page.Raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
  page.Raw("<title>Breach scope report</title>\n<style>");
  page.Raw(kStyle);
  page.Raw("</style>\n</head>\n<body>\n<h1>Breach scope report</h1>\n");
  page.Paragraph("Generated by medvault at " + InstantText(r.generated_at_ms) +
                 " from its verified audit log. Confidential: it names patients; for the "
                 "security officer only.");
  Scope(page, r);
  Summary(page, r);
  Measures(page, r);
  Patients(page, r);
  page.Raw("</body>\n</html>\n");
  return page.Take();
}

}  // namespace medvault::incident
