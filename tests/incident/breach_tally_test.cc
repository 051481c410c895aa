// The breach report's aggregation, entry by entry: which entries are in scope, which
// patients and categories a read or search sent, first and last access, counts, the
// care standing, changes, measures; and that tallies merged in any order agree.
#include <gtest/gtest.h>

#include <optional>

#include "incident/breach_scan.h"

namespace medvault::incident {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000;

audit::AuditEvent Entry(int64_t minute, std::string account, std::string interaction,
                        std::string type, std::vector<std::string> patients, int status = 200) {
  audit::AuditEvent e;
  e.time_ms = kT0 + minute * 60'000;
  e.account_id = std::move(account);
  e.username = e.account_id == "mallory" ? "dr.mallory" : "dr.honest";
  e.role = "physician";
  e.client_address = e.account_id == "mallory" ? "203.0.113.7" : "10.0.0.2";
  e.interaction = std::move(interaction);
  e.resource_type = std::move(type);
  e.patients = std::move(patients);
  if (!e.patients.empty()) e.outside_care = std::vector<std::string>{};
  e.status = status;
  e.outcome = status < 400 ? "success" : "denied";
  return e;
}

const PatientExposure* Find(const BreachReport& r, const std::string& patient) {
  for (const PatientExposure& p : r.patients)
    if (p.patient == patient) return &p;
  return nullptr;
}

std::vector<std::string> Keys(CategorySet set) {
  std::vector<std::string> keys;
  for (const CategoryInfo& c : AllCategories())
    if (set.Has(c.category)) keys.emplace_back(c.key);
  return keys;
}

BreachReport Report(const BreachScope& scope, const std::vector<audit::AuditEvent>& entries) {
  BreachTally tally(scope);
  int64_t seq = 0;
  for (const audit::AuditEvent& e : entries) tally.Add(++seq, e);
  BreachReport report;
  std::move(tally).Fill(report);
  return report;
}

TEST(BreachTally, ListsThePatientsAnAccountReceivedWithTheirCategories) {
  BreachScope scope;
  scope.accounts = {"mallory"};
  auto directory = Entry(5, "mallory", "search", "Patient", {"p4"});
  directory.outside_care = std::vector<std::string>{"p4"};
  directory.minimal_identity = {"p4"};
  auto grant = Entry(6, "mallory", "read", "Patient", {"p5"});
  grant.outside_care = std::vector<std::string>{"p5"};
  BreachReport r = Report(
      scope, {Entry(0, "mallory", "login", "", {}), Entry(1, "mallory", "read", "Patient", {"p1"}),
              Entry(2, "mallory", "search", "Observation", {"p1"}),
              Entry(3, "mallory", "vread", "DocumentReference", {"p2"}),
              Entry(3, "mallory", "history", "AllergyIntolerance", {"p2"}),
              Entry(4, "mallory", "search", "MedicationRequest", {"p3"}), directory, grant,
              Entry(7, "honest", "read", "Patient", {"p9"})});
  ASSERT_EQ(r.patients.size(), 5u);
  EXPECT_EQ(Keys(Find(r, "p1")->categories),
            (std::vector<std::string>{"identity", "contact", "administrative-comment", "results"}));
  EXPECT_EQ(Keys(Find(r, "p2")->categories),
            (std::vector<std::string>{"conditions", "clinical-notes"}));
  EXPECT_EQ(Keys(Find(r, "p3")->categories), (std::vector<std::string>{"prescriptions"}));
  EXPECT_EQ(Keys(Find(r, "p4")->categories), (std::vector<std::string>{"minimal-identity"}));
  EXPECT_EQ(Keys(Find(r, "p5")->categories),
            (std::vector<std::string>{"identity", "contact", "administrative-comment"}));
  EXPECT_EQ(Find(r, "p9"), nullptr) << "another account's read is out of scope";
  const PatientExposure& p1 = *Find(r, "p1");
  EXPECT_EQ(p1.accesses, 2);
  EXPECT_EQ(p1.first_ms, kT0 + 60'000);
  EXPECT_EQ(p1.last_ms, kT0 + 120'000);
  EXPECT_EQ(p1.accounts, (std::vector<std::string>{"mallory"}));
  EXPECT_EQ(CareOf(p1), "inside");
  EXPECT_EQ(CareOf(*Find(r, "p4")), "outside");
  EXPECT_EQ(CareOf(*Find(r, "p5")), "outside");
  EXPECT_EQ(r.entries_in_scope, 8);
  EXPECT_EQ(r.disclosures, 7);
  ASSERT_EQ(r.accounts.size(), 1u);
  EXPECT_EQ(r.accounts[0].username, "dr.mallory");
  EXPECT_EQ(r.accounts[0].requests, 8);
  EXPECT_EQ(r.accounts[0].addresses, (std::vector<std::string>{"203.0.113.7"}));
  // By first access: p1 first, p5 last.
  EXPECT_EQ(r.patients.front().patient, "p1");
  EXPECT_EQ(r.patients.back().patient, "p5");
}

TEST(BreachTally, TotalsCountPatientsAndAccessesPerCategory) {
  BreachScope scope;
  scope.accounts = {"mallory"};
  BreachReport r = Report(scope, {Entry(1, "mallory", "read", "Patient", {"p1"}),
                                  Entry(2, "mallory", "read", "Patient", {"p1"}),
                                  Entry(3, "mallory", "search", "Patient", {"p2", "p3"}),
                                  Entry(4, "mallory", "search", "Condition", {"p3"})});
  auto total = [&](Category c) { return r.totals.at(static_cast<size_t>(c)); };
  EXPECT_EQ(r.totals.size(), kCategoryCount);
  EXPECT_EQ(total(Category::kIdentity).patients, 3);
  EXPECT_EQ(total(Category::kIdentity).accesses, 4);
  EXPECT_EQ(total(Category::kConditions).patients, 1);
  EXPECT_EQ(total(Category::kConditions).accesses, 1);
  EXPECT_EQ(total(Category::kResults).patients, 0);
}

TEST(BreachTally, OnlySuccessfulReadsAndSearchesDisclose) {
  BreachScope scope;
  scope.accounts = {"mallory"};
  BreachReport r = Report(scope, {Entry(1, "mallory", "read", "Patient", {"p1"}, 403),
                                  Entry(2, "mallory", "search", "Patient", {}, 200),
                                  Entry(3, "mallory", "read", "Observation", {"p2"}, 401),
                                  Entry(4, "mallory", "update", "Patient", {"p3"}, 200),
                                  Entry(5, "mallory", "start-care", "CareTeam", {"p4"}, 201),
                                  Entry(6, "mallory", "create", "Observation", {"p5"}, 422)});
  EXPECT_TRUE(r.patients.empty());
  ASSERT_EQ(r.changed.size(), 2u) << "an update and a care relationship started";
  EXPECT_EQ(r.changed[0].patient, "p3");
  EXPECT_EQ(r.changed[1].patient, "p4");
  EXPECT_EQ(r.accounts.at(0).refused, 2);
}

TEST(BreachTally, EntriesWithoutTheRecordedBasisAreCountedAsUnknown) {
  BreachScope scope;
  scope.accounts = {"mallory"};
  auto old = Entry(1, "mallory", "read", "Patient", {"p1"});
  old.outside_care.reset();  // written before the basis was recorded
  BreachReport r = Report(scope, {old, Entry(2, "mallory", "read", "Patient", {"p1"})});
  ASSERT_EQ(r.patients.size(), 1u);
  EXPECT_EQ(r.patients[0].basis_unknown, 1);
  EXPECT_EQ(r.patients[0].outside_care, 0);
  EXPECT_EQ(CareOf(r.patients[0]), "mixed");
}

TEST(BreachTally, TheScopeFiltersByAccountsAddressAndWindow) {
  std::vector<audit::AuditEvent> entries = {
      Entry(0, "mallory", "read", "Patient", {"early"}),
      Entry(10, "mallory", "read", "Patient", {"inside"}),
      Entry(20, "mallory", "read", "Patient", {"late"}),
      Entry(10, "honest", "read", "Patient", {"honest-one"}),
  };
  entries[1].client_address = "198.51.100.1";
  BreachScope window;
  window.accounts = {"mallory", "honest"};
  window.since_ms = kT0 + 5 * 60'000;
  window.until_ms = kT0 + 20 * 60'000;  // excluded
  BreachReport r = Report(window, entries);
  ASSERT_EQ(r.patients.size(), 2u);
  EXPECT_NE(Find(r, "inside"), nullptr);
  EXPECT_NE(Find(r, "honest-one"), nullptr);

  BreachScope address;
  address.client_address = "198.51.100.1";  // any account
  r = Report(address, entries);
  ASSERT_EQ(r.patients.size(), 1u);
  EXPECT_EQ(r.patients[0].patient, "inside");

  BreachScope both;  // an account from one address
  both.accounts = {"mallory"};
  both.client_address = "203.0.113.7";
  r = Report(both, entries);
  ASSERT_EQ(r.patients.size(), 2u);
  EXPECT_NE(Find(r, "early"), nullptr);
  EXPECT_NE(Find(r, "late"), nullptr);
}

TEST(BreachTally, MeasuresOnTheAccountsAreKeptFromTheWindowStartOn) {
  BreachScope scope;
  scope.accounts = {"mallory"};
  scope.since_ms = kT0;
  scope.until_ms = kT0 + 60 * 60'000;
  auto contain = [](int64_t minute, std::string account, std::string interaction,
                    std::string detail) {
    audit::AuditEvent e = Entry(minute, "officer", std::move(interaction), "Account", {});
    e.username = "(command line)";
    e.resource_id = std::move(account);
    e.detail = std::move(detail);
    return e;
  };
  BreachReport r = Report(scope, {
                                     contain(-5, "mallory", "account-contain", "containment: lock"),
                                     contain(90, "mallory", "account-contain", "containment: lock"),
                                     contain(91, "mallory", "account-reset-mfa", ""),
                                     contain(92, "mallory", "account-list", ""),
                                     contain(93, "other", "account-contain", "containment: lock"),
                                 });
  ASSERT_EQ(r.measures.size(), 2u) << "after the window's start, on mallory, measures only";
  EXPECT_EQ(r.measures[0].action, "lock");
  EXPECT_EQ(r.measures[0].by, "(command line)");
  EXPECT_EQ(r.measures[0].time_ms, kT0 + 90 * 60'000);
  EXPECT_EQ(r.measures[1].action, "reset-mfa");
}

TEST(BreachTally, MergedTalliesAgreeWithOneTally) {
  BreachScope scope;
  scope.accounts = {"mallory"};
  std::vector<audit::AuditEvent> entries;
  for (int i = 0; i < 40; ++i)
    entries.push_back(Entry(i, "mallory", i % 3 == 0 ? "search" : "read",
                            i % 2 == 0 ? "Patient" : "Observation", {"p" + std::to_string(i % 7)}));
  BreachReport whole = Report(scope, entries);
  BreachTally a(scope), b(scope);
  for (size_t i = 0; i < entries.size(); ++i)
    (i % 2 == 0 ? a : b).Add(static_cast<int64_t>(i + 1), entries[entries.size() - 1 - i]);
  a.Merge(std::move(b));
  BreachReport merged;
  std::move(a).Fill(merged);
  ASSERT_EQ(merged.patients.size(), whole.patients.size());
  for (size_t i = 0; i < whole.patients.size(); ++i) {
    const PatientExposure &x = whole.patients[i], &y = merged.patients[i];
    EXPECT_EQ(x.patient, y.patient);
    EXPECT_EQ(x.categories, y.categories);
    EXPECT_EQ(x.accesses, y.accesses);
    EXPECT_EQ(x.first_ms, y.first_ms);
    EXPECT_EQ(x.last_ms, y.last_ms);
    EXPECT_EQ(x.accesses_by_category, y.accesses_by_category);
  }
  EXPECT_EQ(merged.accounts.at(0).requests, 40);
}

// As the verifier hands an entry over: its canonical text and the head read from it.
void VisitAsTheVerifier(BreachScanner& scanner, unsigned worker, int64_t seq,
                        const audit::AuditEvent& event) {
  const std::string json = audit::CanonicalJson(event);
  auto head = audit::CanonicalJsonHead(json);
  ASSERT_TRUE(head.has_value());
  scanner.Visit(worker, seq, json, *head);
}

std::vector<std::string> PatientsFound(BreachScanner& scanner) {
  auto tally = std::move(scanner).Take();
  EXPECT_TRUE(tally.has_value());
  if (!tally) return {};
  BreachReport r;
  std::move(*tally).Fill(r);
  std::vector<std::string> patients;
  for (const PatientExposure& p : r.patients) patients.push_back(p.patient);
  return patients;
}

TEST(BreachScanner, FindsTheEntriesOfTheScopeInCanonicalText) {
  BreachScope scope;
  scope.accounts = {"mallory"};
  scope.since_ms = kT0;
  BreachScanner scanner(scope);
  scanner.Begin(2);
  auto read = Entry(1, "mallory", "read", "Patient", {"p1"});
  auto before = Entry(-1, "mallory", "read", "Patient", {"p0"});
  auto other = Entry(1, "honest", "read", "Patient", {"p2"});
  other.user_agent = "\"mallory\"";  // escaped in the text: not the account
  VisitAsTheVerifier(scanner, 0, 1, read);
  VisitAsTheVerifier(scanner, 1, 2, before);
  VisitAsTheVerifier(scanner, 1, 3, other);
  EXPECT_EQ(PatientsFound(scanner), std::vector<std::string>{"p1"});
}

TEST(BreachScanner, AnAddressScopeTakesEveryAccountFromItAndNothingElse) {
  BreachScope scope;
  scope.client_address = "10.9.9.9";
  scope.since_ms = kT0;
  BreachScanner scanner(scope);
  scanner.Begin(1);
  auto from_it = Entry(1, "mallory", "read", "Patient", {"p1"});
  from_it.client_address = "10.9.9.9";
  auto second = Entry(2, "eve", "read", "Patient", {"p2"});
  second.client_address = "10.9.9.9";
  auto elsewhere = Entry(3, "mallory", "read", "Patient", {"p3"});
  elsewhere.client_address = "10.9.9.99";
  elsewhere.user_agent = "10.9.9.9";
  VisitAsTheVerifier(scanner, 0, 1, from_it);
  VisitAsTheVerifier(scanner, 0, 2, second);
  VisitAsTheVerifier(scanner, 0, 3, elsewhere);
  EXPECT_EQ(PatientsFound(scanner), (std::vector<std::string>{"p1", "p2"}));
}

TEST(BreachScope, IsCheckedAndTimesParse) {
  BreachScope scope;
  EXPECT_FALSE(CheckScope(scope).has_value()) << "names nothing";
  scope.accounts = {"mallory"};
  EXPECT_TRUE(CheckScope(scope).has_value());
  scope.accounts = {"bad\"id"};
  EXPECT_FALSE(CheckScope(scope).has_value());
  scope.accounts = {};
  scope.client_address = "10.0.0.1\"";
  EXPECT_FALSE(CheckScope(scope).has_value());
  scope.client_address = "2001:db8::1";
  EXPECT_TRUE(CheckScope(scope).has_value());
  scope.since_ms = scope.until_ms = 5;
  EXPECT_FALSE(CheckScope(scope).has_value()) << "empty window";
  EXPECT_EQ(ParseScopeTime("2027-01-15"), std::optional<int64_t>(1'799'971'200'000));
  EXPECT_EQ(ParseScopeTime("2027-01-15T08:00:00Z"), ParseScopeTime("2027-01-15T09:00:00+01:00"));
  EXPECT_FALSE(ParseScopeTime("yesterday").has_value());
  EXPECT_FALSE(ParseScopeTime("2027-13-45").has_value());
}

}  // namespace
}  // namespace medvault::incident
