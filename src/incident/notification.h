// What a breach report leads to under the GDPR: a draft of the notification to the
// supervisory authority (art. 33), which names no patient, and the list of patients to
// tell (art. 34) with their contact details, which only the security officer (over the
// API) or the operator (on the server's machine) may read. The caller audits each
// export, naming the patients whose contact details left.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "access/policy.h"
#include "access/record_vault.h"
#include "incident/breach_report.h"
#include "store/store.h"

namespace medvault::incident {

enum class DraftFormat { kMarkdown, kHtml };

// The art. 33 draft: the nature of the breach (accounts, period, how it was detected),
// the categories and numbers of people and records, the likely consequences, the
// measures taken with their times (from the log) and placeholders in [brackets] for what
// only the controller knows (its name, the contact point, when it became aware).
std::string Article33Draft(const BreachReport& report, DraftFormat format);

// A patient to tell, with the means to reach them and what to tell them.
struct PatientContact {
  std::string patient;
  bool found = false;  // false: deleted since (or never stored): nothing to read
  std::string name;    // given names then family name
  std::string birth_date;
  std::vector<std::string> phones;
  std::vector<std::string> emails;
  std::vector<std::string> addresses;  // one line each
  CategorySet categories;
  int64_t first_ms = 0;
  int64_t last_ms = 0;
};

// The decision under which one patient's contact details are read: the security
// officer's Policy::BreachNotificationContact, or the operator's Policy::SystemExport.
using ContactDecision = std::function<access::AccessDecision(const access::AccessTarget&)>;

// Every patient of the report, in its order, with the contact details of their current
// Patient resource, opened by `vault` under `decide`'s decision and cut down to
// fhir::PatientContactDetails whatever the decision's mask. A refused decision fails
// the whole list (kForbidden).
Result<std::vector<PatientContact>> ContactsToNotify(const BreachReport& report,
                                                     store::Reader& reader,
                                                     const access::RecordVault& vault,
                                                     const ContactDecision& decide);

// The list as CSV (one row per patient; several phones, e-mails or addresses joined by
// " | ") or as JSON ({"patients":[…]}).
std::string ContactsCsv(const std::vector<PatientContact>& contacts);
std::string ContactsJson(const std::vector<PatientContact>& contacts);

}  // namespace medvault::incident
