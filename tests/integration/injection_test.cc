// SQL injection through the real server over HTTPS: SQL metacharacters and encodings in
// every FHIR search parameter (enumerated from the search-parameter table, so a new
// parameter is covered without touching this file), in the AuditEvent search, in body
// fields that reach SQL (login, MFA, account creation, break-the-glass, resource fields
// and references) and in path ids. Each answer must be correct: a clean 400 with an
// OperationOutcome, or the rows that match the value taken literally and no others; the
// database must come out intact. The lint that keeps SQL parameterized is
// tests/lint/sql_lint.py (CTest lint.*).
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fhir/resource_type.h"
#include "fhir/search.h"
#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

// Values an attacker types, as text (percent-encoded when they go into a URL).
const std::vector<std::string>& HostileValues() {
  static const std::vector<std::string> values = {
      "' OR 1=1 --",
      "' OR '1'='1",
      "\" OR \"\"=\"",
      "\"; DROP TABLE current_resources; --",
      "'); DELETE FROM audit_log; --",
      "x' UNION SELECT id, password_hash FROM accounts --",
      "1; UPDATE accounts SET role = 'admin'",
      "%",
      "_",
      "%%'",
      "[a-z]*",
      "\\",
      "\\'; --",
      std::string("x\0' OR 1=1", 10),                  // a NUL byte before the quote
      "\xE2\x80\x99 OR 1=1 --",                        // ’ (U+2019)
      "\xEF\xBC\x87 OR \xEF\xBC\x87\x31\xEF\xBC\x87",  // ＇ fullwidth apostrophes
      "\xCA\xBC OR 1=1",                               // ʼ (U+02BC)
      "%27 OR 1=1 --",                                 // encoded once more on the way
      std::string(1000, 'x') + "' OR 1=1 --",          // long, within the query limit
      std::string(5000, 'x'),                          // past the 4 KiB query limit
  };
  return values;
}

// Query text sent exactly as written (not encoded again): bad escapes, encoded quotes,
// NUL, invalid UTF-8.
const std::vector<std::string>& RawQueryValues() {
  static const std::vector<std::string> values = {"%27",      "%27%20OR%201%3D1%20--",
                                                  "%00",      "x%00y",
                                                  "%FF%FE",   "%C0%A7",
                                                  "%",        "%2",
                                                  "%%27",     "%25",
                                                  "%2527",    "'--",
                                                  "%22%3B",   "%5C",
                                                  "%E2%80%99"};
  return values;
}

// `value` as a search value: FHIR's escapes for `\`, `,`, `|` and `$` (which otherwise
// separate values or parts of a token), then percent-encoding.
std::string SearchValue(const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == ',' || c == '|' || c == '$') escaped += '\\';
    escaped += c;
  }
  return fhir::PercentEncode(escaped);
}

class InjectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // This suite sends some thousand searches and logins from one account and one
    // address on purpose: budgets, throttles and risk scoring would rightly step in.
    practice_ =
        StartPractice({{"physician_directory_searches_per_hour = 40",
                        "physician_directory_searches_per_hour = 100000"},
                       {"physician_patients_per_10_minutes = 15",
                        "physician_patients_per_10_minutes = 100000"},
                       {"physician_patients_per_hour = 40", "physician_patients_per_hour = 100000"},
                       {"physician_patients_per_day = 150", "physician_patients_per_day = 1000000"},
                       {"refusals_before_step_up = 20", "refusals_before_step_up = 100000"},
                       {"risk_scoring = true", "risk_scoring = false"},
                       {"free_failures = 2", "free_failures = 1000"},
                       {"lockout_after_failures = 10", "lockout_after_failures = 1000"}})
            .release();
    HttpsClient& doctor = practice_->as("physician");
    const std::string& org = practice_->organization_id;
    // Names with the characters SQL and LIKE treat specially, to be found literally.
    for (const char* family : {"Zqabc", "Zq_bc", "Zq%bc", "O'Brien", "Back\\\\slash"}) {
      auto r =
          doctor.Request("POST", "/fhir/Patient", PatientJson(family, "Test", "1980-01-01", org));
      ASSERT_EQ(r.status, 201) << family << ": " << r.body;
      planted_.push_back(IdFromLocation(r));
    }
    // One resource of every clinical type for a patient of the physician, so that a
    // criterion the server forgot to apply would show as an extra row.
    record_ = new PatientRecord(RegisterPatient(
        *practice_, "physician", PatientJson("Zqclinical", "Test", "1981-02-02", org)));
    accounts_before_ = AccountCount();
  }
  static void TearDownTestSuite() {
    delete record_;
    delete practice_;
  }

  static int AccountCount() {
    auto r = practice_->as("admin").Get("/admin/accounts");
    if (r.status != 200) return -1;
    auto doc = Json(r.body);
    if (doc.IsArray()) return static_cast<int>(doc.Size());
    if (doc.IsObject() && doc.HasMember("accounts"))
      return static_cast<int>(doc["accounts"].Size());
    return -1;
  }

  // Runs `send` for every item, on four connections of the physician's session at once.
  static void InParallel(size_t count, const std::function<void(HttpsClient&, size_t)>& send) {
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&] {
        auto client = practice_->SameSessionAs("physician");
        for (size_t i = next++; i < count; i = next++) send(*client, i);
      });
    }
    for (std::thread& t : threads) t.join();
  }

  // The ids of a searchset, or fails the test with `what`.
  static std::set<std::string> Ids(const HttpResponse& r, const std::string& what) {
    std::set<std::string> ids;
    EXPECT_EQ(r.status, 200) << what << " → " << r.body.substr(0, 300);
    if (r.status != 200) return ids;
    auto doc = Json(r.body);
    if (doc.IsObject() && doc.HasMember("entry"))
      for (const auto& e : doc["entry"].GetArray()) ids.insert(e["resource"]["id"].GetString());
    return ids;
  }

  static Practice* practice_;
  static std::vector<std::string>
      planted_;  // Zqabc, Zq_bc, Zq%bc, O'Brien, Back\slash (one backslash)
  static PatientRecord* record_;
  static int accounts_before_;
  static int accounts_created_;  // hostile usernames the server took, literally
};
Practice* InjectionTest::practice_ = nullptr;
std::vector<std::string> InjectionTest::planted_;
PatientRecord* InjectionTest::record_ = nullptr;
int InjectionTest::accounts_before_ = 0;
int InjectionTest::accounts_created_ = 0;

// A refusal must be a clean 400 with an OperationOutcome; an answer, a searchset whose
// every entry the value matches literally (`allowed`: none of the hostile values names
// any resource, so nothing is allowed but the planted ones where the test says so).
void ExpectCleanAnswer(const HttpResponse& r, const std::string& what,
                       const std::set<std::string>& allowed = {}) {
  if (r.status == 400) {
    EXPECT_NE(r.body.find("\"OperationOutcome\""), std::string::npos) << what << " → " << r.body;
    return;
  }
  ASSERT_EQ(r.status, 200) << what << " → " << r.body.substr(0, 400);
  auto doc = Json(r.body);
  ASSERT_TRUE(doc.IsObject() && Str(doc, "resourceType") == "Bundle") << what;
  if (doc.HasMember("entry")) {
    for (const auto& e : doc["entry"].GetArray()) {
      std::string id = e["resource"]["id"].GetString();
      EXPECT_TRUE(allowed.count(id))
          << what << " returned " << e["resource"]["resourceType"].GetString() << "/" << id;
    }
  }
}

