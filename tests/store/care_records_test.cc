// Care links, break-the-glass grants and alerts in SQLite: what the Policy reads is what
// the writes put there, with time windows honoured to the millisecond.
#include <gtest/gtest.h>

#include <filesystem>

#include "store/engines.h"
#include "store/store.h"

namespace medvault::store {
namespace {

class CareRecordsTest : public ::testing::TestWithParam<StoreEngine> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-care-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto opened = OpenTestStore(GetParam(), dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    // Two live patients (PatientsInCare lists only current, undeleted Patients).
    for (const char* id : {"p1", "p2"})
      ASSERT_TRUE(store_->Write([&](Transaction& txn) {
        return txn.PutResourceVersion(ResourceRow{"Patient", id, 1, id, 1, false, {1}});
      }));
  }
  void TearDown() override {
    store_->Close();
    std::filesystem::remove_all(dir_);
  }
  CareStanding StandingAt(std::string_view practitioner, std::string_view account,
                          std::string_view patient, int64_t now) {
    auto s = store_->reader().Standing(practitioner, account, patient, now);
    EXPECT_TRUE(s.has_value());
    return s.value_or(CareStanding{});
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(CareRecordsTest, CareLinksHoldWithinTheirPeriodAndAreReplacedByTheirTeam) {
  std::vector<CareLinkRow> links = {{"p1", "dr-a", "team-1", 1000, 2000},
                                    {"p1", "nurse-b", "team-1", INT64_MIN, INT64_MAX}};
  ASSERT_TRUE(
      store_->Write([&](Transaction& txn) { return txn.ReplaceCareLinks("team-1", links); }));
  EXPECT_FALSE(StandingAt("dr-a", "acc", "p1", 999).care_team);
  EXPECT_TRUE(StandingAt("dr-a", "acc", "p1", 1000).care_team);
  EXPECT_TRUE(StandingAt("dr-a", "acc", "p1", 1999).care_team);
  EXPECT_FALSE(StandingAt("dr-a", "acc", "p1", 2000).care_team);  // end is exclusive
  EXPECT_FALSE(StandingAt("dr-a", "acc", "p2", 1500).care_team);
  EXPECT_TRUE(StandingAt("nurse-b", "acc", "p1", 5).care_team);
  EXPECT_FALSE(StandingAt("", "acc", "p1", 1500).care_team);  // no practitioner, no team

  auto in_care = store_->reader().PatientsInCare("nurse-b", "acc", 5, 10);
  ASSERT_TRUE(in_care.has_value());
  EXPECT_EQ(*in_care, std::vector<std::string>{"p1"});

  // The team is rewritten without the nurse, then deleted.
  std::vector<CareLinkRow> fewer = {{"p1", "dr-a", "team-1", 1000, 2000}};
  ASSERT_TRUE(
      store_->Write([&](Transaction& txn) { return txn.ReplaceCareLinks("team-1", fewer); }));
  EXPECT_FALSE(StandingAt("nurse-b", "acc", "p1", 5).care_team);
  ASSERT_TRUE(store_->Write([&](Transaction& txn) { return txn.ReplaceCareLinks("team-1", {}); }));
  EXPECT_FALSE(StandingAt("dr-a", "acc", "p1", 1500).care_team);

  // A link that names another team is a bug upstream, refused whole.
  std::vector<CareLinkRow> foreign = {{"p1", "dr-a", "team-2", 0, 10}};
  EXPECT_FALSE(
      store_->Write([&](Transaction& txn) { return txn.ReplaceCareLinks("team-1", foreign); }));
}

TEST_P(CareRecordsTest, GrantsHoldUntilTheyExpireAndAreCounted) {
  GrantRow g{"grant-1", "acc", "p2", "ETREAT", {9, 9}, 1000, 5000};
  ASSERT_TRUE(store_->Write([&](Transaction& txn) { return txn.InsertGrant(g); }));
  EXPECT_FALSE(StandingAt("dr-a", "acc", "p2", 999).break_glass);
  EXPECT_TRUE(StandingAt("dr-a", "acc", "p2", 4999).break_glass);
  EXPECT_FALSE(StandingAt("dr-a", "acc", "p2", 5000).break_glass);
  EXPECT_FALSE(StandingAt("dr-a", "other", "p2", 3000).break_glass);

  auto scope = store_->reader().PatientsInCare("dr-a", "acc", 3000, 10);
  ASSERT_TRUE(scope.has_value());
  EXPECT_EQ(*scope, std::vector<std::string>{"p2"});
  scope = store_->reader().PatientsInCare("dr-a", "acc", 6000, 10);
  ASSERT_TRUE(scope.has_value());
  EXPECT_TRUE(scope->empty());

  auto grants = store_->reader().GrantsSince("acc", 0);
  ASSERT_TRUE(grants.has_value());
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ((*grants)[0].purpose, "ETREAT");
  EXPECT_EQ((*grants)[0].reason, (crypto::Bytes{9, 9}));
  int64_t counted = -1;
  ASSERT_TRUE(store_->Write([&](Transaction& txn) -> Status {
    auto n = txn.CountGrantsSince("acc", 1000);
    if (!n) return std::unexpected(n.error());
    counted = *n;
    return Ok();
  }));
  EXPECT_EQ(counted, 1);
}

TEST_P(CareRecordsTest, AlertsAreListedNewestFirstAndFiltered) {
  for (int i = 0; i < 3; ++i) {
    AlertRow a;
    a.created_at_ms = 100 + i;
    a.account_id = i == 2 ? "acc-2" : "acc-1";
    a.severity = i == 1 ? "high" : "medium";
    a.kind = "break-glass";
    a.patient_id = "p1";
    a.detail = {1};
    ASSERT_TRUE(store_->Write([&](Transaction& txn) -> Status {
      auto id = txn.InsertAlert(a);
      if (!id) return std::unexpected(id.error());
      return Ok();
    }));
  }
  auto all = store_->reader().Alerts({});
  ASSERT_TRUE(all.has_value());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].created_at_ms, 102);
  EXPECT_EQ((*all)[0].state, "open");
  auto high = store_->reader().Alerts({"", "high", "", 100});
  ASSERT_TRUE(high.has_value());
  ASSERT_EQ(high->size(), 1u);
  EXPECT_EQ((*high)[0].created_at_ms, 101);
  auto mine = store_->reader().Alerts({"acc-1", "", "open", 100});
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->size(), 2u);
  auto one = store_->reader().Alerts({"", "", "", 1});
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->size(), 1u);
}

