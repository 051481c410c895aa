// The practices: their staff and accounts, and the size of each physician's list.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <set>
#include <string>

#include "recording_sink.h"
#include "sim/population.h"
#include "sim/resource_ids.h"

namespace medvault::sim {
namespace {

using fhir::ResourceType;
using testing::kTestNowMs;

// Keeps the directory resources and accounts, and counts the CareTeams per member.
class RosterSink : public ResourceSink {
 public:
  void Emit(ResourceType type, const std::string& id, std::string json) override {
    if (type == ResourceType::kOrganization) organizations.insert(id);
    if (type == ResourceType::kPractitioner) practitioners.insert(id);
    if (type == ResourceType::kPatient) ++patients;
    if (type != ResourceType::kCareTeam) return;
    rapidjson::Document team;
    team.Parse(json.c_str());
    const bool active = std::string_view(team["status"].GetString()) == "active";
    const std::string physician = team["participant"][0]["member"]["reference"].GetString();
    const std::string organization = team["managingOrganization"][0]["reference"].GetString();
    (active ? active_per_physician : past_per_physician)[physician]++;
    patients_per_organization[organization]++;
  }
  void Account(const SimAccount& account) override { accounts.push_back(account); }

  std::set<std::string> organizations;
  std::set<std::string> practitioners;
  std::vector<SimAccount> accounts;
  std::map<std::string, int> active_per_physician;
  std::map<std::string, int> past_per_physician;
  std::map<std::string, int> patients_per_organization;
  int patients = 0;
};

class Practices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    PopulationOptions options;
    options.seed = 9;
    options.patients = 20'000;
    options.now_ms = kTestNowMs;
    options.history_scale = 0;
    sink_ = new RosterSink;
    GeneratePopulation(options, *sink_);
  }
  static void TearDownTestSuite() { delete sink_; }
  static RosterSink* sink_;
};

RosterSink* Practices::sink_ = nullptr;

TEST_F(Practices, HoldAboutTenThousandPatientsEach) {
  EXPECT_EQ(sink_->patients, 20'000);
  EXPECT_EQ(sink_->organizations.size(), 2u);
  for (const auto& [organization, patients] : sink_->patients_per_organization) {
    EXPECT_EQ(patients, 10'000) << organization;
  }
}

TEST_F(Practices, HaveOneToSixPhysiciansOneOrTwoSecretariesAndAnAccountPerPerson) {
  std::map<std::string, std::map<std::string, int>> roles;  // organization -> role -> count
  std::set<std::string> usernames;
  std::set<std::string> practitioners_with_accounts;
  for (const SimAccount& account : sink_->accounts) {
    EXPECT_TRUE(sink_->organizations.contains(account.organization_id));
    roles[account.organization_id][account.role]++;
    EXPECT_TRUE(usernames.insert(account.username).second) << account.username;
    EXPECT_EQ(account.username.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-"),
              std::string::npos)
        << account.username;
    EXPECT_FALSE(account.display_name.empty());
    if (account.role == "secretary") {
      EXPECT_EQ(account.practitioner_id, "");
    } else {
      EXPECT_TRUE(account.role == "physician" || account.role == "nurse") << account.role;
      EXPECT_TRUE(sink_->practitioners.contains(account.practitioner_id));
      EXPECT_TRUE(practitioners_with_accounts.insert(account.practitioner_id).second);
    }
  }
  EXPECT_EQ(practitioners_with_accounts, sink_->practitioners) << "one account per person";
  for (const auto& [organization, counts] : roles) {
    const auto count = [&counts](const std::string& role) {
      auto found = counts.find(role);
      return found == counts.end() ? 0 : found->second;
    };
    EXPECT_GE(count("physician"), 1);
    EXPECT_LE(count("physician"), 6);
    EXPECT_GE(count("secretary"), 1);
    EXPECT_LE(count("secretary"), 2);
    EXPECT_LE(count("nurse"), 2);
  }
}

// Even a one-practice demo shows every role the population has.
TEST(Practice, TheFirstPracticeAlwaysHasANurse) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    PopulationOptions options;
    options.seed = seed;
    options.patients = 50;
    options.now_ms = kTestNowMs;
    options.history_scale = 0;
    RosterSink sink;
    GeneratePopulation(options, sink);
    int nurses = 0;
    for (const SimAccount& account : sink.accounts) nurses += account.role == "nurse";
    EXPECT_GE(nurses, 1) << "seed " << seed;
  }
}

TEST_F(Practices, EachPhysicianHasOneThousandToSixteenHundredCurrentPatients) {
  int physicians = 0;
  for (const SimAccount& account : sink_->accounts) {
    if (account.role != "physician") continue;
    ++physicians;
    const int active = sink_->active_per_physician["Practitioner/" + account.practitioner_id];
    EXPECT_GE(active, 1000) << account.username;
    EXPECT_LE(active, 1600) << account.username;
  }
  EXPECT_EQ(sink_->active_per_physician.size(), static_cast<size_t>(physicians));
  EXPECT_FALSE(sink_->past_per_physician.empty()) << "a long tail of past patients";
}

TEST(ResourceIds, AreUuidShapedAndDistinct) {
  ResourceIds ids(1);
  std::set<std::string> seen;
  for (int i = 0; i < 100'000; ++i) {
    const std::string id = ids.Next();
    ASSERT_EQ(id.size(), 36u);
    ASSERT_EQ(id.find_first_not_of("0123456789abcdef-"), std::string::npos);
    ASSERT_TRUE(seen.insert(id).second);
  }
  EXPECT_NE(ResourceIds(1).Next(), ResourceIds(2).Next());
}

}  // namespace
}  // namespace medvault::sim
