// Searching the audit log on the real SQLite store: candidates from the blind index or
// the log, every one checked after opening, newest first, paged by whole entries.
#include "audit/audit_search.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace medvault::audit {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000;

class AuditSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-audit-search-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    store_ = std::move(*store::OpenSqliteStore(dir_ + "/db", true));
    // 30 entries: alice reads p1 then p2 alternately; bob searches and sees p1, p2, p3
    // every third time; every fifth request is denied.
    for (int i = 1; i <= 30; ++i) {
      AuditEvent e;
      e.time_ms = kT0 + i * 1000;
      e.request_id = "req-" + std::to_string(i);
      bool bob = i % 3 == 0;
      e.account_id = bob ? "bob-id" : "alice-id";
      e.username = bob ? "bob" : "alice";
      e.interaction = bob ? "search" : "read";
      e.resource_type = "Patient";
      if (bob) {
        e.patients = {"p1", "p2", "p3"};
      } else {
        e.resource_id = i % 2 ? "p1" : "p2";
        e.patients = {e.resource_id};
      }
      e.outcome = i % 5 == 0 ? "denied" : "success";
      e.status = i % 5 == 0 ? 403 : 200;
      ASSERT_TRUE(store_->Write([&](store::Transaction& t) -> Status {
        TRY(log_.Append(t, e));
        return Ok();
      }));
    }
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::vector<int64_t> Seqs(const AuditCriteria& c, std::optional<int64_t>* next = nullptr) {
    auto page = SearchAudit(store_->reader(), log_, c);
    EXPECT_TRUE(page.has_value()) << page.error().message;
    std::vector<int64_t> seqs;
    for (const FoundEntry& f : page->entries) seqs.push_back(f.seq);
    if (next) *next = page->next_before;
    return seqs;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  AuditLog log_{keyring_};
};

TEST_F(AuditSearchTest, ByPatientNewestFirst) {
  AuditCriteria c;
  c.patient = "p3";  // only bob's searches name p3
  c.max_events = 100;
  EXPECT_EQ(Seqs(c), (std::vector<int64_t>{30, 27, 24, 21, 18, 15, 12, 9, 6, 3}));
  c.patient = "p1";
  std::vector<int64_t> p1 = Seqs(c);
  EXPECT_EQ(p1.size(), 10u + 10u);  // odd non-multiples of 3 (10) and bob's ten
  EXPECT_TRUE(std::is_sorted(p1.rbegin(), p1.rend()));
  c.patient = "nobody";
  EXPECT_TRUE(Seqs(c).empty());
}

TEST_F(AuditSearchTest, ByAgentTimeAndOutcome) {
  AuditCriteria c;
  c.account_id = "bob-id";
  c.from_ms = kT0 + 10'000;   // from entry 10
  c.until_ms = kT0 + 21'000;  // before entry 21
  c.max_events = 100;
  EXPECT_EQ(Seqs(c), (std::vector<int64_t>{18, 15, 12}));
  c.outcomes = {"8"};
  EXPECT_EQ(Seqs(c), (std::vector<int64_t>{15}));
  AuditCriteria denied;
  denied.outcomes = {"8"};
  denied.max_events = 100;
  EXPECT_EQ(Seqs(denied), (std::vector<int64_t>{30, 25, 20, 15, 10, 5}));
}

TEST_F(AuditSearchTest, PagesByWholeEntriesAndResumes) {
  AuditCriteria c;
  c.max_events = 4;  // entry 30 yields 3 events (p1, p2, p3), 29 and 28 one each
  std::optional<int64_t> next;
  EXPECT_EQ(Seqs(c, &next), (std::vector<int64_t>{30, 29}));
  ASSERT_TRUE(next.has_value());
  c.before_seq = *next;
  EXPECT_EQ(Seqs(c, &next), (std::vector<int64_t>{28, 27}));  // 1 + 3
  ASSERT_TRUE(next.has_value());
  // Walking every page visits every entry once.
  AuditCriteria all;
  all.max_events = 7;
  std::vector<int64_t> seen;
  for (int pages = 0; pages < 40; ++pages) {
    std::vector<int64_t> seqs = Seqs(all, &next);
    seen.insert(seen.end(), seqs.begin(), seqs.end());
    if (!next) break;
    all.before_seq = *next;
  }
  ASSERT_EQ(seen.size(), 30u);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(seen[static_cast<size_t>(i)], 30 - i);
}

TEST_F(AuditSearchTest, StopsAfterOpeningTooManyAndSaysWhereToResume) {
  AuditCriteria c;
  c.outcomes = {"12"};  // nothing matches: every entry must be opened
  c.max_opened = 10;
  std::optional<int64_t> next;
  EXPECT_TRUE(Seqs(c, &next).empty());
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, 21);  // entries 30..21 were opened
}

TEST_F(AuditSearchTest, ReadsOneEntry) {
  auto entry = ReadAuditEntry(store_->reader(), log_, 7);
  ASSERT_TRUE(entry.has_value());
  ASSERT_TRUE(entry->has_value());
  EXPECT_EQ((*entry)->request_id, "req-7");
  auto none = ReadAuditEntry(store_->reader(), log_, 31);
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
}

// The index holds keyed hashes only: neither patient nor account ids appear in it.
TEST_F(AuditSearchTest, IndexHoldsNoIdentifiers) {
  EXPECT_NE(log_.PatientTerm("p1"), log_.PatientTerm("p2"));
  EXPECT_NE(log_.PatientTerm("alice-id"), log_.AgentTerm("alice-id"));
  crypto::Keyring other(crypto::SecretKey::Random());
  AuditLog other_key{other};
  EXPECT_NE(log_.PatientTerm("p1"), other_key.PatientTerm("p1"));
}

}  // namespace
}  // namespace medvault::audit
