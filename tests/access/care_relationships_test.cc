// Break-the-glass grants expire on the clock: the Policy, reading a real store through
// StoredCareRelationships, allows while the grant runs and denies the millisecond after.
#include "access/care_relationships.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "access/policy.h"
#include "identity/principal_test_peer.h"

namespace medvault::access {
namespace {

using identity::PrincipalTestPeer;
using identity::Role;

std::string TempDir() {
  char tmpl[] = "/tmp/medvault-grants-XXXXXX";
  return ::mkdtemp(tmpl);
}

std::unique_ptr<store::Store> OpenStore(const std::string& dir) {
  auto opened = store::OpenSqliteStore(dir + "/medvault.db", true);
  EXPECT_TRUE(opened.has_value()) << opened.error().message;
  return std::move(opened.value());
}

class StoredCareRelationshipsTest : public ::testing::Test {
 protected:
  ~StoredCareRelationshipsTest() override {
    store_->Close();
    std::filesystem::remove_all(dir_);
  }
  bool MayRead(const identity::Principal& who, const std::string& patient) {
    AccessTarget target{fhir::ResourceType::kObservation, patient, "org-b", ""};
    return policy_.Decide(who, Action::kRead, target).allowed();
  }

  std::string dir_ = TempDir();
  std::unique_ptr<store::Store> store_ = OpenStore(dir_);
  ManualClock clock_{FromUnixMillis(1'000'000)};
  StoredCareRelationships care_{*store_, clock_};
  Policy policy_{care_};
};

TEST_F(StoredCareRelationshipsTest, AGrantLastsItsHourAndNotAMillisecondMore) {
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician, "org-a", "acc-doctor");
  auto colleague = PrincipalTestPeer::Make(Role::kPhysician, "org-a", "acc-colleague");
  EXPECT_FALSE(MayRead(doctor, "p1"));
  const int64_t hour = 3'600'000;
  store::GrantRow grant{"g1", "acc-doctor", "p1", "ETREAT", {1}, 1'000'000, 1'000'000 + hour};
  ASSERT_TRUE(store_->Write([&](store::Transaction& txn) { return txn.InsertGrant(grant); }));
  EXPECT_TRUE(MayRead(doctor, "p1"));
  EXPECT_FALSE(MayRead(colleague, "p1"));  // a grant is personal
  EXPECT_FALSE(MayRead(doctor, "p2"));     // and for one patient
  clock_.Advance(std::chrono::milliseconds(hour - 1));
  EXPECT_TRUE(MayRead(doctor, "p1"));
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_FALSE(MayRead(doctor, "p1"));
}

TEST_F(StoredCareRelationshipsTest, ACareTeamMembershipEndsWithItsPeriod) {
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician, "org-a", "acc-doctor", "prac-1");
  std::vector<store::CareLinkRow> links = {{"p1", "prac-1", "team", 0, 2'000'000}};
  ASSERT_TRUE(
      store_->Write([&](store::Transaction& txn) { return txn.ReplaceCareLinks("team", links); }));
  EXPECT_TRUE(MayRead(doctor, "p1"));
  clock_.Set(FromUnixMillis(2'000'000));
  EXPECT_FALSE(MayRead(doctor, "p1"));
}

}  // namespace
}  // namespace medvault::access