TEST_F(InjectionTest, EverySearchParameterTakesHostileValuesLiterally) {
  struct Query {
    std::string path;
    std::string what;
  };
  std::vector<Query> queries;
  size_t parameters = 0;
  for (fhir::ResourceType type : fhir::kAllResourceTypes) {
    std::string name(fhir::NameOf(type));
    // Clinical searches are answered one patient at a time: name the patient, so that
    // the hostile criterion is what narrows (or should narrow) the answer.
    bool clinical = fhir::IsPatientData(type) && type != fhir::ResourceType::kPatient;
    for (const fhir::SearchParamDef& param : fhir::SearchParamsOf(type)) {
      ++parameters;
      std::string p(param.name);
      std::string scope = clinical && p != "patient" && p != "subject"
                              ? "&patient=Patient/" + record_->patient
                              : "";
      std::vector<std::string> names = {p};
      if (param.kind == fhir::ParamKind::kString) names.push_back(p + ":exact");
      for (const std::string& n : names) {
        for (const std::string& v : HostileValues())
          queries.push_back({"/fhir/" + name + "?" + n + "=" + fhir::PercentEncode(v) + scope,
                             name + "?" + n + "=<" + v.substr(0, 40) + ">"});
        for (const std::string& v : RawQueryValues())
          queries.push_back(
              {"/fhir/" + name + "?" + n + "=" + v + scope, name + "?" + n + "=" + v});
      }
    }
  }
  EXPECT_GT(parameters, 40u);  // the table as it stands; it only grows
  InParallel(queries.size(), [&](HttpsClient& client, size_t i) {
    ExpectCleanAnswer(client.Get(queries[i].path), queries[i].what);
  });
}

// LIKE's wildcards mean nothing here: `%` and `_` are punctuation, which search (like
// FHIR's) treats as a word break; a value matches from the start of a word, never from
// the middle, and :exact compares the whole text.
TEST_F(InjectionTest, WildcardsAndQuotesMatchLiterally) {
  HttpsClient& doctor = practice_->as("physician");
  const std::string& zqabc = planted_[0];
  const std::string& underscore = planted_[1];
  const std::string& percent = planted_[2];
  const std::string& obrien = planted_[3];
  const std::string& backslash = planted_[4];
  auto find = [&](const std::string& query) {
    return Ids(doctor.Get("/fhir/Patient?" + query), query);
  };
  using Set = std::set<std::string>;
  EXPECT_EQ(find("family=zq_bc"), (Set{underscore, percent}));    // "zq bc", not "zqabc"
  EXPECT_EQ(find("family=zq%25bc"), (Set{underscore, percent}));  // the same
  EXPECT_EQ(find("family=%25bc"), (Set{underscore, percent}));    // a word "bc…", not "…bc"
  EXPECT_EQ(find("family=_qabc"), Set{});                         // "_" is no single character
  EXPECT_EQ(find("family=z_abc"), Set{});
  EXPECT_EQ(find("family=zqa"), Set{zqabc});
  EXPECT_EQ(find("family:exact=Zq_bc"), Set{underscore});
  EXPECT_EQ(find("family:exact=Zq%25bc"), Set{percent});
  EXPECT_EQ(find("family:exact=Zq%25"), Set{});
  EXPECT_EQ(find("family:exact=Zq_b_"), Set{});
  EXPECT_EQ(find("family=o%27brien"), Set{obrien});
  EXPECT_EQ(find("family:exact=O%27Brien"), Set{obrien});
  EXPECT_EQ(find("family:exact=O%27Brien%27%20OR%20%271%27%3D%271"), Set{});
  EXPECT_EQ(find("family:exact=O%E2%80%99Brien"), Set{});  // ’ is not '
  // `\` escapes in FHIR search values: `\\` is one backslash, a lone one is malformed.
  EXPECT_EQ(find("family:exact=Back%5C%5Cslash"), Set{backslash});
  EXPECT_EQ(doctor.Get("/fhir/Patient?family:exact=Back%5Cslash").status, 400);
  // The identifier token: a value with SQL in it is one opaque code.
  EXPECT_EQ(find("identifier=urn:oid:1.2.250.1.213.1.4.8%7C1700512345678%27%20OR%201%3D1"), Set{});
}

