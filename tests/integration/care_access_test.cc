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
  std::vector<std::string> ids;       // the matched resources
  std::vector<std::string> outcomes;  // diagnostics of "outcome" entries
  std::string next;                   // the next link without the server's address, or ""
};

class CareAccessTest : public ::testing::Test {
 protected:
  // Listings of 22 patients on one page: past the 10-minute budget, which
  // DetectionTest covers; here the access rules are under test.
  static void SetUpTestSuite() {
    practice_ = StartPractice({{"physician_patients_per_10_minutes = 15",
                                "physician_patients_per_10_minutes = 1000"}})
                    .release();
  }
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
      for (const auto& e : page.doc["entry"].GetArray()) {
        if (std::string(e["search"]["mode"].GetString()) == "outcome")
          page.outcomes.emplace_back(e["resource"]["issue"][0]["diagnostics"].GetString());
        else
          page.ids.emplace_back(e["resource"]["id"].GetString());
      }
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

  // More than 20 outside the physician's care match: none is shown (not an arbitrary
  // 20, which would invite paging through criteria), and an outcome says to narrow.
  Page page = Search("physician", "/fhir/Patient?family=Vingtdeux&birthdate=1977-03-03&_count=100");
  EXPECT_TRUE(page.ids.empty()) << page.body.substr(0, 300);
  EXPECT_EQ(page.total, 0);
  ASSERT_EQ(page.outcomes.size(), 1u) << page.body.substr(0, 300);
  EXPECT_NE(page.outcomes[0].find("add criteria"), std::string::npos) << page.outcomes[0];

  // Narrowed to Enfant1, Enfant10 … Enfant19 (given is a word prefix): 11, shown.
  page = Search("physician",
                "/fhir/Patient?family=Vingtdeux&given=Enfant1&birthdate=1977-03-03&_count=100");
  EXPECT_EQ(page.ids.size(), 11u);
  EXPECT_EQ(page.total, 11);
  EXPECT_TRUE(page.outcomes.empty());
  for (const std::string& id : page.ids) EXPECT_TRUE(registered.contains(id)) << id;
  EXPECT_NE(page.body.find("REDACTED"), std::string::npos);
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

TEST_F(CareAccessTest, OnlyAPhysicianInTheCareTeamSetsOrRemovesTheLabel) {
  const std::string& a = practice_->organization_id;
  std::string id = Register("physician", PatientJson("Etiquette", "Lea", "1990-02-02", a));
  // The stored resource with an R label added to its meta.
  std::string labelled = practice_->as("physician").Get("/fhir/Patient/" + id).body;
  size_t meta = labelled.find(R"("meta":{)");
  ASSERT_NE(meta, std::string::npos) << labelled;
  labelled.insert(meta + 8, R"("security":[{"system":"http://terminology.hl7.org/CodeSystem/)"
                            R"(v3-Confidentiality","code":"R"}],)");
  // The organization's secretary may edit the file, not the label.
  EXPECT_EQ(practice_->as("secretary").Request("PUT", "/fhir/Patient/" + id, labelled).status, 403);
  // The physician in the care team may.
  auto set = practice_->as("physician").Request("PUT", "/fhir/Patient/" + id, labelled);
  ASSERT_EQ(set.status, 200) << set.body;
  // Now restricted: a colleague outside the team no longer finds it in the directory.
  Page page = Search("physician-2", "/fhir/Patient?family=Etiquette&birthdate=1990-02-02");
  EXPECT_FALSE(Contains(page.ids, id));
  // The secretary still works on it (the organization is the relationship) but cannot
  // lift the label either; the physician can.
  std::string current = practice_->as("secretary").Get("/fhir/Patient/" + id).body;
  auto doc = Json(current);
  ASSERT_TRUE(doc.IsObject());
  std::string unlabelled = current;
  size_t at = unlabelled.find(R"("code":"R")");
  ASSERT_NE(at, std::string::npos) << current;
  unlabelled.replace(at, 10, R"("code":"N")");
  EXPECT_EQ(practice_->as("secretary").Request("PUT", "/fhir/Patient/" + id, unlabelled).status,
            403);
  EXPECT_EQ(practice_->as("physician").Request("PUT", "/fhir/Patient/" + id, unlabelled).status,
            200);
  page = Search("physician-2", "/fhir/Patient?family=Etiquette&birthdate=1990-02-02");
  EXPECT_TRUE(Contains(page.ids, id)) << page.body.substr(0, 300);
}

