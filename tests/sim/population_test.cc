// The population as a whole: deterministic, valid for medvault's validator, references
// in dependency order, and the volumes the drill expects.
#include "sim/population.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <set>
#include <string>

#include "common/random.h"
#include "fhir/resource.h"
#include "recording_sink.h"

namespace medvault::sim {
namespace {

using fhir::ResourceType;
using testing::CountingSink;
using testing::kTestNowMs;
using testing::RecordingSink;

PopulationOptions Options(uint64_t seed, int64_t patients = 300, double history_scale = 0.3) {
  PopulationOptions options;
  options.seed = seed;
  options.patients = patients;
  options.now_ms = kTestNowMs;
  options.history_scale = history_scale;
  return options;
}

// FNV-1a over everything the sink saw, in order.
class HashingSink : public ResourceSink {
 public:
  void Emit(ResourceType type, const std::string& id, std::string json) override {
    Add(fhir::NameOf(type));
    Add(id);
    Add(json);
  }
  void Account(const SimAccount& a) override {
    for (const std::string* field :
         {&a.username, &a.role, &a.organization_id, &a.practitioner_id, &a.display_name}) {
      Add(*field);
    }
  }
  uint64_t hash = 0xcbf29ce484222325ULL;

 private:
  void Add(std::string_view text) {
    for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    hash = (hash ^ 0xff) * 0x100000001b3ULL;  // separator
  }
};

uint64_t StreamHash(const PopulationOptions& options) {
  HashingSink sink;
  GeneratePopulation(options, sink);
  return sink.hash;
}

TEST(Population, SameOptionsGiveTheSameStream) {
  EXPECT_EQ(StreamHash(Options(7)), StreamHash(Options(7)));
}

TEST(Population, AnotherSeedGivesAnotherStream) {
  EXPECT_NE(StreamHash(Options(7)), StreamHash(Options(8)));
}

TEST(Population, EveryResourceValidatesAndReferencesOnlyWhatCameBefore) {
  RecordingSink sink;
  GeneratePopulation(Options(3), sink);
  ASSERT_FALSE(sink.resources.empty());
  std::set<std::string> emitted;
  std::set<ResourceType> types;
  for (const auto& resource : sink.resources) {
    SCOPED_TRACE(resource.json);
    auto validated = fhir::ValidateResource(resource.json, resource.type);
    ASSERT_TRUE(validated.has_value())
        << validated.error().message << " at " << validated.error().expression;
    EXPECT_EQ(validated->id, resource.id);
    EXPECT_TRUE(IsUuid(resource.id));
    for (const std::string& reference : validated->facts.references) {
      EXPECT_TRUE(emitted.contains(reference)) << reference << " is not emitted before";
    }
    if (resource.type != ResourceType::kPatient && fhir::IsPatientData(resource.type)) {
      EXPECT_TRUE(emitted.contains("Patient/" + validated->facts.patient_reference));
    }
    const std::string self = std::string(fhir::NameOf(resource.type)) + "/" + resource.id;
    EXPECT_TRUE(emitted.insert(self).second) << "id used twice: " << self;
    types.insert(resource.type);
  }
  EXPECT_EQ(types.size(), fhir::kAllResourceTypes.size()) << "every resource type appears";
}

TEST(Population, ReportsProgressUpToTheTotal) {
  RecordingSink sink;
  GeneratePopulation(Options(1, 2500, 0), sink);
  EXPECT_EQ(sink.progress_calls, 3);  // 1000, 2000, then 2500 at the end
  EXPECT_EQ(sink.last_progress, 2500);
  EXPECT_EQ(sink.progress_total, 2500);
}

TEST(Population, HistoryScaleZeroGivesPatientsAndCareTeamsOnly) {
  CountingSink sink;
  GeneratePopulation(Options(1, 300, 0), sink);
  EXPECT_EQ(sink.by_type[static_cast<size_t>(ResourceType::kPatient)], 300);
  EXPECT_EQ(sink.by_type[static_cast<size_t>(ResourceType::kCareTeam)], 300);
  EXPECT_EQ(sink.by_type[static_cast<size_t>(ResourceType::kEncounter)], 0);
}

// The drill's --practices: the patients shared among exactly that many practices, each
// with its Organization and one to six physicians.
TEST(Population, PracticesSplitsThePatientsOverThatManyPractices) {
  RecordingSink sink;
  PopulationOptions options = Options(2, 1200, 0);
  options.practices = 4;
  GeneratePopulation(options, sink);
  std::map<std::string, int> physicians;
  for (const SimAccount& a : sink.accounts)
    if (a.role == "physician") ++physicians[a.organization_id];
  int organizations = 0;
  for (const auto& resource : sink.resources)
    organizations += resource.type == ResourceType::kOrganization ? 1 : 0;
  EXPECT_EQ(organizations, 4);
  ASSERT_EQ(physicians.size(), 4u);
  for (const auto& [organization, count] : physicians) {
    EXPECT_GE(count, 1);
    EXPECT_LE(count, 6);
  }
  EXPECT_EQ(sink.progress_total, 1200);
}

// One full practice: its current patients and its long tail of past ones.
TEST(Population, AFullHistoryHoldsTwentyToFortyResourcesPerPatient) {
  CountingSink sink;
  GeneratePopulation(Options(5, 10'000, 1.0), sink);
  const double per_patient = static_cast<double>(sink.resources) / 10'000;
  EXPECT_GE(per_patient, 20);
  EXPECT_LE(per_patient, 40);
  for (ResourceType type : {ResourceType::kEncounter, ResourceType::kObservation,
                            ResourceType::kCondition, ResourceType::kAllergyIntolerance,
                            ResourceType::kMedicationRequest, ResourceType::kDocumentReference}) {
    EXPECT_GT(sink.by_type[static_cast<size_t>(type)], 300) << fhir::NameOf(type);
  }
}

TEST(Population, CurrentPatientsHaveMoreRecentHistoryThanPastOnes) {
  RecordingSink sink;
  GeneratePopulation(Options(11, 1000, 1.0), sink);
  std::map<std::string, bool> active;                 // "Patient/id" -> current patient
  std::map<bool, std::pair<int64_t, int64_t>> years;  // active -> (sum of years, count)
  for (const auto& resource : sink.resources) {
    if (resource.type != ResourceType::kCareTeam && resource.type != ResourceType::kEncounter) {
      continue;
    }
    rapidjson::Document json;
    json.Parse(resource.json.c_str());
    const std::string subject = json["subject"]["reference"].GetString();
    if (resource.type == ResourceType::kCareTeam) {
      active[subject] = std::string(json["status"].GetString()) == "active";
    } else {
      auto& [sum, count] = years[active.at(subject)];
      sum += std::stoi(std::string(json["period"]["start"].GetString()).substr(0, 4));
      ++count;
    }
  }
  ASSERT_GT(years[true].second, 0);
  ASSERT_GT(years[false].second, 0);
  const double current = static_cast<double>(years[true].first) / years[true].second;
  const double past = static_cast<double>(years[false].first) / years[false].second;
  EXPECT_GT(current, past + 2);
}

}  // namespace
}  // namespace medvault::sim
