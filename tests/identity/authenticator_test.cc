// Passwords and sessions against a real SQLite store, with time driven by a ManualClock.
#include "identity/authenticator.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "identity/accounts.h"
#include "identity/password_policy.h"

namespace medvault::identity {
namespace {

using namespace std::chrono_literals;

class AuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-auth-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    store_ = std::move(*store::OpenSqliteStore(dir_ + "/db", true));
    auth_ = std::make_unique<Authenticator>(*store_, keyring_, clock_, SessionPolicy{15min, 12h});
    NewAccount account{"dr.house", Role::kPhysician, "org-a", "practitioner-1",
                       "a long enough passphrase"};
    account_ = *PrepareAccount(account, clock_);
    ASSERT_TRUE(store_->Write([&](store::Transaction& t) { return t.InsertAccount(account_); }));
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

  std::string dir_;
  ManualClock clock_{FromUnixMillis(1'700'000'000'000)};
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Authenticator> auth_;
  store::AccountRow account_;
};

TEST_F(AuthenticatorTest, ChecksPasswordsWithOneAnswerForEveryFailure) {
  EXPECT_TRUE(auth_->CheckPassword("dr.house", "a long enough passphrase").has_value());
  auto wrong = auth_->CheckPassword("dr.house", "a long enough passphrasE");
  auto unknown = auth_->CheckPassword("dr.nobody", "a long enough passphrase");
  ASSERT_FALSE(wrong.has_value());
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AuthenticatorTest, SessionTokensResolveToThePrincipal) {
  std::string token = Login();
  auto p = auth_->Authenticate(token);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  EXPECT_EQ(p->account_id(), account_.id);
  EXPECT_EQ(p->role(), Role::kPhysician);
  EXPECT_EQ(p->organization_id(), "org-a");
  // The database holds a keyed hash of the token, never the token.
  auto stored = store_->reader().SessionByTokenHash(keyring_.HashToken(token));
  ASSERT_TRUE(stored.has_value() && stored->has_value());
  EXPECT_EQ((*stored)->client_address, "10.0.0.1");
  EXPECT_FALSE(auth_->Authenticate(token.substr(1) + "A").has_value());
  EXPECT_FALSE(auth_->Authenticate("").has_value());
}

TEST_F(AuthenticatorTest, IdleTimeoutEndsASession) {
  std::string token = Login();
  clock_.Advance(14min);
  EXPECT_TRUE(auth_->Authenticate(token).has_value());
  clock_.Advance(1min);
  EXPECT_FALSE(auth_->Authenticate(token).has_value());
}

TEST_F(AuthenticatorTest, UseKeepsASessionAliveUntilItsAbsoluteTimeout) {
  std::string token = Login();
  auto session = store_->reader().SessionByTokenHash(keyring_.HashToken(token));
  std::string id = (*session)->id;
  for (int i = 0; i < 47; ++i) {  // 47 × 15 min = 11 h 45 min of steady use
    clock_.Advance(15min - 1s);
    int64_t now = ToUnixMillis(clock_.Now());
    ASSERT_TRUE(store_->Write([&](store::Transaction& t) { return t.TouchSession(id, now); }));
    ASSERT_TRUE(auth_->Authenticate(token).has_value()) << "step " << i;
  }
  clock_.Advance(16min);  // past 12 h since login
  int64_t now = ToUnixMillis(clock_.Now());
  ASSERT_TRUE(store_->Write([&](store::Transaction& t) { return t.TouchSession(id, now); }));
  EXPECT_FALSE(auth_->Authenticate(token).has_value());
}

TEST_F(AuthenticatorTest, StepUpLastsItsWindowFromTheLastFreshCode) {
  // SessionPolicy{15min, 12h} keeps the default 10-minute step-up window.
  std::string token = Login();  // a session starts stepped up: it was born of a fresh code
  auto p = auth_->Authenticate(token);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(auth_->SteppedUp(*p));
  clock_.Advance(10min);
  p = auth_->Authenticate(token);
  ASSERT_TRUE(p.has_value());
  EXPECT_FALSE(auth_->SteppedUp(*p));
  int64_t now = ToUnixMillis(clock_.Now());
  ASSERT_TRUE(
      store_->Write([&](store::Transaction& t) { return t.MarkSteppedUp(p->session_id(), now); }));
  p = auth_->Authenticate(token);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(auth_->SteppedUp(*p));
}

TEST_F(AuthenticatorTest, APasswordResetIsCarriedByThePrincipal) {
  std::string token = Login();
  ASSERT_TRUE(store_->Write([&](store::Transaction& t) {
    return t.SetPassword(account_.id, account_.password_hash, true);
  }));
  auto p = auth_->Authenticate(token);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->must_change_password());
}

