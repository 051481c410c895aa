// Patients' identity: valid NIR consistent with sex and birth, French names with accents
// and compound names, a plausible age pyramid, administrative comments and a few
// confidential records.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <string>
#include <string_view>

#include "recording_sink.h"
#include "sim/civil_time.h"
#include "sim/nir.h"
#include "sim/population.h"
#include "sim/vocabulary.h"

namespace medvault::sim {
namespace {

using testing::kTestNowMs;
using testing::RecordingSink;

struct PatientFacts {
  std::string gender;
  std::string birth_date;
  std::string nir;
  std::string family;
  std::vector<std::string> given;
  std::string comment;
  std::string confidentiality;
};

class Patients : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PopulationOptions options;
    options.seed = 42;
    options.patients = 5000;
    options.now_ms = kTestNowMs;
    options.history_scale = 0;
    RecordingSink sink;
    GeneratePopulation(options, sink);
    patients_ = new std::vector<PatientFacts>;
    for (const auto& resource : sink.resources) {
      if (resource.type != fhir::ResourceType::kPatient) continue;
      rapidjson::Document json;
      json.Parse(resource.json.c_str());
      PatientFacts facts;
      facts.gender = json["gender"].GetString();
      facts.birth_date = json["birthDate"].GetString();
      for (const auto& identifier : json["identifier"].GetArray()) {
        if (std::string_view(identifier["system"].GetString()) == kNirSystem) {
          facts.nir = identifier["value"].GetString();
        }
      }
      const auto& name = json["name"][0];
      facts.family = name["family"].GetString();
      for (const auto& given : name["given"].GetArray()) facts.given.push_back(given.GetString());
      if (json.HasMember("extension")) {
        for (const auto& extension : json["extension"].GetArray()) {
          if (std::string_view(extension["url"].GetString()) == kAdministrativeCommentExtension) {
            facts.comment = extension["valueString"].GetString();
          }
        }
      }
      if (json.HasMember("meta")) {
        facts.confidentiality = json["meta"]["security"][0]["code"].GetString();
      }
      patients_->push_back(std::move(facts));
    }
  }
  static void TearDownTestSuite() { delete patients_; }

  static std::vector<PatientFacts>* patients_;
};

std::vector<PatientFacts>* Patients::patients_ = nullptr;

bool IsBirthPlace(std::string_view code) {
  for (const Town& town : Towns()) {
    if (town.insee_code == code) return true;
  }
  for (std::string_view place : ForeignBirthPlaces()) {
    if (place == code) return true;
  }
  return false;
}

TEST(Nir, KeyIsNinetySevenMinusTheRemainder) {
  EXPECT_EQ(NirKey(2550814168025), 38);  // 2 55 08 14 168 025 38
  EXPECT_EQ(NirKey(2770763220829), 10);
}

TEST(Nir, FormatPutsTheFieldsInOrder) {
  NirParts parts{
      .sex = 2, .birth_year = 1955, .birth_month = 8, .birth_place = "14168", .order = 25};
  EXPECT_EQ(FormatNir(parts), "255081416802538");
}

TEST_F(Patients, EveryPatientHasAValidNirConsistentWithSexAndBirth) {
  ASSERT_EQ(patients_->size(), 5000u);
  std::set<std::string> seen;
  for (const PatientFacts& patient : *patients_) {
    EXPECT_TRUE(seen.insert(patient.nir).second) << "NIR given twice";
    SCOPED_TRACE(patient.nir);
    ASSERT_EQ(patient.nir.size(), 15u);
    ASSERT_EQ(patient.nir.find_first_not_of("0123456789"), std::string::npos);
    const uint64_t number = std::stoull(patient.nir.substr(0, 13));
    EXPECT_EQ(std::stoi(patient.nir.substr(13)), 97 - static_cast<int>(number % 97));
    EXPECT_EQ(patient.nir[0], patient.gender == "male" ? '1' : '2');
    EXPECT_EQ(patient.nir.substr(1, 2), patient.birth_date.substr(2, 2));  // year
    EXPECT_EQ(patient.nir.substr(3, 2), patient.birth_date.substr(5, 2));  // month
    EXPECT_TRUE(IsBirthPlace(patient.nir.substr(5, 5)));
  }
}

TEST_F(Patients, NamesIncludeAccentsAndCompoundNames) {
  int accented = 0, compound_family = 0, compound_given = 0;
  std::set<std::string> families;
  for (const PatientFacts& patient : *patients_) {
    auto non_ascii = [](const std::string& text) {
      for (char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) return true;
      }
      return false;
    };
    accented += non_ascii(patient.family) || non_ascii(patient.given[0]);
    compound_family += patient.family.find_first_of("- ") != std::string::npos;
    compound_given += patient.given[0].find('-') != std::string::npos;
    families.insert(patient.family);
  }
  EXPECT_GT(accented, 500);
  EXPECT_GT(compound_family, 50);
  EXPECT_GT(compound_given, 50);
  EXPECT_GT(families.size(), 250u);
}

TEST_F(Patients, AgesFollowAPlausiblePyramid) {
  const int64_t today = kTestNowMs / 1000 / kSecondsPerDay;
  int over_65 = 0, children = 0, oldest = 0;
  for (const PatientFacts& patient : *patients_) {
    const CivilDate birth{std::stoi(patient.birth_date.substr(0, 4)),
                          std::stoi(patient.birth_date.substr(5, 2)),
                          std::stoi(patient.birth_date.substr(8, 2))};
    const int age = YearsBetween(DaysFromCivil(birth), today);
    over_65 += age >= 65;
    children += age < 15;
    oldest = std::max(oldest, age);
  }
  const double total = static_cast<double>(patients_->size());
  EXPECT_GE(over_65 / total, 0.15);
  EXPECT_LE(over_65 / total, 0.30);
  EXPECT_GE(children / total, 0.10);
  EXPECT_LE(oldest, 105);
}

TEST_F(Patients, ManyHaveAnAdministrativeComment) {
  int with_comment = 0;
  for (const PatientFacts& patient : *patients_) with_comment += !patient.comment.empty();
  EXPECT_GT(with_comment, 2000);
  EXPECT_LT(with_comment, 4000);
}

TEST_F(Patients, AFewRecordsAreConfidential) {
  int restricted = 0;
  for (const PatientFacts& patient : *patients_) {
    if (patient.confidentiality.empty()) continue;
    EXPECT_TRUE(patient.confidentiality == "R" || patient.confidentiality == "V");
    EXPECT_FALSE(patient.comment.empty()) << "the reason is in the administrative comment";
    ++restricted;
  }
  EXPECT_GE(restricted, 3);   // 0.1 % of 5,000 is 5
  EXPECT_LE(restricted, 30);  // 0.5 % is 25
}

}  // namespace
}  // namespace medvault::sim