TEST_F(CareAccessTest, ACareTeamThatEndsOrIsDeletedEndsTheCare) {
  const std::string& a = practice_->organization_id;
  std::string id = Register("physician", PatientJson("Relais", "Mona", "1960-06-06", a));
  auto obs = practice_->as("physician")
                 .Request("POST", "/fhir/Observation", ObservationJson(id, "2026-11-02", "70"));
  ASSERT_EQ(obs.status, 201) << obs.body;
  std::string observation = "/fhir/Observation/" + IdFromLocation(obs);
  // The physician adds the nurse through a CareTeam that ended yesterday: no access.
  std::string nurse = practice_->practitioners.at("nurse");
  std::string ended = CareTeamJson(id, {nurse});
  ended.insert(ended.find(R"("period":{)") + 10, R"("end":"2020-01-01",)");
  auto past = practice_->as("physician").Request("POST", "/fhir/CareTeam", ended);
  ASSERT_EQ(past.status, 201) << past.body;
  EXPECT_EQ(practice_->as("nurse").Get(observation).status, 403);
  // An active team lets her in; deleting it shuts her out again.
  auto team =
      practice_->as("physician").Request("POST", "/fhir/CareTeam", CareTeamJson(id, {nurse}));
  ASSERT_EQ(team.status, 201) << team.body;
  EXPECT_EQ(practice_->as("nurse").Get(observation).status, 200);
  practice_->StepUp("physician");  // deleting is a sensitive operation
  EXPECT_EQ(
      practice_->as("physician").Request("DELETE", "/fhir/CareTeam/" + IdFromLocation(team)).status,
      204);
  EXPECT_EQ(practice_->as("nurse").Get(observation).status, 403);
  EXPECT_EQ(practice_->as("physician").Get(observation).status, 200);  // still in his team
}

TEST_F(CareAccessTest, ABurstOfRefusalsAlertsTheSecurityOfficer) {
  std::string elsewhere = Register(
      "physician-b", PatientJson("Sonde", "Paul", "1970-07-07", practice_->other_organization_id));
  // A fresh account, so that no earlier refusal counts.
  practice_->AddAccount("nurse.burst", "nurse", practice_->organization_id);
  auto me = Json(practice_->as("nurse.burst").Get("/auth/me").body);
  ASSERT_TRUE(me.IsObject() && me.HasMember("id"));
  std::string account = me["id"].GetString();
  // A nurse walking through a patient she does not care for: 20 refusals.
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(practice_->as("nurse.burst").Get("/fhir/Patient/" + elsewhere).status, 403);
  auto alerts = Json(practice_->as("security_officer")
                         .Get("/security/alerts?account=" + account + "&severity=medium")
                         .body);
  ASSERT_TRUE(alerts.IsObject() && alerts.HasMember("alerts"));
  bool found = false;
  for (const auto& alert : alerts["alerts"].GetArray())
    found = found || std::string(alert["kind"].GetString()) == "repeated-denials";
  EXPECT_TRUE(found);
  // And her next request must come with a fresh code from her phone.
  auto next = practice_->as("nurse.burst").Get("/fhir/Organization?_count=1");
  EXPECT_EQ(next.status, 401) << next.body;
  ASSERT_EQ(practice_->StepUp("nurse.burst").status, 200);
  EXPECT_EQ(practice_->as("nurse.burst").Get("/fhir/Organization?_count=1").status, 200);
}

}  // namespace
}  // namespace medvault::testing
