// The drafts a breach report leads to: the art. 33 notification has what the article
// asks for and names no patient; the renderings escape what they show.
#include "incident/notification.h"

#include <gtest/gtest.h>

#include "incident/breach_scan.h"

namespace medvault::incident {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000;

BreachReport SampleReport() {
  BreachScope scope;
  scope.accounts = {"mallory"};
  BreachTally tally(scope);
  audit::AuditEvent read;
  read.time_ms = kT0;
  read.account_id = "mallory";
  read.username = "dr.mallory";
  read.role = "physician";
  read.client_address = "203.0.113.7";
  read.interaction = "read";
  read.resource_type = "Observation";
  read.patients = {"patient-one"};
  read.outside_care = std::vector<std::string>{};
  read.status = 200;
  tally.Add(1, read);
  read.resource_type = "Patient";
  read.patients = {"patient-two"};
  read.outside_care = std::vector<std::string>{"patient-two"};
  tally.Add(2, read);
  audit::AuditEvent lock;
  lock.time_ms = kT0 + 3'600'000;
  lock.username = "(command line)";
  lock.interaction = "account-contain";
  lock.resource_type = "Account";
  lock.resource_id = "mallory";
  lock.detail = "containment: lock";
  tally.Add(3, lock);
  BreachReport report;
  report.scope = scope;
  report.generated_at_ms = kT0 + 7'200'000;
  report.verification.entries = 3;
  std::move(tally).Fill(report);
  report.detections.push_back({kT0 + 60'000, 2, "mallory", "break-glass", "medium", ""});
  return report;
}

TEST(Article33Draft, HasEveryElementTheArticleAsksFor) {
  std::string md = Article33Draft(SampleReport(), DraftFormat::kMarkdown);
  for (const char* element :
       {"Nature of the breach", "Categories and approximate number of data subjects and records",
        "Data subjects: patients, 2", "Likely consequences", "Measures taken or proposed",
        "Contact point", "[name, e-mail", "dr.mallory", "lock", "2027-01-15T09:00:00.000Z",
        "Results and vital signs", "health data of 1 patients",
        "Patients to inform (GDPR art. 34): 2", "First alert on these accounts: break-glass"}) {
    EXPECT_NE(md.find(element), std::string::npos) << element << "\n" << md;
  }
  EXPECT_EQ(md.find("patient-one"), std::string::npos) << "the draft names no patient";
  EXPECT_EQ(md.find("patient-two"), std::string::npos);
}

TEST(Article33Draft, AsHtmlIsAPageThatEscapesItsText) {
  BreachReport report = SampleReport();
  report.accounts.at(0).username = "<script>";
  std::string html = Article33Draft(report, DraftFormat::kHtml);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("<h2>4. Measures taken or proposed</h2>"), std::string::npos);
}

TEST(BreachReportFormats, CsvHasOneRowPerPatientAndHtmlEscapes) {
  BreachReport report = SampleReport();
  std::string csv = ReportCsv(report);
  EXPECT_TRUE(csv.starts_with("patient,categories,first_access,")) << csv;
  EXPECT_NE(csv.find("\r\npatient-one,results,2027-01-15T08:00:00.000Z,"), std::string::npos)
      << csv;
  EXPECT_NE(csv.find("patient-two,identity;contact;administrative-comment,"), std::string::npos);
  EXPECT_NE(csv.find(",outside,mallory\r\n"), std::string::npos);
  report.accounts.at(0).addresses = {"<b>"};
  std::string html = ReportHtml(report);
  EXPECT_NE(html.find("&lt;b&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  std::string json = ReportJson(report);
  EXPECT_NE(json.find(R"("patients":2,"patients_reached_outside_care":1)"), std::string::npos)
      << json;
}

TEST(PatientContacts, CsvAndJsonListTheMeansToReachEachPatient) {
  PatientContact c;
  c.patient = "p1";
  c.found = true;
  c.name = "Anne Brulard";
  c.phones = {"+33 6 12 34 56 78"};
  c.emails = {"anne@example.org"};
  c.addresses = {"3 rue des Lilas, 69003 Lyon, FR"};
  std::string csv = ContactsCsv({c});
  EXPECT_NE(csv.find("p1,Anne Brulard,,'+33 6 12 34 56 78,anne@example.org,\"3 rue des Lilas, "
                     "69003 Lyon, FR\","),
            std::string::npos)
      << csv;
  std::string json = ContactsJson({c});
  EXPECT_NE(json.find(R"("emails":["anne@example.org"])"), std::string::npos) << json;
}

}  // namespace
}  // namespace medvault::incident