TEST_F(AuthenticatorTest, SuspendedAccountsLoseTheirSessionsAndLogins) {
  std::string token = Login();
  ASSERT_TRUE(store_->Write(
      [&](store::Transaction& t) { return t.SetAccountStatus(account_.id, "suspended"); }));
  EXPECT_FALSE(auth_->Authenticate(token).has_value());
  EXPECT_FALSE(auth_->CheckPassword("dr.house", "a long enough passphrase").has_value());
}

TEST_F(AuthenticatorTest, RevokedSessionsAreRefused) {
  std::string token = Login();
  auto session = store_->reader().SessionByTokenHash(keyring_.HashToken(token));
  ASSERT_TRUE(
      store_->Write([&](store::Transaction& t) { return t.RevokeSession((*session)->id, 1); }));
  EXPECT_FALSE(auth_->Authenticate(token).has_value());
}

TEST_F(AuthenticatorTest, StillLiveFollowsTheSessionAfterTheRequest) {
  std::string token = Login();
  auto p = auth_->Authenticate(token);
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(auth_->StillLive(*p).has_value());
  clock_.Advance(15min);  // idle
  EXPECT_FALSE(auth_->StillLive(*p).has_value());

  std::string other = Login();
  auto q = auth_->Authenticate(other);
  ASSERT_TRUE(q.has_value());
  ASSERT_TRUE(
      store_->Write([&](store::Transaction& t) { return t.RevokeSession(q->session_id(), 1); }));
  EXPECT_FALSE(auth_->StillLive(*q).has_value());

  std::string third = Login();
  auto r = auth_->Authenticate(third);
  ASSERT_TRUE(r.has_value());
  ASSERT_TRUE(store_->Write(
      [&](store::Transaction& t) { return t.SetAccountStatus(account_.id, "suspended"); }));
  auto refused = auth_->StillLive(*r);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnauthenticated);
}

// The server runs on a NonDecreasingClock (cli::Runtime). Set back by an hour, the wall
// clock would otherwise revive a session that had idled out (now - last_seen < 15 min
// again); held back, time stands still until the wall clock catches up.
TEST_F(AuthenticatorTest, ABackwardClockJumpNeitherEndsLiveSessionsNorRevivesExpiredOnes) {
  NonDecreasingClock held(clock_);
  Authenticator server(*store_, keyring_, held, SessionPolicy{15min, 12h});
  std::string expired = Login();
  clock_.Advance(16min);
  ASSERT_FALSE(server.Authenticate(expired).has_value());
  std::string live = Login();
  clock_.Advance(5min);
  ASSERT_TRUE(server.Authenticate(live).has_value());

  clock_.Advance(-1h);  // the wall clock is set back
  EXPECT_TRUE(server.Authenticate(live).has_value());
  EXPECT_FALSE(server.Authenticate(expired).has_value());
  clock_.Advance(59min);  // still behind: the server's time stands still
  EXPECT_TRUE(server.Authenticate(live).has_value());
  EXPECT_FALSE(server.Authenticate(expired).has_value());

  clock_.Advance(1min + 9min);  // caught up, then 9 more minutes: 14 idle minutes
  EXPECT_TRUE(server.Authenticate(live).has_value());
  clock_.Advance(1min);  // timeouts run again
  EXPECT_FALSE(server.Authenticate(live).has_value());
}

TEST(Accounts, UsernameRulesAndOrganizationRequirement) {
  ManualClock clock(FromUnixMillis(0));
  EXPECT_FALSE(CheckUsername("ab").has_value());
  EXPECT_FALSE(CheckUsername("Dr.House").has_value());
  EXPECT_FALSE(CheckUsername("dr house").has_value());
  EXPECT_TRUE(CheckUsername("dr.house-2_b").has_value());
  NewAccount no_org{"nurse.x", Role::kNurse, "", "", "a long enough passphrase"};
  EXPECT_FALSE(PrepareAccount(no_org, clock).has_value());
  NewAccount dpo{"dpo.x", Role::kSecurityOfficer, "", "", "a long enough passphrase"};
  auto row = PrepareAccount(dpo, clock);
  ASSERT_TRUE(row.has_value());
  EXPECT_TRUE(row->password_hash.starts_with("$argon2id$"));
  EXPECT_EQ(row->password_hash.find("a long enough"), std::string::npos);
}

}  // namespace
}  // namespace medvault::identity
