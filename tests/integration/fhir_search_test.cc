// Search over HTTPS: Patient parameters through the blind indexes, clinical searches
// inside one patient's compartment, paging, sorting, strict parameter handling.
#include <gtest/gtest.h>

#include <set>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

class FhirSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    practice_ = StartPractice().release();
    HttpsClient& doctor = practice_->as("physician");
    const std::string& org = practice_->organization_id;
    struct P {
      const char* family;
      const char* given;
      const char* birth;
      const char* nir;
      const char* gender;
    };
    for (P p : {P{"Dupont", "Hélène", "1970-05-12", "2700575123456", "female"},
                P{"Dupont-Laval", "Jean-Marc", "1965-01-30", "1650175123457", "male"},
                P{"Dupuis", "Élodie", "1970-05-12", "2700592123458", "female"},
                P{"Lemaître", "François", "1948-11-11", "1481175123459", "male"},
                P{"Nguyen", "Li", "2001-07-04", "2010775123450", "female"}}) {
      auto r = doctor.Request("POST", "/fhir/Patient",
                              PatientJson(p.family, p.given, p.birth, org, p.nir, p.gender));
      ASSERT_EQ(r.status, 201) << r.body;
      ids_.push_back(IdFromLocation(r));
    }
    for (const char* date :
         {"2026-01-10T08:00:00Z", "2026-03-10T08:00:00Z", "2025-12-01T08:00:00Z"})
      ASSERT_EQ(
          doctor.Request("POST", "/fhir/Observation", ObservationJson(ids_[0], date, "70")).status,
          201);
    ASSERT_EQ(doctor
                  .Request("POST", "/fhir/Observation",
                           ObservationJson(ids_[1], "2026-02-01T08:00:00Z", "90"))
                  .status,
              201);
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
  static std::vector<std::string> ids_;

  HttpsClient& doctor() { return practice_->as("physician"); }

  // Searches and returns (total, ids on the page in order).
  std::pair<int, std::vector<std::string>> Find(const std::string& query) {
    auto r = doctor().Get(query);
    EXPECT_EQ(r.status, 200) << query << " → " << r.body;
    auto doc = Json(r.body);
    std::vector<std::string> found;
    if (!doc.IsObject() || !doc.HasMember("total")) return {-1, found};
    if (doc.HasMember("entry"))
      for (const auto& e : doc["entry"].GetArray())
        found.emplace_back(e["resource"]["id"].GetString());
    return {doc["total"].GetInt(), found};
  }
};
Practice* FhirSearchTest::practice_ = nullptr;
std::vector<std::string> FhirSearchTest::ids_;