TEST_P(CareRecordsTest, AlertsAfterAnIdComeOldestFirstUpToTheLimit) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    AlertRow a;
    a.created_at_ms = 200 + i;
    a.account_id = "acc-1";
    a.severity = "low";
    a.kind = "care-started-outside-organization";
    a.detail = {2};
    ASSERT_TRUE(store_->Write([&](Transaction& txn) -> Status {
      auto id = txn.InsertAlert(a);
      if (!id) return std::unexpected(id.error());
      ids.push_back(*id);
      return Ok();
    }));
  }
  auto first = store_->reader().AlertsAfter(0, 2);
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].id, ids[0]);
  EXPECT_EQ((*first)[1].id, ids[1]);
  EXPECT_EQ((*first)[1].created_at_ms, 201);
  auto rest = store_->reader().AlertsAfter(ids[1], 100);
  ASSERT_TRUE(rest.has_value());
  ASSERT_EQ(rest->size(), 3u);
  EXPECT_EQ((*rest)[0].id, ids[2]);
  EXPECT_EQ((*rest)[2].id, ids[4]);
  auto none = store_->reader().AlertsAfter(ids[4], 100);
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

MEDVAULT_ON_EVERY_ENGINE(CareRecordsTest);

}  // namespace
}  // namespace medvault::store