// Resource fields are stored and searched as the text they are; references that are not
// "Type/id" are refused (422, the resource is invalid) before any lookup.
TEST_F(InjectionTest, ResourceFieldsAreStoredAsTheTextTheyAre) {
  HttpsClient& doctor = practice_->as("physician");
  const std::string& org = practice_->organization_id;
  int stored = 0;
  for (const std::string& v : HostileValues()) {
    if (v.size() > 2000 || v.find('\0') != std::string::npos) continue;
    std::string family;  // v as a JSON string
    for (char c : v) {
      if (c == '"' || c == '\\') family += '\\';
      family += c;
    }
    auto r =
        doctor.Request("POST", "/fhir/Patient", PatientJson(family, "Test", "1990-03-03", org));
    if (r.status == 400) continue;  // refused by validation: fine, nothing stored
    ASSERT_EQ(r.status, 201) << v << " → " << r.body;
    ++stored;
    std::string id = IdFromLocation(r);
    auto read = doctor.Get("/fhir/Patient/" + id);
    ASSERT_EQ(read.status, 200);
    auto doc = Json(read.body);
    EXPECT_EQ(std::string(doc["name"][0]["family"].GetString()), v);
    // Found by exactly its text, alone; or, for a value without letters or digits (which
    // no search takes), refused cleanly.
    auto found = doctor.Get("/fhir/Patient?family:exact=" + SearchValue(v));
    if (found.status == 400) {
      EXPECT_NE(found.body.find("without letters or digits"), std::string::npos) << v;
      continue;
    }
    EXPECT_EQ(Ids(found, v), std::set<std::string>{id}) << v;
  }
  EXPECT_GT(stored, 10);
  for (const std::string& v : HostileValues()) {
    std::string ref = fhir::PercentEncode(v);  // any JSON-safe form will do
    auto r = doctor.Request("POST", "/fhir/Observation",
                            ObservationJson(ref, "2026-01-01T08:00:00Z", "70"));
    EXPECT_TRUE(r.status == 400 || r.status == 422 || r.status == 404 || r.status == 403)
        << v << " → " << r.status;
    r = doctor.Request("POST", "/fhir/Patient", PatientJson("Zref", "Test", "1990-03-03", ref));
    EXPECT_TRUE(r.status == 400 || r.status == 422 || r.status == 404 || r.status == 403)
        << v << " → " << r.status;
  }
}

// Ids in paths: anything that is not an id is refused (404 or 400), never looked up as
// something else.
TEST_F(InjectionTest, HostileIdsInPathsFindNothing) {
  HttpsClient& doctor = practice_->as("physician");
  std::vector<std::string> ids;
  for (const std::string& v : HostileValues()) ids.push_back(fhir::PercentEncode(v));
  for (const std::string& v : RawQueryValues()) ids.push_back(v);
  for (const std::string& id : ids) {
    for (const std::string& path :
         {"/fhir/Patient/" + id, "/fhir/Patient/" + id + "/_history", "/fhir/Observation/" + id,
          "/fhir/Patient/" + planted_[0] + "/_history/" + id, "/fhir/AuditEvent/" + id}) {
      auto r = doctor.Get(path);
      EXPECT_TRUE(r.status == 400 || r.status == 404 || r.status == 403)
          << path << " → " << r.status;
    }
    auto r = doctor.Request("PUT", "/fhir/Patient/" + id,
                            PatientJson("Zput", "Test", "1990-03-03", practice_->organization_id));
    EXPECT_TRUE(r.status == 400 || r.status == 404) << id << " → " << r.status << " " << r.body;
  }
}

