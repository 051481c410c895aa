// A clock set back further than the server's clock stands still for (an hour): session
// times from before and after the jump can no longer be told apart, so every session
// ends, in one audited write, before any request authenticates again.
#include "api/clock_set_back.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "identity/accounts.h"
#include "identity/authenticator.h"

namespace medvault::api {
namespace {

using namespace std::chrono_literals;

class ClockSetBackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-clock-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    store_ = std::move(*store::OpenSqliteStore(dir_ + "/db", true));
    identity::NewAccount account{"dr.house", identity::Role::kPhysician, "org-a", "practitioner-1",
                                 "a long enough passphrase"};
    account_ = *identity::PrepareAccount(account, wall_);
    ASSERT_TRUE(store_->Write([&](store::Transaction& t) { return t.InsertAccount(account_); }));
    auth_ = std::make_unique<identity::Authenticator>(*store_, keyring_, clock_,
                                                      identity::SessionPolicy{15min, 12h});
    guard_ = std::make_unique<ClockSetBackGuard>(*store_, audit_, clock_);
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string Login() {
    auto issued = auth_->NewSession(account_, "10.0.0.1", "test-agent");
    EXPECT_TRUE(store_->Write([&](store::Transaction& t) { return t.InsertSession(issued.row); }));
    return issued.token;
  }
  bool Live(const std::string& token) { return auth_->Authenticate(token).has_value(); }
  int64_t AuditEntries() { return *store_->reader().AuditCount(); }

  std::string dir_;
  ManualClock wall_{FromUnixMillis(1'700'000'000'000)};
  NonDecreasingClock clock_{wall_};  // the server's
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  std::unique_ptr<store::Store> store_;
  audit::AuditLog audit_{keyring_};
  std::unique_ptr<identity::Authenticator> auth_;
  std::unique_ptr<ClockSetBackGuard> guard_;
  store::AccountRow account_;
};

TEST_F(ClockSetBackTest, ASetBackOfMoreThanAnHourEndsEverySessionOnceAndAuditsIt) {
  ClockSetBackGuard& guard = *guard_;
  std::string expired = Login();
  wall_.Advance(2h);
  std::string live = Login();
  wall_.Advance(5min);
  ASSERT_TRUE(Live(live));
  ASSERT_FALSE(Live(expired));
  EXPECT_TRUE(guard.Check().has_value());
  EXPECT_EQ(AuditEntries(), 0);

  wall_.Advance(-2h);  // 5 minutes after the first login: the clock follows it back
  ASSERT_EQ(ToUnixMillis(clock_.Now()), ToUnixMillis(wall_.Now()));
  // What the guard is for: by the clock alone, the expired session is 5 minutes idle.
  EXPECT_TRUE(Live(expired));

  auto first = guard.Check();
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code, ErrorCode::kUnavailable);
  for (int i = 0; i < 500 && !guard.Check(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(guard.Check().has_value());
  EXPECT_FALSE(Live(expired));
  EXPECT_FALSE(Live(live));
  EXPECT_EQ(AuditEntries(), 1);
  auto events = audit_.ReadAll(store_->reader());
  ASSERT_TRUE(events.has_value());
  EXPECT_EQ((*events)[0].interaction, "clock-set-back");

  // Once: new sessions work, and nothing more is written.
  std::string fresh = Login();
  EXPECT_TRUE(Live(fresh));
  EXPECT_TRUE(guard.Check().has_value());
  EXPECT_EQ(AuditEntries(), 1);
}

TEST_F(ClockSetBackTest, ASetBackWithinAnHourEndsNothing) {
  ClockSetBackGuard& guard = *guard_;
  std::string live = Login();
  wall_.Advance(5min);
  ASSERT_TRUE(Live(live));
  wall_.Advance(-50min);  // the clock stands still instead
  EXPECT_TRUE(Live(live));
  EXPECT_TRUE(guard.Check().has_value());
  EXPECT_EQ(AuditEntries(), 0);
}

}  // namespace
}  // namespace medvault::api
