// The identity writes and reads of the store (TOTP, recovery codes, login challenges,
// throttling, sessions, account administration) on a real SQLite database in a
// temporary directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/engines.h"
#include "store/store.h"

namespace medvault::store {
namespace {

TokenHash Hash(uint8_t seed) {
  TokenHash h{};
  for (size_t i = 0; i < h.size(); ++i) h[i] = static_cast<uint8_t>(seed * 31 + i);
  return h;
}

AccountRow Account(std::string id, std::string username) {
  AccountRow a;
  a.id = std::move(id);
  a.username = std::move(username);
  a.role = "physician";
  a.organization_id = "org-a";
  a.password_hash = "$argon2id$original";
  a.created_at_ms = 1;
  return a;
}

SessionRow Session(std::string id, std::string account_id, int64_t created_ms, int64_t expires_ms,
                   uint8_t token_seed) {
  SessionRow s;
  s.id = std::move(id);
  s.token_hash = Hash(token_seed);
  s.account_id = std::move(account_id);
  s.created_at_ms = created_ms;
  s.last_seen_ms = created_ms;
  s.expires_at_ms = expires_ms;
  s.client_address = "10.0.0.1";
  s.user_agent = "test-agent";
  return s;
}

LoginChallengeRow Challenge(uint8_t seed, std::string account_id, int64_t created_ms,
                            int64_t expires_ms) {
  LoginChallengeRow c;
  c.challenge_hash = Hash(seed);
  c.account_id = std::move(account_id);
  c.created_at_ms = created_ms;
  c.expires_at_ms = expires_ms;
  c.client_address = "10.0.0.2";
  c.user_agent = "agent/1.0";
  return c;
}

std::vector<std::string> Ids(const std::vector<SessionRow>& sessions) {
  std::vector<std::string> ids;
  for (const SessionRow& s : sessions) ids.push_back(s.id);
  return ids;
}

class IdentityStoreTest : public ::testing::TestWithParam<StoreEngine> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-identity-store-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto store = OpenTestStore(GetParam(), dir_);
    ASSERT_TRUE(store.has_value()) << store.error().message;
    store_ = std::move(*store);
    ASSERT_TRUE(store_->Write([](Transaction& t) -> Status {
      TRY(t.InsertAccount(Account("acct-1", "dr.house")));
      return t.InsertAccount(Account("acct-2", "dr.wilson"));
    }));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Reader& reader() { return store_->reader(); }

  AccountRow AccountById(std::string_view id) {
    auto row = reader().AccountById(id);
    EXPECT_TRUE(row.has_value() && row->has_value()) << id;
    return row.has_value() && row->has_value() ? **row : AccountRow{};
  }

  bool AcceptStep(std::string_view account_id, int64_t step) {
    bool accepted = false;
    EXPECT_TRUE(store_->Write([&](Transaction& t) -> Status {
      ASSIGN_OR_RETURN(accepted, t.AcceptTotpStep(account_id, step));
      return Ok();
    }));
    return accepted;
  }

  bool UseCode(std::string_view account_id, const TokenHash& hash, int64_t at_ms = 5) {
    bool used = false;
    EXPECT_TRUE(store_->Write([&](Transaction& t) -> Status {
      ASSIGN_OR_RETURN(used, t.UseRecoveryCode(account_id, hash, at_ms));
      return Ok();
    }));
    return used;
  }

  bool Consume(const TokenHash& hash, int64_t at_ms) {
    bool consumed = false;
    EXPECT_TRUE(store_->Write([&](Transaction& t) -> Status {
      ASSIGN_OR_RETURN(consumed, t.ConsumeChallenge(hash, at_ms));
      return Ok();
    }));
    return consumed;
  }

  int64_t Unused(std::string_view account_id) {
    auto n = reader().UnusedRecoveryCodes(account_id);
    EXPECT_TRUE(n.has_value());
    return n.value_or(-1);
  }

  std::optional<LoginThrottleRow> Throttle(std::string_view subject) {
    auto row = reader().LoginThrottle(subject);
    EXPECT_TRUE(row.has_value());
    return row.value_or(std::nullopt);
  }

