// Care relationships and the patient directory over HTTPS: a physician starts caring for
// a patient and only then reads the record; a search with two identity criteria also
// finds patients outside the caller's care, as minimal identity only, at most 20, never a
// restricted one; totals and pages count only what the caller may see; administrators
// and security officers search no patient data at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

const std::vector<std::string> kJson = {"Content-Type: application/json"};

// A patient with everything the directory must hide: identifier, telecom, address.
std::string FullPatientJson(const std::string& family, const std::string& given,
                            const std::string& birth_date, const std::string& organization) {
  std::string json = PatientJson(family, given, birth_date, organization);
  json.insert(json.size() - 1,
              R"(,"telecom":[{"system":"phone","value":"+33 6 00 00 00 01"}],)"
              R"("address":[{"line":["3 rue des Tests"],"city":"Lyon","postalCode":"69003"}])");
  return json;
}

// One page of a search: total, and the resources of its entries.
struct Page {
  int total = -1;
  std::string body;
  rapidjson::Document doc;
  std::vector<std::string> ids;
  std::string next;  // the next link without the server's address, or ""
};

class CareAccessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { practice_ = StartPractice().release(); }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;

  static std::string Register(const std::string& registrar, const std::string& json) {
    auto r = practice_->as(registrar).Request("POST", "/fhir/Patient", json);
    EXPECT_EQ(r.status, 201) << registrar << ": " << r.body;
    return IdFromLocation(r);
  }

  static Page Search(const std::string& username, const std::string& query) {
    Page page;
    auto r = practice_->as(username).Get(query);
    EXPECT_EQ(r.status, 200) << username << " " << query << " → " << r.body.substr(0, 300);
    page.body = r.body;
    page.doc = Json(r.body);
    if (!page.doc.IsObject() || !page.doc.HasMember("total")) return page;
    page.total = page.doc["total"].GetInt();
    if (page.doc.HasMember("entry"))
      for (const auto& e : page.doc["entry"].GetArray())
        page.ids.emplace_back(e["resource"]["id"].GetString());
    if (page.doc.HasMember("link"))
      for (const auto& link : page.doc["link"].GetArray())
        if (std::string(link["relation"].GetString()) == "next")
          page.next = std::string(link["url"].GetString()).substr(practice_->server->url().size());
    return page;
  }

  static bool Contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }
};
Practice* CareAccessTest::practice_ = nullptr;

TEST_F(CareAccessTest, StartingACareRelationshipOpensTheRecord) {
  PatientRecord record = RegisterPatient(
      *practice_, "physician-2",
      PatientJson("Nouveausuivi", "Jules", "1958-08-08", practice_->organization_id));
  const std::string& observation = record.ids.at("Observation");
  HttpsClient& doctor = practice_->as("physician");
  EXPECT_EQ(doctor.Get("/fhir/Observation/" + observation).status, 403);

  const std::string body =
      R"({"patient":")" + record.patient + R"(","reason":"new patient at the practice"})";
  for (const char* role : {"nurse", "secretary", "admin", "security_officer"}) {
    auto r = practice_->as(role).Request("POST", "/access/care-relationships", body, kJson);
    EXPECT_EQ(r.status, 403) << role << ": " << r.body;
  }
  EXPECT_EQ(practice_->as("nurse").Get("/fhir/Observation/" + observation).status, 403);

  auto started = doctor.Request("POST", "/access/care-relationships", body, kJson);
  ASSERT_EQ(started.status, 201) << started.body;
  auto doc = Json(started.body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("careteam") && doc["careteam"].IsString() &&
              doc.HasMember("patient") && doc["patient"].IsString())
      << started.body;
  EXPECT_EQ(std::string(doc["patient"].GetString()), record.patient);
  std::string careteam = doc["careteam"].GetString();
  EXPECT_EQ(doctor.Get("/fhir/CareTeam/" + careteam).status, 200);
  for (const auto& [type, id] : record.ids)
    EXPECT_EQ(doctor.Get("/fhir/" + type + "/" + id).status, 200) << type;
  EXPECT_EQ(doctor.Get("/fhir/Patient/" + record.patient).status, 200);

  auto again = doctor.Request("POST", "/access/care-relationships", body, kJson);
  EXPECT_EQ(again.status, 409) << again.body;
}