TEST_F(FhirSearchTest, FamilyIsAPrefixMatchIgnoringCaseAndAccents) {
  EXPECT_EQ(Find("/fhir/Patient?family=dupont").first, 2);  // Dupont, Dupont-Laval
  EXPECT_EQ(Find("/fhir/Patient?family=DUP").first, 3);
  EXPECT_EQ(Find("/fhir/Patient?family=lemaitre").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?family=Lema%C3%AEtre").first, 1);  // "Lemaître" encoded
  EXPECT_EQ(Find("/fhir/Patient?family:exact=Dupont").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?family=laval").first, 1);  // a later word of the name
  EXPECT_EQ(Find("/fhir/Patient?family=zzz").first, 0);
}

TEST_F(FhirSearchTest, GivenNameBirthdateGenderIdentifier) {
  EXPECT_EQ(Find("/fhir/Patient?given=helene").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?given=li").first, 1);  // short: whole word
  EXPECT_EQ(Find("/fhir/Patient?name=francois").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?birthdate=1970-05-12").first, 2);
  EXPECT_EQ(Find("/fhir/Patient?birthdate=1970").first, 2);
  EXPECT_EQ(Find("/fhir/Patient?family=dup&birthdate=1970-05-12").first, 2);
  EXPECT_EQ(Find("/fhir/Patient?family=dup&gender=male").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?identifier=1481175123459").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.8|1481175123459").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?identifier=urn:oid:9.9|1481175123459").first, 0);
  EXPECT_EQ(Find("/fhir/Patient?birthdate=ge2000-01-01&gender=female").first, 1);
  EXPECT_EQ(Find("/fhir/Patient?organization=Organization/" + practice_->organization_id +
                 "&family=dupont")
                .first,
            2);
  EXPECT_EQ(Find("/fhir/Patient?_id=" + ids_[3]).second, std::vector<std::string>{ids_[3]});
}

TEST_F(FhirSearchTest, PagingFollowsNextLinksAndCountsTotal) {
  auto first = doctor().Get("/fhir/Patient?family=dup&_count=2&_sort=-_lastUpdated");
  ASSERT_EQ(first.status, 200) << first.body;
  auto doc = Json(first.body);
  EXPECT_EQ(doc["total"].GetInt(), 3);
  ASSERT_EQ(doc["entry"].Size(), 2u);
  std::string next;
  for (const auto& link : doc["link"].GetArray())
    if (std::string(link["relation"].GetString()) == "next") next = link["url"].GetString();
  ASSERT_FALSE(next.empty()) << first.body;
  auto second = doctor().Get(next.substr(practice_->server->url().size()));
  ASSERT_EQ(second.status, 200) << second.body;
  auto doc2 = Json(second.body);
  EXPECT_EQ(doc2["total"].GetInt(), 3);
  ASSERT_EQ(doc2["entry"].Size(), 1u);
  for (const auto& link : doc2["link"].GetArray())
    EXPECT_NE(std::string(link["relation"].GetString()), "next");
  std::set<std::string> all = {doc["entry"][0]["resource"]["id"].GetString(),
                               doc["entry"][1]["resource"]["id"].GetString(),
                               doc2["entry"][0]["resource"]["id"].GetString()};
  EXPECT_EQ(all.size(), 3u);
}

TEST_F(FhirSearchTest, ClinicalSearchesStayInOnePatientAndSortByDate) {
  auto [total, ids] = Find("/fhir/Observation?patient=" + ids_[0] + "&_sort=date");
  EXPECT_EQ(total, 3);
  auto [total_desc, ids_desc] =
      Find("/fhir/Observation?subject=Patient/" + ids_[0] + "&_sort=-date");
  EXPECT_EQ(total_desc, 3);
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids.front(), ids_desc.back());
  EXPECT_EQ(Find("/fhir/Observation?patient=" + ids_[0] + "&date=ge2026-01-01").first, 2);
  EXPECT_EQ(Find("/fhir/Observation?patient=" + ids_[0] + "&code=http://loinc.org|8867-4").first,
            3);
  EXPECT_EQ(Find("/fhir/Observation?patient=" + ids_[0] + "&code=other").first, 0);
  auto no_patient = doctor().Get("/fhir/Observation?code=8867-4");
  EXPECT_EQ(no_patient.status, 400);
}

TEST_F(FhirSearchTest, UnknownOrMalformedParametersAre400) {
  for (const char* q :
       {"/fhir/Patient?nickname=x", "/fhir/Patient?family:contains=dup",
        "/fhir/Patient?_count=1000", "/fhir/Patient?_count=0", "/fhir/Patient?birthdate=12/05/1970",
        "/fhir/Patient?family=%ZZ", "/fhir/Patient?_sort=family", "/fhir/Patient?family="}) {
    auto r = doctor().Get(q);
    EXPECT_EQ(r.status, 400) << q << " → " << r.body;
    EXPECT_EQ(std::string(Json(r.body)["resourceType"].GetString()), "OperationOutcome");
  }
}

TEST_F(FhirSearchTest, ErrorMessagesDoNotEchoSearchedNames) {
  auto r = doctor().Get("/fhir/Patient?family:contains=Dupontel");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.find("Dupontel"), std::string::npos) << r.body;
}

// A name too common to drive the search: past 64 candidates for every criterion, the
// candidates of each are intersected; when one criterion has few, the others are checked
// on its candidates alone (IndexedCandidates). Both ways must find the same patients.
// One physician registers 100 namesakes (34 women, 66 men, ten born on each of ten
// days): the budgets are raised and the risk scorer is off here, since this tests
// search, not detection.
class CommonNameSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    practice_ =
        StartPractice({{"physician_patients_per_10_minutes = 15",
                        "physician_patients_per_10_minutes = 100000"},
                       {"physician_patients_per_hour = 40", "physician_patients_per_hour = 100000"},
                       {"physician_patients_per_day = 150", "physician_patients_per_day = 1000000"},
                       {"risk_scoring = true", "risk_scoring = false"}})
            .release();
    HttpsClient& doctor = practice_->as("physician");
    for (int i = 0; i < kPatients; ++i) {
      // Every third a woman; birth dates 1950-01-01 … 1950-01-10, ten on each.
      const std::string birth = "1950-01-" + std::string(i % 10 == 9 ? "10" : "0") +
                                (i % 10 == 9 ? "" : std::to_string(i % 10 + 1));
      auto r = doctor.Request(
          "POST", "/fhir/Patient",
          PatientJson("Kerhervé", "Yann", birth, practice_->organization_id,
                      std::to_string(1500175000000 + i), i % 3 == 0 ? "female" : "male"));
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }
  static void TearDownTestSuite() { delete practice_; }
  static constexpr int kPatients = 100;
  static Practice* practice_;

  int Total(const std::string& query) {
    auto r = practice_->as("physician").Get(query + "&_count=1");
    EXPECT_EQ(r.status, 200) << query << " → " << r.body;
    auto doc = Json(r.body);
    return doc.IsObject() && doc.HasMember("total") ? doc["total"].GetInt() : -1;
  }
};
Practice* CommonNameSearchTest::practice_ = nullptr;

TEST_F(CommonNameSearchTest, ManyOrFewCandidatesFindTheSamePatients) {
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve"), kPatients);
  // Neither has few candidates (100 and 66): intersected.
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve&gender=male"), 66);
  EXPECT_EQ(Total("/fhir/Patient?gender=male&family=kerherve"), 66);
  // The birth date has few (10): it drives, wherever it is in the query.
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve&birthdate=1950-01-03"), 10);
  EXPECT_EQ(Total("/fhir/Patient?birthdate=1950-01-03&family=kerherve"), 10);
  EXPECT_EQ(Total("/fhir/Patient?gender=male&birthdate=1950-01-10"), 6);
  // The women (34) drive; the name and the birth date are checked on them.
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve&gender=female&birthdate=1950-01-10"), 4);
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve&birthdate=1950-01-03,1950-01-04"), 20);
  // OR'ed values a patient has both of (the day's 10 are among the month's 100): a
  // value read short must not pass for complete because some of its rows were there
  // already (IdsFiledUnder reads each one whole up to the limit).
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve&birthdate=1950-01-01,1950-01"), kPatients);
  EXPECT_EQ(Total("/fhir/Patient?birthdate=1950-01-01,1950-01&family=kerherve"), kPatients);
  EXPECT_EQ(Total("/fhir/Patient?family=zzz&birthdate=1950-01-03"), 0);
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve&birthdate=1951-01-03"), 0);
  EXPECT_EQ(Total("/fhir/Patient?family=kerherve&identifier=1500175000004"), 1);
  EXPECT_EQ(Total("/fhir/Patient?_id=nobody&family=kerherve"), 0);
}

}  // namespace
}  // namespace medvault::testing