// Body fields that reach SQL: the login's username, the MFA challenge, a new account's
// username and references, a break-the-glass patient. A refusal is whatever the route
// answers to a wrong value (401 for a login, 413 past a body's size cap), never a 500.
TEST_F(InjectionTest, BodyFieldsThatReachSqlAreRefusedOrTakenLiterally) {
  auto anonymous = practice_->NewClient();
  HttpsClient& admin = practice_->as("admin");
  for (const std::string& v : HostileValues()) {
    std::string s;  // v as a JSON string (NUL as \u0000)
    for (char c : v) {
      if (c == '\0') {
        s += "\\u0000";
        continue;
      }
      if (c == '"' || c == '\\') s += '\\';
      s += c;
    }
    auto r = anonymous->Request("POST", "/auth/login",
                                R"({"username":")" + s + R"(","password":"not the password"})",
                                {"Content-Type: application/json"});
    EXPECT_TRUE(r.status == 401 || r.status == 400 || r.status == 413)
        << "login " << v << " → " << r.status;
    EXPECT_EQ(r.body.find("access_token"), std::string::npos);
    r = anonymous->Request("POST", "/auth/mfa", R"({"challenge":")" + s + R"(","code":"123456"})",
                           {"Content-Type: application/json"});
    EXPECT_TRUE(r.status == 401 || r.status == 400 || r.status == 413)
        << "mfa " << v << " → " << r.status;
    EXPECT_EQ(r.body.find("access_token"), std::string::npos);
    r = anonymous->Request("POST", "/auth/mfa",
                           R"({"challenge":"x","recovery_code":")" + s + R"("})",
                           {"Content-Type: application/json"});
    EXPECT_TRUE(r.status == 401 || r.status == 400 || r.status == 413)
        << "recovery " << v << " → " << r.status;

    r = admin.Request("POST", "/admin/accounts",
                      R"({"username":"inj)" + std::to_string(&v - HostileValues().data()) +
                          R"(","role":"physician","organization":")" + s + R"(","practitioner":")" +
                          s + R"("})",
                      {"Content-Type: application/json"});
    EXPECT_TRUE(r.status == 400 || r.status == 404 || r.status == 403 || r.status == 413)
        << "account references " << v << " → " << r.status << " " << r.body;
    r = admin.Request("POST", "/admin/accounts",
                      R"({"username":")" + s + R"(","role":"secretary","organization":")" +
                          practice_->organization_id + R"("})",
                      {"Content-Type: application/json"});
    if (r.status == 201) {  // taken as the literal name it is
      auto doc = Json(r.body);
      EXPECT_EQ(std::string(doc["username"].GetString()), v);
      ++accounts_created_;
    } else {
      EXPECT_TRUE(r.status == 400 || r.status == 403 || r.status == 413)
          << "username " << v << " → " << r.status;
    }
    r = practice_->as("physician")
            .Request("POST", "/access/break-glass",
                     R"({"patient":")" + s + R"(","reason":{"code":"ETREAT","text":")" +
                         std::string(kBreakGlassText) + R"("}})",
                     {"Content-Type: application/json"});
    EXPECT_TRUE(r.status == 400 || r.status == 403 || r.status == 404 || r.status == 401 ||
                r.status == 413)
        << "break-glass " << v << " → " << r.status << " " << r.body;
  }
  // The real accounts still log in.
  EXPECT_NE(practice_->LoginAs("physician"), nullptr);
}

// The AuditEvent search (security officer): every parameter, hostile values.
TEST_F(InjectionTest, AuditSearchParametersTakeHostileValues) {
  HttpsClient& officer = practice_->as("security_officer");
  for (const char* param :
       {"patient", "agent", "agent-name", "date", "outcome", "_count", "_cursor"}) {
    for (const std::string& v : HostileValues()) {
      std::string q = std::string("/fhir/AuditEvent?") + param + "=" + fhir::PercentEncode(v);
      ExpectCleanAnswer(officer.Get(q), q.substr(0, 80));
    }
    for (const std::string& v : RawQueryValues()) {
      std::string q = std::string("/fhir/AuditEvent?") + param + "=" + v;
      ExpectCleanAnswer(officer.Get(q), q);
    }
  }
}

// Last (tests of a suite run in the order written): nothing above changed what it must
// not. The planted patients are all there, the accounts are those created on purpose,
// and once stopped, the audit log verifies.
TEST_F(InjectionTest, AfterwardsTheDatabaseIsIntactAndTheLogVerifies) {
  HttpsClient& doctor = practice_->as("physician");
  for (const std::string& id : planted_) EXPECT_EQ(doctor.Get("/fhir/Patient/" + id).status, 200);
  for (const auto& [type, id] : record_->ids)
    EXPECT_EQ(doctor.Get("/fhir/" + type + "/" + id).status, 200) << type;
  // Two letters name a whole word (shorter than the index's prefixes): Zq_bc, Zq%bc.
  EXPECT_EQ(Ids(doctor.Get("/fhir/Patient?family=zq"), "family=zq"),
            (std::set<std::string>{planted_[1], planted_[2]}));
  EXPECT_EQ(AccountCount(), accounts_before_ + accounts_created_);
  ASSERT_EQ(practice_->server->Stop(), 0);
  EXPECT_GT(AuditEntriesVerified(practice_->data_dir), 1000);
}

}  // namespace
}  // namespace medvault::testing