  void RecordFailure(std::string_view subject, int64_t at_ms, int64_t lock_after,
                     int64_t lock_until) {
    ASSERT_TRUE(store_->Write([&](Transaction& t) {
      return t.RecordLoginFailure(subject, at_ms, lock_after, lock_until);
    }));
  }

  void Enroll(std::string_view account_id, const crypto::Bytes& sealed, int64_t step,
              const std::vector<TokenHash>& hashes) {
    ASSERT_TRUE(store_->Write(
        [&](Transaction& t) { return t.EnrollTotp(account_id, sealed, step, hashes); }));
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

// --- TOTP steps and enrolment ---------------------------------------------------------

TEST_P(IdentityStoreTest, AcceptsOnlyNewerTotpSteps) {
  EXPECT_TRUE(AcceptStep("acct-1", 1000));
  EXPECT_EQ(AccountById("acct-1").totp_last_step, 1000);
  EXPECT_FALSE(AcceptStep("acct-1", 1000)) << "the same step is a replay";
  EXPECT_FALSE(AcceptStep("acct-1", 999)) << "an older step is a replay";
  EXPECT_EQ(AccountById("acct-1").totp_last_step, 1000);
  EXPECT_TRUE(AcceptStep("acct-1", 1001));
  EXPECT_EQ(AccountById("acct-1").totp_last_step, 1001);
  // Steps are per account.
  EXPECT_TRUE(AcceptStep("acct-2", 1000));
  EXPECT_FALSE(AcceptStep("no-such-account", 5000));
}

TEST_P(IdentityStoreTest, EnrollTotpStoresTheSealedSecretStepAndRecoveryCodes) {
  crypto::Bytes sealed{9, 8, 7, 6, 5, 0, 255};
  std::vector<TokenHash> hashes;
  for (uint8_t i = 0; i < 10; ++i) hashes.push_back(Hash(i));
  Enroll("acct-1", sealed, 777, hashes);
  AccountRow a = AccountById("acct-1");
  EXPECT_EQ(a.totp_secret, sealed);
  EXPECT_EQ(a.totp_last_step, 777);
  EXPECT_EQ(Unused("acct-1"), 10);
  EXPECT_EQ(Unused("acct-2"), 0);
  EXPECT_TRUE(AccountById("acct-2").totp_secret.empty());
  // The enrolment step is spent: its code cannot log in again.
  EXPECT_FALSE(AcceptStep("acct-1", 777));
  EXPECT_TRUE(AcceptStep("acct-1", 778));
}

TEST_P(IdentityStoreTest, EnrollTotpReplacesTheRecoveryCodes) {
  Enroll("acct-1", {1}, 10, {Hash(1), Hash(2), Hash(3)});
  ASSERT_TRUE(UseCode("acct-1", Hash(1)));
  EXPECT_EQ(Unused("acct-1"), 2);
  Enroll("acct-1", {2}, 20, {Hash(4), Hash(5)});
  EXPECT_EQ(AccountById("acct-1").totp_secret, crypto::Bytes{2});
  EXPECT_EQ(Unused("acct-1"), 2);
  EXPECT_FALSE(UseCode("acct-1", Hash(2))) << "a code of the old set still works";
  EXPECT_TRUE(UseCode("acct-1", Hash(4)));
  // Enrolling again with a code of the same value as a used one makes it usable again.
  Enroll("acct-1", {3}, 30, {Hash(4)});
  EXPECT_EQ(Unused("acct-1"), 1);
  EXPECT_TRUE(UseCode("acct-1", Hash(4)));
}

TEST_P(IdentityStoreTest, RecoveryCodesWorkOnceForTheirOwnAccount) {
  Enroll("acct-1", {1}, 10, {Hash(1), Hash(2)});
  EXPECT_FALSE(UseCode("acct-2", Hash(1))) << "another account's code";
  EXPECT_FALSE(UseCode("acct-1", Hash(42))) << "an unknown code";
  EXPECT_EQ(Unused("acct-1"), 2);
  EXPECT_TRUE(UseCode("acct-1", Hash(1)));
  EXPECT_EQ(Unused("acct-1"), 1);
  EXPECT_FALSE(UseCode("acct-1", Hash(1))) << "a used code";
  EXPECT_EQ(Unused("acct-1"), 1);
  EXPECT_TRUE(UseCode("acct-1", Hash(2)));
  EXPECT_EQ(Unused("acct-1"), 0);
}

TEST_P(IdentityStoreTest, ResetMfaForgetsTheSecretAndTheCodes) {
  Enroll("acct-1", {1, 2, 3}, 10, {Hash(1), Hash(2)});
  Enroll("acct-2", {4, 5, 6}, 10, {Hash(1), Hash(2)});
  ASSERT_TRUE(store_->Write([](Transaction& t) { return t.ResetMfa("acct-1"); }));
  AccountRow a = AccountById("acct-1");
  EXPECT_TRUE(a.totp_secret.empty());
  EXPECT_EQ(Unused("acct-1"), 0);
  EXPECT_FALSE(UseCode("acct-1", Hash(2)));
  // The other account keeps its own.
  EXPECT_EQ(AccountById("acct-2").totp_secret, (crypto::Bytes{4, 5, 6}));
  EXPECT_EQ(Unused("acct-2"), 2);
}

// --- Login challenges -----------------------------------------------------------------

TEST_P(IdentityStoreTest, ChallengesRoundTrip) {
  LoginChallengeRow row = Challenge(7, "acct-1", 1'000, 301'000);
  row.pending_secret = {1, 2, 3, 0, 4};
  ASSERT_TRUE(store_->Write([&](Transaction& t) { return t.InsertChallenge(row); }));
  auto found = reader().Challenge(row.challenge_hash);
  ASSERT_TRUE(found.has_value() && found->has_value());
  const LoginChallengeRow& c = **found;
  EXPECT_EQ(c.challenge_hash, row.challenge_hash);
  EXPECT_EQ(c.account_id, "acct-1");
  EXPECT_EQ(c.created_at_ms, 1'000);
  EXPECT_EQ(c.expires_at_ms, 301'000);
  EXPECT_EQ(c.pending_secret, row.pending_secret);
  EXPECT_EQ(c.attempts, 0);
  EXPECT_EQ(c.used_at_ms, 0);
  EXPECT_EQ(c.client_address, "10.0.0.2");
  EXPECT_EQ(c.user_agent, "agent/1.0");
  EXPECT_FALSE(reader().Challenge(Hash(8))->has_value());
}

TEST_P(IdentityStoreTest, AChallengeWithoutPendingSecretReadsBackEmpty) {
  LoginChallengeRow row = Challenge(7, "acct-1", 1'000, 301'000);
  ASSERT_TRUE(store_->Write([&](Transaction& t) { return t.InsertChallenge(row); }));
  auto found = reader().Challenge(row.challenge_hash);
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_TRUE((*found)->pending_secret.empty());
}

TEST_P(IdentityStoreTest, AChallengeIsConsumedOnce) {
  LoginChallengeRow row = Challenge(7, "acct-1", 1'000, 301'000);
  ASSERT_TRUE(store_->Write([&](Transaction& t) { return t.InsertChallenge(row); }));
  EXPECT_TRUE(Consume(row.challenge_hash, 2'000));
  EXPECT_FALSE(Consume(row.challenge_hash, 3'000));
  EXPECT_EQ((*reader().Challenge(row.challenge_hash))->used_at_ms, 2'000);
  EXPECT_FALSE(Consume(Hash(99), 3'000)) << "an unknown challenge";
}

TEST_P(IdentityStoreTest, ChallengeAttemptsAreCounted) {
  LoginChallengeRow row = Challenge(7, "acct-1", 1'000, 301'000);
  LoginChallengeRow other = Challenge(8, "acct-1", 1'000, 301'000);
  ASSERT_TRUE(store_->Write([&](Transaction& t) -> Status {
    TRY(t.InsertChallenge(row));
    return t.InsertChallenge(other);
  }));
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(
        store_->Write([&](Transaction& t) { return t.CountChallengeAttempt(row.challenge_hash); }));
    EXPECT_EQ((*reader().Challenge(row.challenge_hash))->attempts, i);
  }
  EXPECT_EQ((*reader().Challenge(other.challenge_hash))->attempts, 0);
}

TEST_P(IdentityStoreTest, InsertingAChallengeSweepsExpiredOnes) {
  LoginChallengeRow old = Challenge(1, "acct-1", 1'000, 2'000);
  LoginChallengeRow live = Challenge(2, "acct-2", 1'500, 10'000);
  ASSERT_TRUE(store_->Write([&](Transaction& t) -> Status {
    TRY(t.InsertChallenge(old));
    return t.InsertChallenge(live);
  }));
  ASSERT_TRUE(reader().Challenge(old.challenge_hash)->has_value());
  LoginChallengeRow next = Challenge(3, "acct-1", 5'000, 305'000);
  ASSERT_TRUE(store_->Write([&](Transaction& t) { return t.InsertChallenge(next); }));
  EXPECT_FALSE(reader().Challenge(old.challenge_hash)->has_value());
  EXPECT_TRUE(reader().Challenge(live.challenge_hash)->has_value());
  EXPECT_TRUE(reader().Challenge(next.challenge_hash)->has_value());
}

TEST_P(IdentityStoreTest, AChallengeHashIsUnique) {
  LoginChallengeRow row = Challenge(7, "acct-1", 1'000, 301'000);
  ASSERT_TRUE(store_->Write([&](Transaction& t) { return t.InsertChallenge(row); }));
  EXPECT_FALSE(store_->Write([&](Transaction& t) { return t.InsertChallenge(row); }));
}

// --- Login throttling -----------------------------------------------------------------

TEST_P(IdentityStoreTest, FailuresAreCountedAndLockAtTheThreshold) {
  EXPECT_FALSE(Throttle("account:dr.house").has_value());
  RecordFailure("account:dr.house", 100, 3, 9'000);
  auto row = Throttle("account:dr.house");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->subject, "account:dr.house");
  EXPECT_EQ(row->failures, 1);
  EXPECT_EQ(row->last_failure_ms, 100);
  EXPECT_EQ(row->locked_until_ms, 0);
  RecordFailure("account:dr.house", 200, 3, 9'000);
  row = Throttle("account:dr.house");
  EXPECT_EQ(row->failures, 2);
  EXPECT_EQ(row->last_failure_ms, 200);
  EXPECT_EQ(row->locked_until_ms, 0);
  RecordFailure("account:dr.house", 300, 3, 9'000);
  row = Throttle("account:dr.house");
  EXPECT_EQ(row->failures, 3);
  EXPECT_EQ(row->last_failure_ms, 300);
  EXPECT_EQ(row->locked_until_ms, 9'000);
  // Subjects are separate.
  EXPECT_FALSE(Throttle("address:10.0.0.1").has_value());
}

TEST_P(IdentityStoreTest, ALockAfterOneLocksOnTheFirstFailure) {
  RecordFailure("account:x", 100, 1, 5'000);
  auto row = Throttle("account:x");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->failures, 1);
  EXPECT_EQ(row->locked_until_ms, 5'000);
}

TEST_P(IdentityStoreTest, LockAfterZeroNeverLocks) {
  for (int i = 1; i <= 25; ++i) RecordFailure("address:10.0.0.1", i, 0, 99'999);
  auto row = Throttle("address:10.0.0.1");
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->failures, 25);
  EXPECT_EQ(row->last_failure_ms, 25);
  EXPECT_EQ(row->locked_until_ms, 0);
}

TEST_P(IdentityStoreTest, ClearLoginFailuresDeletesTheSubject) {
  RecordFailure("account:a", 100, 2, 9'000);
  RecordFailure("account:a", 200, 2, 9'000);
  RecordFailure("account:b", 100, 2, 9'000);
  ASSERT_TRUE(store_->Write([](Transaction& t) { return t.ClearLoginFailures("account:a"); }));
  EXPECT_FALSE(Throttle("account:a").has_value());
  EXPECT_TRUE(Throttle("account:b").has_value());
  // Clearing a subject that has no row is no error; counting starts afresh.
  ASSERT_TRUE(store_->Write([](Transaction& t) { return t.ClearLoginFailures("account:a"); }));
  RecordFailure("account:a", 300, 2, 9'000);
  EXPECT_EQ(Throttle("account:a")->failures, 1);
  EXPECT_EQ(Throttle("account:a")->locked_until_ms, 0);
}

// --- Sessions -------------------------------------------------------------------------

TEST_P(IdentityStoreTest, SessionsOfAccountListsLiveOnesNewestFirst) {
  SessionRow revoked = Session("s-revoked", "acct-1", 400, 100'000, 4);
  revoked.revoked_at_ms = 500;
  ASSERT_TRUE(store_->Write([&](Transaction& t) -> Status {
    TRY(t.InsertSession(Session("s-old", "acct-1", 100, 100'000, 1)));
    TRY(t.InsertSession(Session("s-new", "acct-1", 300, 100'000, 2)));
    TRY(t.InsertSession(Session("s-mid", "acct-1", 200, 100'000, 3)));
    TRY(t.InsertSession(revoked));
    TRY(t.InsertSession(Session("s-expired", "acct-1", 350, 900, 5)));
    return t.InsertSession(Session("s-other", "acct-2", 250, 100'000, 6));
  }));
  auto live = reader().SessionsOfAccount("acct-1", 1'000);
  ASSERT_TRUE(live.has_value());
  EXPECT_EQ(Ids(*live), (std::vector<std::string>{"s-new", "s-mid", "s-old"}));
  // Before its expiry, the expired one was live.
  EXPECT_EQ(Ids(*reader().SessionsOfAccount("acct-1", 899)),
            (std::vector<std::string>{"s-expired", "s-new", "s-mid", "s-old"}));
  EXPECT_EQ(Ids(*reader().SessionsOfAccount("acct-2", 1'000)), std::vector<std::string>{"s-other"});
  EXPECT_TRUE(reader().SessionsOfAccount("no-such-account", 1'000)->empty());
}

TEST_P(IdentityStoreTest, RevokeAccountSessionsSparesTheExceptedOne) {
  SessionRow earlier = Session("s-revoked", "acct-1", 50, 100'000, 4);
  earlier.revoked_at_ms = 60;
  ASSERT_TRUE(store_->Write([&](Transaction& t) -> Status {
    TRY(t.InsertSession(Session("s-1", "acct-1", 100, 100'000, 1)));
    TRY(t.InsertSession(Session("s-2", "acct-1", 200, 100'000, 2)));
    TRY(t.InsertSession(Session("s-3", "acct-1", 300, 100'000, 3)));
    TRY(t.InsertSession(earlier));
    return t.InsertSession(Session("s-other", "acct-2", 100, 100'000, 5));
  }));
  ASSERT_TRUE(store_->Write(
      [](Transaction& t) { return t.RevokeAccountSessions("acct-1", 2'000, "s-2"); }));
  EXPECT_EQ(Ids(*reader().SessionsOfAccount("acct-1", 1'000)), std::vector<std::string>{"s-2"});
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(1)))->revoked_at_ms, 2'000);
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(3)))->revoked_at_ms, 2'000);
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(2)))->revoked_at_ms, 0);
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(4)))->revoked_at_ms, 60) << "revoked earlier";
  EXPECT_EQ(Ids(*reader().SessionsOfAccount("acct-2", 1'000)), std::vector<std::string>{"s-other"});
  // No exception: every session goes.
  ASSERT_TRUE(
      store_->Write([](Transaction& t) { return t.RevokeAccountSessions("acct-1", 3'000, ""); }));
  EXPECT_TRUE(reader().SessionsOfAccount("acct-1", 1'000)->empty());
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(1)))->revoked_at_ms, 2'000);
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(2)))->revoked_at_ms, 3'000);
}

TEST_P(IdentityStoreTest, MarkSteppedUpKeepsTheLatestTime) {
  ASSERT_TRUE(store_->Write([](Transaction& t) -> Status {
    TRY(t.InsertSession(Session("s-1", "acct-1", 100, 100'000, 1)));
    return t.InsertSession(Session("s-2", "acct-1", 100, 100'000, 2));
  }));
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(1)))->stepped_up_at_ms, 0);
  ASSERT_TRUE(store_->Write([](Transaction& t) { return t.MarkSteppedUp("s-1", 5'000); }));
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(1)))->stepped_up_at_ms, 5'000);
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(2)))->stepped_up_at_ms, 0);
  ASSERT_TRUE(store_->Write([](Transaction& t) { return t.MarkSteppedUp("s-1", 4'000); }));
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(1)))->stepped_up_at_ms, 5'000);
  ASSERT_TRUE(store_->Write([](Transaction& t) { return t.MarkSteppedUp("s-1", 6'000); }));
  EXPECT_EQ((*reader().SessionByTokenHash(Hash(1)))->stepped_up_at_ms, 6'000);
  auto joined = reader().SessionWithAccount(Hash(1));
  ASSERT_TRUE(joined.has_value() && joined->has_value());
  EXPECT_EQ((*joined)->session.stepped_up_at_ms, 6'000);
  EXPECT_EQ((*joined)->account.username, "dr.house");
}

TEST_P(IdentityStoreTest, ASessionRoundTripsWithItsStepUpTime) {
  SessionRow s = Session("s-1", "acct-1", 100, 100'000, 1);
  s.stepped_up_at_ms = 150;
  ASSERT_TRUE(store_->Write([&](Transaction& t) { return t.InsertSession(s); }));
  auto found = reader().SessionByTokenHash(Hash(1));
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->id, "s-1");
  EXPECT_EQ((*found)->token_hash, Hash(1));
  EXPECT_EQ((*found)->stepped_up_at_ms, 150);
  EXPECT_EQ((*found)->expires_at_ms, 100'000);
}

// --- Account administration -----------------------------------------------------------

TEST_P(IdentityStoreTest, AnAccountRoundTripsWithItsNewColumns) {
  AccountRow a = Account("acct-3", "dr.cuddy");
  a.totp_secret = {1, 2, 3};
  a.totp_last_step = 42;
  a.must_change_password = true;
  ASSERT_TRUE(store_->Write([&](Transaction& t) { return t.InsertAccount(a); }));
  AccountRow read = AccountById("acct-3");
  EXPECT_EQ(read.username, "dr.cuddy");
  EXPECT_EQ(read.totp_secret, a.totp_secret);
  EXPECT_EQ(read.totp_last_step, 42);
  EXPECT_TRUE(read.must_change_password);
  EXPECT_FALSE(AccountById("acct-1").must_change_password);
  EXPECT_TRUE(AccountById("acct-1").totp_secret.empty());
}

TEST_P(IdentityStoreTest, SetPasswordIsVisibleThroughAccountById) {
  ASSERT_TRUE(store_->Write(
      [](Transaction& t) { return t.SetPassword("acct-1", "$argon2id$reset", true); }));
  AccountRow a = AccountById("acct-1");
  EXPECT_EQ(a.password_hash, "$argon2id$reset");
  EXPECT_TRUE(a.must_change_password);
  EXPECT_EQ(AccountById("acct-2").password_hash, "$argon2id$original");
  ASSERT_TRUE(store_->Write(
      [](Transaction& t) { return t.SetPassword("acct-1", "$argon2id$chosen", false); }));
  a = AccountById("acct-1");
  EXPECT_EQ(a.password_hash, "$argon2id$chosen");
  EXPECT_FALSE(a.must_change_password);
  auto by_name = reader().AccountByUsername("dr.house");
  ASSERT_TRUE(by_name.has_value() && by_name->has_value());
  EXPECT_EQ((*by_name)->password_hash, "$argon2id$chosen");
}

TEST_P(IdentityStoreTest, SetAccountStatusIsVisibleThroughAccountById) {
  EXPECT_EQ(AccountById("acct-1").status, "active");
  ASSERT_TRUE(
      store_->Write([](Transaction& t) { return t.SetAccountStatus("acct-1", "suspended"); }));
  EXPECT_EQ(AccountById("acct-1").status, "suspended");
  EXPECT_EQ(AccountById("acct-2").status, "active");
  ASSERT_TRUE(store_->Write([](Transaction& t) { return t.SetAccountStatus("acct-1", "active"); }));
  EXPECT_EQ(AccountById("acct-1").status, "active");
}

// --- Isolation ------------------------------------------------------------------------

TEST_P(IdentityStoreTest, AFailedIsolatedJobRollsBackOnlyItsOwnWrites) {
  Status inner_outcome;
  ASSERT_TRUE(store_->Write([&](Transaction& t) -> Status {
    TRY(t.SetAccountStatus("acct-1", "suspended"));
    inner_outcome = t.RunIsolated([](Transaction& inner) -> Status {
      TRY(inner.RecordLoginFailure("account:dr.house", 100, 10, 0));
      TRY(inner.AcceptTotpStep("acct-1", 500));
      TRY(inner.SetPassword("acct-1", "$argon2id$inner", true));
      return std::unexpected(Error{ErrorCode::kConflict, "the job fails", ""});
    });
    // The enclosing job goes on after the failure and its later writes commit.
    return t.RecordLoginFailure("address:10.0.0.9", 200, 10, 0);
  }));
  ASSERT_FALSE(inner_outcome.has_value());
  EXPECT_EQ(inner_outcome.error().code, ErrorCode::kConflict);
  EXPECT_EQ(inner_outcome.error().message, "the job fails");
  AccountRow a = AccountById("acct-1");
  EXPECT_EQ(a.status, "suspended");
  EXPECT_EQ(a.totp_last_step, 0);
  EXPECT_EQ(a.password_hash, "$argon2id$original");
  EXPECT_FALSE(a.must_change_password);
  EXPECT_FALSE(Throttle("account:dr.house").has_value());
  EXPECT_TRUE(Throttle("address:10.0.0.9").has_value());
}

TEST_P(IdentityStoreTest, AnIsolatedJobFailingInSqlRollsBackAlone) {
  Status inner_outcome;
  ASSERT_TRUE(store_->Write([&](Transaction& t) -> Status {
    TRY(t.SetAccountStatus("acct-2", "suspended"));
    inner_outcome = t.RunIsolated([](Transaction& inner) -> Status {
      TRY(inner.InsertAccount(Account("acct-3", "dr.cuddy")));
      return inner.InsertAccount(Account("acct-4", "dr.house"));  // the username is taken
    });
    return Ok();
  }));
  ASSERT_FALSE(inner_outcome.has_value());
  EXPECT_EQ(inner_outcome.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(reader().AccountById("acct-3")->has_value());
  EXPECT_EQ(AccountById("acct-2").status, "suspended");
}

TEST_P(IdentityStoreTest, ASuccessfulIsolatedJobCommitsWithItsEnclosingJob) {
  ASSERT_TRUE(store_->Write([](Transaction& t) -> Status {
    TRY(t.RunIsolated([](Transaction& inner) { return inner.SetAccountStatus("acct-1", "x"); }));
    return t.SetAccountStatus("acct-2", "y");
  }));
  EXPECT_EQ(AccountById("acct-1").status, "x");
  EXPECT_EQ(AccountById("acct-2").status, "y");
}

TEST_P(IdentityStoreTest, NestedIsolatedJobsRollBackOnlyTheFailedLevel) {
  Status innermost;
  ASSERT_TRUE(store_->Write([&](Transaction& t) -> Status {
    return t.RunIsolated([&](Transaction& middle) -> Status {
      TRY(middle.SetAccountStatus("acct-1", "middle"));
      innermost = middle.RunIsolated([](Transaction& inner) -> Status {
        TRY(inner.SetAccountStatus("acct-2", "inner"));
        return std::unexpected(Error{ErrorCode::kInvalid, "inner fails", ""});
      });
      return Ok();
    });
  }));
  EXPECT_FALSE(innermost.has_value());
  EXPECT_EQ(AccountById("acct-1").status, "middle");
  EXPECT_EQ(AccountById("acct-2").status, "active");
}

TEST_P(IdentityStoreTest, AFailedWriteJobLeavesNoIdentityWrites) {
  auto failed = store_->Write([](Transaction& t) -> Status {
    TRY(t.AcceptTotpStep("acct-1", 10));
    TRY(t.EnrollTotp("acct-1", crypto::Bytes{1}, 10, std::vector<TokenHash>{Hash(1)}));
    TRY(t.RecordLoginFailure("account:dr.house", 1, 1, 99));
    return std::unexpected(Error{ErrorCode::kInvalid, "abandon", ""});
  });
  ASSERT_FALSE(failed.has_value());
  AccountRow a = AccountById("acct-1");
  EXPECT_EQ(a.totp_last_step, 0);
  EXPECT_TRUE(a.totp_secret.empty());
  EXPECT_EQ(Unused("acct-1"), 0);
  EXPECT_FALSE(Throttle("account:dr.house").has_value());
}

MEDVAULT_ON_EVERY_ENGINE(IdentityStoreTest);

}  // namespace
}  // namespace medvault::store