TEST_F(CareAccessTest, TheDirectoryShowsPatientsOutsideCareAsMinimalIdentity) {
  const std::string birth = "1961-06-15";
  std::string mine = Register(
      "physician", FullPatientJson("Annuairot", "Marius", birth, practice_->organization_id));
  std::string elsewhere =
      Register("physician-b",
               FullPatientJson("Annuairot", "Odile", birth, practice_->other_organization_id));
  std::string restricted = Register(
      "physician-2",
      Restricted(FullPatientJson("Annuairot", "Celestine", birth, practice_->organization_id)));

  Page both = Search("physician", "/fhir/Patient?family=Annuairot&birthdate=" + birth);
  EXPECT_TRUE(Contains(both.ids, mine));
  EXPECT_TRUE(Contains(both.ids, elsewhere));
  EXPECT_FALSE(Contains(both.ids, restricted)) << "a restricted patient outside care";
  EXPECT_EQ(both.total, static_cast<int>(both.ids.size()));
  EXPECT_EQ(both.body.find("Celestine"), std::string::npos);
  if (both.doc.IsObject() && both.doc.HasMember("entry")) {
    for (const auto& e : both.doc["entry"].GetArray()) {
      const auto& patient = e["resource"];
      std::string id = patient["id"].GetString();
      bool redacted = false;
      if (patient.HasMember("meta") && patient["meta"].HasMember("security"))
        for (const auto& label : patient["meta"]["security"].GetArray())
          redacted = redacted || std::string(label["code"].GetString()) == "REDACTED";
      if (id == mine) {
        EXPECT_FALSE(redacted) << "a patient in care comes in full";
        EXPECT_TRUE(patient.HasMember("identifier"));
        EXPECT_TRUE(patient.HasMember("telecom"));
      } else if (id == elsewhere) {
        EXPECT_TRUE(redacted) << "minimal identity is marked REDACTED";
        EXPECT_TRUE(patient.HasMember("name"));
        EXPECT_TRUE(patient.HasMember("birthDate"));
        EXPECT_TRUE(patient.HasMember("gender"));
        for (const char* hidden : {"identifier", "telecom", "address"})
          EXPECT_FALSE(patient.HasMember(hidden)) << hidden;
      }
    }
  }

  // One criterion searches the caller's own care only.
  Page family = Search("physician", "/fhir/Patient?family=Annuairot");
  EXPECT_EQ(family.ids, std::vector<std::string>{mine});
  EXPECT_EQ(family.total, 1);
  Page birthdate = Search("physician", "/fhir/Patient?birthdate=" + birth);
  EXPECT_FALSE(Contains(birthdate.ids, elsewhere));
  EXPECT_FALSE(Contains(birthdate.ids, restricted));
}

TEST_F(CareAccessTest, TheDirectoryShowsAtMostTwentyPatientsOutsideCare) {
  std::set<std::string> registered;
  for (int i = 0; i < 22; ++i)
    registered.insert(
        Register("physician-b", PatientJson("Vingtdeux", "Enfant" + std::to_string(i), "1977-03-03",
                                            practice_->other_organization_id)));
  ASSERT_EQ(registered.size(), 22u);
  // physician-b, in care of them all, sees them all.
  EXPECT_EQ(Search("physician-b", "/fhir/Patient?family=Vingtdeux&_count=100").total, 22);

  Page page = Search("physician", "/fhir/Patient?family=Vingtdeux&birthdate=1977-03-03&_count=100");
  EXPECT_GE(page.ids.size(), 1u);
  EXPECT_LE(page.ids.size(), 20u);
  EXPECT_EQ(page.total, static_cast<int>(page.ids.size()));
  for (const std::string& id : page.ids) EXPECT_TRUE(registered.contains(id)) << id;
}

TEST_F(CareAccessTest, TotalsAndPagesCountOnlyWhatTheCallerMaySee) {
  const std::string& a = practice_->organization_id;
  const std::string& b = practice_->other_organization_id;
  std::string mine = Register("physician", PatientJson("Paginel", "Anne", "1980-01-01", a));
  std::string colleagues =
      Register("physician-2", PatientJson("Paginel", "Bruno", "1981-01-01", a));
  std::set<std::string> of_b = {
      Register("physician-b", PatientJson("Paginel", "Chloe", "1982-01-01", b)),
      Register("physician-b", PatientJson("Paginel", "Denis", "1983-01-01", b))};

  // Follows the next links from `query`; every page says the same total.
  auto all_pages = [&](const std::string& username, const std::string& query) {
    std::vector<std::string> seen;
    std::string url = query;
    int first_total = -1;
    for (int pages = 0; !url.empty() && pages < 10; ++pages) {
      Page page = Search(username, url);
      if (first_total < 0) first_total = page.total;
      EXPECT_EQ(page.total, first_total) << url;
      EXPECT_LE(page.ids.size(), 1u) << url;
      seen.insert(seen.end(), page.ids.begin(), page.ids.end());
      url = page.next;
    }
    EXPECT_EQ(first_total, static_cast<int>(seen.size())) << username << " " << query;
    return std::set<std::string>(seen.begin(), seen.end());
  };

  // The secretary of organization A: both of A's patients, none of B's.
  EXPECT_EQ(all_pages("secretary", "/fhir/Patient?family=Paginel&_count=1"),
            (std::set<std::string>{mine, colleagues}));
  EXPECT_EQ(all_pages("secretary-b", "/fhir/Patient?family=Paginel&_count=1"), of_b);
  // A physician: the patient in their care only.
  EXPECT_EQ(all_pages("physician", "/fhir/Patient?family=Paginel&_count=1"),
            std::set<std::string>{mine});
  EXPECT_EQ(all_pages("physician-2", "/fhir/Patient?family=Paginel&_count=1"),
            std::set<std::string>{colleagues});
}

TEST_F(CareAccessTest, AdministratorsAndSecurityOfficersSearchNoPatientData) {
  std::string patient = Register(
      "physician", PatientJson("Interdit", "Paul", "1970-07-07", practice_->organization_id));
  ASSERT_EQ(practice_->as("physician")
                .Request("POST", "/fhir/Observation", ClinicalJson("Observation", patient))
                .status,
            201);
  for (const char* role : {"admin", "security_officer"})
    for (const std::string& query :
         {std::string("/fhir/Patient?family=Interdit"),
          std::string("/fhir/Patient?family=Interdit&birthdate=1970-07-07"),
          "/fhir/Patient?_id=" + patient, "/fhir/Observation?patient=" + patient}) {
      auto r = practice_->as(role).Get(query);
      EXPECT_EQ(r.status, 403) << role << " " << query << " → " << r.body.substr(0, 200);
      EXPECT_EQ(r.body.find("Interdit"), std::string::npos) << role << " " << query;
    }
}

}  // namespace
}  // namespace medvault::testing
