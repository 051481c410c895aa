// The foundation's access rules, through the real API: physicians and nurses reach
// clinical data, secretaries only their organization's administrative data, security
// officers and administrators no patient data at all. Every cell is asserted.
#include <gtest/gtest.h>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

class PolicyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    practice_ = StartPractice().release();
    HttpsClient& doctor = practice_->as("physician");
    auto p =
        doctor.Request("POST", "/fhir/Patient",
                       PatientJson("Marchand", "Inès", "1988-08-08", practice_->organization_id));
    ASSERT_EQ(p.status, 201) << p.body;
    patient_ = IdFromLocation(p);
    auto other = doctor.Request(
        "POST", "/fhir/Patient",
        PatientJson("Colin", "Marc", "1950-01-01", practice_->other_organization_id));
    ASSERT_EQ(other.status, 201) << other.body;
    other_patient_ = IdFromLocation(other);
    auto obs = doctor.Request("POST", "/fhir/Observation",
                              ObservationJson(patient_, "2026-11-01T10:00:00Z", "60"));
    ASSERT_EQ(obs.status, 201) << obs.body;
    observation_ = IdFromLocation(obs);
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
  static std::string patient_, other_patient_, observation_;
};
Practice* PolicyTest::practice_ = nullptr;
std::string PolicyTest::patient_, PolicyTest::other_patient_, PolicyTest::observation_;

struct Cell {
  const char* role;
  const char* what;  // read-patient, read-other-patient, read-observation, search-patient,
                     // create-observation, create-condition, create-patient
  int expected;
};

TEST_F(PolicyTest, RoleMatrix) {
  const Cell cells[] = {
      {"physician", "read-patient", 200},
      {"physician", "read-other-patient", 200},
      {"physician", "read-observation", 200},
      {"physician", "search-patient", 200},
      {"physician", "create-observation", 201},
      {"physician", "create-condition", 201},
      {"physician", "create-patient", 201},
      {"nurse", "read-patient", 200},
      {"nurse", "read-other-patient", 200},
      {"nurse", "read-observation", 200},
      {"nurse", "search-patient", 200},
      {"nurse", "create-observation", 201},
      {"nurse", "create-condition", 403},
      {"nurse", "create-patient", 403},
      {"secretary", "read-patient", 200},
      {"secretary", "read-other-patient", 403},
      {"secretary", "read-observation", 403},
      {"secretary", "search-patient", 200},
      {"secretary", "create-observation", 403},
      {"secretary", "create-condition", 403},
      {"secretary", "create-patient", 201},
      {"security_officer", "read-patient", 403},
      {"security_officer", "read-other-patient", 403},
      {"security_officer", "read-observation", 403},
      {"security_officer", "search-patient", 403},
      {"security_officer", "create-observation", 403},
      {"security_officer", "create-condition", 403},
      {"security_officer", "create-patient", 403},
      {"admin", "read-patient", 403},
      {"admin", "read-other-patient", 403},
      {"admin", "read-observation", 403},
      {"admin", "search-patient", 403},
      {"admin", "create-observation", 403},
      {"admin", "create-condition", 403},
      {"admin", "create-patient", 403},
  };
  const std::string condition =
      R"({"resourceType":"Condition","subject":{"reference":"Patient/)" + patient_ +
      R"("},"code":{"coding":[{"system":"http://hl7.org/fhir/sid/icd-10","code":"I10"}]}})";
  for (const Cell& cell : cells) {
    HttpsClient& c = practice_->as(cell.role);
    std::string what = cell.what;
    HttpResponse r;
    if (what == "read-patient")
      r = c.Get("/fhir/Patient/" + patient_);
    else if (what == "read-other-patient")
      r = c.Get("/fhir/Patient/" + other_patient_);
    else if (what == "read-observation")
      r = c.Get("/fhir/Observation/" + observation_);
    else if (what == "search-patient")
      r = c.Get("/fhir/Patient?family=marchand");
    else if (what == "create-observation")
      r = c.Request("POST", "/fhir/Observation", ObservationJson(patient_, "2026-11-03", "61"));
    else if (what == "create-condition")
      r = c.Request("POST", "/fhir/Condition", condition);
    else if (what == "create-patient")
      r = c.Request("POST", "/fhir/Patient",
                    PatientJson("Nouveau", "Patient", "2000-01-01", practice_->organization_id));
    EXPECT_EQ(r.status, cell.expected) << cell.role << " " << cell.what << " → " << r.body;
    if (r.status == 403) {
      auto doc = Json(r.body);
      EXPECT_EQ(std::string(doc["issue"][0]["code"].GetString()), "forbidden");
      // A denial names no resource content.
      EXPECT_EQ(r.body.find("Marchand"), std::string::npos);
      EXPECT_EQ(r.body.find("Colin"), std::string::npos);
    }
  }
}

TEST_F(PolicyTest, SearchResultsOnlyCountWhatTheCallerMaySee) {
  // Both patients match "c" names? Use the other organization's patient: a secretary of
  // organization A must not see, nor count, organization B's patient.
  auto a = practice_->as("secretary").Get("/fhir/Patient?family=colin");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Json(a.body)["total"].GetInt(), 0);
  EXPECT_EQ(a.body.find("Colin"), std::string::npos);
  auto b = practice_->as("secretary-b").Get("/fhir/Patient?family=colin");
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(Json(b.body)["total"].GetInt(), 1);
}

TEST_F(PolicyTest, SecretaryCannotRegisterAPatientInAnotherOrganization) {
  auto r =
      practice_->as("secretary")
          .Request("POST", "/fhir/Patient",
                   PatientJson("Ailleurs", "Jean", "1999-09-09", practice_->other_organization_id));
  EXPECT_EQ(r.status, 403) << r.body;
}

}  // namespace
}  // namespace medvault::testing
