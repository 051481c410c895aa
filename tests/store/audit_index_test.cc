// The audit log's blind index, filed in buckets of consecutive entries
// (store/audit_index_buckets.h): a term's entries come back newest first across bucket
// boundaries, within the scan's bounds and limit, whichever bucket they sit in, on every
// engine, before and after a rebuild of the index.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <vector>

#include "store/audit_index_buckets.h"
#include "store/engines.h"
#include "store/store.h"

namespace medvault::store {
namespace {

constexpr int64_t kBucket = int64_t{1} << kAuditBucketBits;
constexpr int64_t kTerm = 4242;
constexpr int64_t kOtherTerm = -17;
// Entry n is recorded at n seconds.
constexpr int64_t kEntries = 3 * kBucket + 10;
// Where kTerm's entries fall: both edges of the first three buckets, then the fourth.
const std::vector<int64_t> kFiled = {1,           kBucket - 1,     kBucket,        2 * kBucket - 1,
                                     2 * kBucket, 2 * kBucket + 1, 3 * kBucket + 5};

class AuditIndexTest : public ::testing::TestWithParam<StoreEngine> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-audit-index-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto opened = OpenTestStore(GetParam(), dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->Write([](Transaction& txn) -> Status {
      size_t next_filed = 0;
      for (int64_t n = 1; n <= kEntries; ++n) {
        ASSIGN_OR_RETURN(int64_t seq, txn.AppendAudit(n * 1000, crypto::Bytes{1, 2, 3}));
        if (seq != n) return Fail(ErrorCode::kInternal, "unexpected entry number");
        std::vector<int64_t> terms{kOtherTerm};
        if (next_filed < kFiled.size() && kFiled[next_filed] == n) {
          terms.push_back(kTerm);
          ++next_filed;
        }
        TRY(txn.PutAuditIndex(n, terms));
      }
      return Ok();
    }));
  }
  void TearDown() override {
    store_->Close();
    std::filesystem::remove_all(dir_);
  }

  std::vector<int64_t> Found(AuditScan scan) {
    auto rows = store_->reader().AuditEntriesBefore(scan);
    EXPECT_TRUE(rows.has_value()) << rows.error().message;
    std::vector<int64_t> seqs;
    if (rows)
      for (const AuditRow& row : *rows) seqs.push_back(row.seq);
    return seqs;
  }
  static AuditScan Term(int64_t limit = 1000) {
    AuditScan scan;
    scan.term = kTerm;
    scan.limit = limit;
    return scan;
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(AuditIndexTest, FindsATermsEntriesNewestFirstAcrossBuckets) {
  EXPECT_EQ(Found(Term()), std::vector<int64_t>(kFiled.rbegin(), kFiled.rend()));
}

TEST_P(AuditIndexTest, StopsAtTheLimitAndPagesOnFromTheLastEntrySeen) {
  EXPECT_EQ(Found(Term(3)), (std::vector<int64_t>{3 * kBucket + 5, 2 * kBucket + 1, 2 * kBucket}));
  AuditScan next = Term(3);
  next.before_seq = 2 * kBucket;
  EXPECT_EQ(Found(next), (std::vector<int64_t>{2 * kBucket - 1, kBucket, kBucket - 1}));
  next.before_seq = kBucket - 1;
  EXPECT_EQ(Found(next), (std::vector<int64_t>{1}));
  next.before_seq = 1;
  EXPECT_TRUE(Found(next).empty());
}

TEST_P(AuditIndexTest, KeepsToTheTimeWindow) {
  AuditScan scan = Term();
  scan.from_ms = kBucket * 1000;             // from entry kBucket
  scan.until_ms = (2 * kBucket + 1) * 1000;  // up to entry 2 * kBucket
  EXPECT_EQ(Found(scan), (std::vector<int64_t>{2 * kBucket, 2 * kBucket - 1, kBucket}));
}

TEST_P(AuditIndexTest, AnUnknownTermFindsNothingAndAnotherTermFindsItsOwn) {
  AuditScan unknown = Term();
  unknown.term = 99;
  EXPECT_TRUE(Found(unknown).empty());
  AuditScan other = Term(2);
  other.term = kOtherTerm;
  EXPECT_EQ(Found(other), (std::vector<int64_t>{kEntries, kEntries - 1}));
}

TEST_P(AuditIndexTest, ARebuiltIndexIsFiledInBucketsToo) {
  ASSERT_TRUE(store_->Write([](Transaction& txn) -> Status {
    TRY(txn.BeginIndexRebuild());
    for (int64_t seq : kFiled) {
      std::vector<int64_t> terms{kTerm + 1};
      TRY(txn.PutRebuiltAuditIndex(seq, terms));
    }
    return txn.SwapInRebuiltIndexes();
  }));
  EXPECT_TRUE(Found(Term()).empty());
  AuditScan rebuilt = Term();
  rebuilt.term = kTerm + 1;
  EXPECT_EQ(Found(rebuilt), std::vector<int64_t>(kFiled.rbegin(), kFiled.rend()));
  // New entries go on being filed beside the rebuilt ones.
  ASSERT_TRUE(store_->Write([](Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(int64_t seq, txn.AppendAudit((kEntries + 1) * 1000, crypto::Bytes{1}));
    std::vector<int64_t> terms{kTerm + 1};
    return txn.PutAuditIndex(seq, terms);
  }));
  rebuilt.limit = 2;
  EXPECT_EQ(Found(rebuilt), (std::vector<int64_t>{kEntries + 1, 3 * kBucket + 5}));
}

// A damaged index (or log) with an entry number near 2^63: the walk goes from bucket to
// bucket as the index holds them, so it takes one step more, not 2^50.
TEST_P(AuditIndexTest, AWalkStepsOverBucketsTheIndexDoesNotHold) {
  ASSERT_TRUE(store_->Write([](Transaction& txn) -> Status {
    std::vector<int64_t> terms{kTerm};
    return txn.PutAuditIndex(std::numeric_limits<int64_t>::max() - 1, terms);
  }));
  EXPECT_EQ(Found(Term()), std::vector<int64_t>(kFiled.rbegin(), kFiled.rend()));
}

MEDVAULT_ON_EVERY_ENGINE(AuditIndexTest);

}  // namespace
}  // namespace medvault::store
