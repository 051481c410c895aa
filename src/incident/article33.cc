// The draft notification to the supervisory authority (GDPR art. 33): what the article
// asks for, in its order, filled from the verified breach report; the controller's own
// facts are left as [placeholders].
#include <map>

#include "crypto/encoding.h"
#include "incident/draft_document.h"
#include "incident/notification.h"
#include "incident/render_text.h"

namespace medvault::incident {
namespace {

bool HasHealthData(CategorySet set) {
  for (const CategoryInfo& c : AllCategories())
    if (c.health_data && set.Has(c.category)) return true;
  return false;
}

std::string UsernameOf(const BreachReport& r, const std::string& account) {
  for (const ScopeAccount& a : r.accounts)
    if (a.id == account && !a.username.empty()) return a.username + " (" + account + ")";
  return account;
}

void Nature(DraftDocument& d, const BreachReport& r) {
  d.Heading("1. Nature of the breach");
  std::string kind =
      "Breach of confidentiality: health records held in medvault were read by " +
      std::to_string(r.accounts.size()) + (r.accounts.size() == 1 ? " account" : " accounts") +
      " in a way that is [unauthorised: describe — stolen credentials, misuse by an insider …].";
  if (!r.changed.empty())
    kind += " Breach of integrity as well: records of " + std::to_string(r.changed.size()) +
            " patients were created, changed or deleted by the same accounts.";
  d.Paragraph(kind);
  std::vector<std::vector<std::string>> accounts = {
      {"account", "role", "requests", "first request", "last request", "client addresses"}};
  for (const ScopeAccount& a : r.accounts) {
    std::string addresses;
    for (const std::string& address : a.addresses)
      addresses += (addresses.empty() ? "" : ", ") + address;
    accounts.push_back({UsernameOf(r, a.id), a.role, std::to_string(a.requests),
                        InstantText(a.first_ms), InstantText(a.last_ms), addresses});
  }
  d.Table(std::move(accounts));
  int64_t first = 0, last = 0;
  for (const PatientExposure& p : r.patients) {
    if (first == 0 || p.first_ms < first) first = p.first_ms;
    if (p.last_ms > last) last = p.last_ms;
  }
  std::vector<std::string> facts;
  if (!r.patients.empty())
    facts.push_back("Patient data was received from " + InstantText(first) + " to " +
                    InstantText(last) + ".");
  std::string since = InstantText(r.scope.since_ms), until = InstantText(r.scope.until_ms);
  facts.push_back("Period examined: " + (since.empty() ? "the whole audit log" : "from " + since) +
                  (until.empty() ? "" : " until " + until) + ".");
  facts.push_back(r.detections.empty()
                      ? "How the breach was detected: [describe]."
                      : "First alert on these accounts: " + r.detections.front().kind + " at " +
                            InstantText(r.detections.front().time_ms) + ".");
  facts.push_back("Date and time the controller became aware of the breach: [fill in].");
  facts.push_back("Source: medvault's tamper-evident audit log, verified before this draft (" +
                  std::to_string(r.verification.entries) + " entries, root " +
                  crypto::ToHex(r.verification.root) + ").");
  d.Bullets(std::move(facts));
}

void Numbers(DraftDocument& d, const BreachReport& r) {
  d.Heading("2. Categories and approximate number of data subjects and records");
  int64_t outside = 0, health = 0;
  for (const PatientExposure& p : r.patients) {
    outside += p.outside_care > 0 ? 1 : 0;
    health += HasHealthData(p.categories) ? 1 : 0;
  }
  d.Bullets({"Data subjects: patients, " + std::to_string(r.patients.size()) +
                 " (an exact count from the audit log).",
             "Records: " + std::to_string(r.disclosures) +
                 " reads and searches sent patient data to these accounts.",
             "Patients reached outside any care relationship (break-the-glass grant or "
             "directory search): " +
                 std::to_string(outside) + ".",
             health > 0 ? "Special categories (GDPR art. 9): health data of " +
                              std::to_string(health) + " patients."
                        : "No health data: identity and administrative data only."});
  std::vector<std::vector<std::string>> rows = {{"category of data", "patients", "accesses"}};
  for (const CategoryTotal& t : r.totals)
    if (t.patients > 0)
      rows.push_back({std::string(InfoOf(t.category).label), std::to_string(t.patients),
                      std::to_string(t.accesses)});
  d.Table(std::move(rows));
}

void Consequences(DraftDocument& d, const BreachReport& r) {
  d.Heading("3. Likely consequences");
  CategorySet all;
  for (const PatientExposure& p : r.patients) all.Add(p.categories);
  std::vector<std::string> items;
  if (all.Has(Category::kIdentity) || all.Has(Category::kContact))
    items.push_back(
        "Identity theft, fraud and targeted phishing using names, dates of birth, national "
        "identifiers, postal addresses, telephone numbers or e-mail addresses.");
  if (all.Has(Category::kMinimalIdentity) && !all.Has(Category::kIdentity))
    items.push_back("Disclosure that a person is a patient of the practice.");
  if (all.Has(Category::kAdministrativeComment))
    items.push_back("Disclosure of the practice's administrative remarks about patients.");
  if (HasHealthData(all))
    items.push_back(
        "Disclosure of health data: discrimination (employment, insurance), damage to "
        "reputation, psychological distress, blackmail.");
  if (!r.changed.empty())
    items.push_back(
        "Altered records: care based on wrong information until clinicians have reviewed the "
        "changed records.");
  if (items.empty()) items.push_back("No patient data was received by these accounts.");
  items.push_back("Assessment of the risk to the patients (likelihood and severity): [fill in].");
  d.Bullets(std::move(items));
}

void Measures(DraftDocument& d, const BreachReport& r) {
  d.Heading("4. Measures taken or proposed");
  if (r.measures.empty() && r.detections.empty()) {
    d.Paragraph("No containment measure on these accounts is recorded in the audit log yet.");
  }
  if (!r.measures.empty()) {
    std::vector<std::vector<std::string>> rows = {{"time", "account", "measure", "taken by"}};
    for (const ContainmentMeasure& m : r.measures) {
      // Command-line entries carry no HTTP status (0).
      bool done = m.status == 0 || m.status / 100 == 2;
      std::string action =
          m.action + (done ? "" : " (refused, status " + std::to_string(m.status) + ")");
      rows.push_back({InstantText(m.time_ms), UsernameOf(r, m.account), action, m.by});
    }
    d.Table(std::move(rows));
  }
  if (!r.detections.empty()) {
    std::vector<std::vector<std::string>> rows = {
        {"time", "account", "alert", "severity", "automatic measure"}};
    for (const Detection& a : r.detections)
      rows.push_back({InstantText(a.time_ms), UsernameOf(r, a.account), a.kind, a.severity,
                      a.measure.empty() ? "-" : a.measure});
    d.Table(std::move(rows));
  }
  d.Bullets({"Patients to inform (GDPR art. 34): " + std::to_string(r.patients.size()) +
                 "; their contact details are listed separately for the security officer "
                 "(medvault report notify --contacts, or GET "
                 "/security/breach-notification/patients).",
             "Further measures proposed to mitigate the consequences: [fill in]."});
}

}  // namespace

std::string Article33Draft(const BreachReport& r, DraftFormat format) {
  DraftDocument d;
  d.Title("Personal data breach notification (GDPR art. 33): draft");
  d.Paragraph("Prepared by medvault at " + InstantText(r.generated_at_ms) +
              " from its verified audit log. Complete every [bracketed] item and review the "
              "whole text before sending it to the supervisory authority, within 72 hours of "
              "becoming aware of the breach.");
  d.Heading("0. Controller and contact point");
  d.Bullets({"Controller: [name and address of the practice or hospital].",
             "Contact point for more information (data protection officer): [name, e-mail, "
             "telephone]."});
  Nature(d, r);
  Numbers(d, r);
  Consequences(d, r);
  Measures(d, r);
  return format == DraftFormat::kHtml ? d.Html() : d.Markdown();
}

}  // namespace medvault::incident
