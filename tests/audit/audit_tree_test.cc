// The audit log's Merkle tree on the real SQLite store: the subtrees stored with each
// append give the same roots and proofs as a tree recomputed from the entries' canonical
// plaintext, even across rolled-back commits, a second writer and a restart; tree heads
// are signed over size, root and time.
#include <gtest/gtest.h>

#include <filesystem>

#include "audit/audit_log.h"
#include "crypto/encoding.h"

namespace medvault::audit {
namespace {

class StoreSubtrees final : public SubtreeSource {
 public:
  explicit StoreSubtrees(store::Reader& reader) : reader_(reader) {}
  Result<Hash> Subtree(uint32_t level, uint64_t index) const override {
    ASSIGN_OR_RETURN(auto row, reader_.AuditSubtree(level, index));
    if (!row) return Fail(ErrorCode::kNotFound, "missing subtree");
    return row->hash;
  }

 private:
  store::Reader& reader_;
};

class AuditTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-audit-tree-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    store_ = std::move(*store::OpenSqliteStore(dir_ + "/db", true));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Status AppendOne(const AuditLog& log, int i) {
    AuditEvent e;
    e.time_ms = 1'700'000'000'000 + i;
    e.request_id = "req-" + std::to_string(i);
    e.interaction = "read";
    e.outcome = "success";
    e.status = 200;
    return store_->Write([&](store::Transaction& t) -> Status {
      TRY(log.Append(t, e));
      return Ok();
    });
  }

  // Leaves recomputed from the stored entries' plaintext.
  std::vector<Hash> Leaves(const AuditLog& log) {
    std::vector<Hash> leaves;
    auto count = store_->reader().AuditCount();
    auto rows = store_->reader().AuditEntries(1, *count);
    for (const auto& row : *rows) {
      auto plain = log.OpenEntry(row);
      EXPECT_TRUE(plain.has_value());
      leaves.push_back(LeafHash(crypto::AsBytes(*plain)));
    }
    return leaves;
  }

  // The log holds `count` entries, and the stored subtrees give the recomputed root at
  // every size.
  void ExpectStoredRootsMatchTheEntries(const AuditLog& log, uint64_t count) {
    auto leaves = Leaves(log);
    ASSERT_EQ(leaves.size(), count);
    StoreSubtrees source(store_->reader());
    for (uint64_t size = 1; size <= count; ++size) {
      auto root = RootAt(size, source);
      ASSERT_TRUE(root.has_value());
      EXPECT_EQ(*root, RootOf(std::span<const Hash>(leaves).first(size))) << size;
    }
  }

  std::string dir_;
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  std::unique_ptr<store::Store> store_;
};

TEST_F(AuditTreeTest, StoredSubtreesMatchTheRecomputedTree) {
  AuditLog log(keyring_);
  StoreSubtrees source(store_->reader());
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(AppendOne(log, i));
    auto leaves = Leaves(log);
    ASSERT_EQ(leaves.size(), static_cast<size_t>(i + 1));
    auto root = RootAt(leaves.size(), source);
    ASSERT_TRUE(root.has_value()) << root.error().message;
    EXPECT_EQ(*root, RootOf(leaves)) << "size " << leaves.size();
  }
  auto leaves = Leaves(log);
  auto proof = InclusionProof(17, 40, source);
  ASSERT_TRUE(proof.has_value());
  EXPECT_TRUE(VerifyInclusion(leaves[17], 17, 40, *proof, RootOf(leaves)));
}

TEST_F(AuditTreeTest, SubtreesAreReadByTheAppendsThatCompletedThem) {
  AuditLog log(keyring_);
  for (int i = 0; i < 11; ++i) ASSERT_TRUE(AppendOne(log, i));
  store::Reader& reader = store_->reader();
  // Appending leaf 5 completes (0, 5) and (1, 2); leaf 6, (0, 6); leaf 7, (0, 7), (1, 3),
  // (2, 1) and (3, 0).
  auto rows = reader.AuditSubtreesCompletedBy(5, 8);
  ASSERT_TRUE(rows.has_value()) << rows.error().message;
  const std::vector<std::pair<uint32_t, uint64_t>> expected = {{0, 5}, {1, 2}, {0, 6}, {0, 7},
                                                               {1, 3}, {2, 1}, {3, 0}};
  ASSERT_EQ(rows->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*rows)[i].level, expected[i].first) << i;
    EXPECT_EQ((*rows)[i].index, expected[i].second) << i;
    EXPECT_EQ((*rows)[i].hash,
              reader.AuditSubtree(expected[i].first, expected[i].second).value()->hash);
  }
  // What lies past the end (11 leaves) is simply absent.
  EXPECT_EQ(reader.AuditSubtreesCompletedBy(10, 20).value().size(), 1u);
  EXPECT_TRUE(reader.AuditSubtreesCompletedBy(11, 20).value().empty());
}

TEST_F(AuditTreeTest, ARolledBackAppendAndAnotherWriterDoNotDerailTheTree) {
  AuditLog log(keyring_);
  ASSERT_TRUE(AppendOne(log, 0));
  ASSERT_TRUE(AppendOne(log, 1));
  // A job that appends and then fails is rolled back; the in-memory frontier had moved.
  AuditEvent e;
  e.request_id = "rolled-back";
  auto failed = store_->Write([&](store::Transaction& t) -> Status {
    TRY(log.Append(t, e));
    return Fail(ErrorCode::kConflict, "a later write failed");
  });
  EXPECT_FALSE(failed.has_value());
  // Another AuditLog (another process, e.g. `medvault user add`) appends meanwhile.
  AuditLog other(keyring_);
  ASSERT_TRUE(AppendOne(other, 2));
  ASSERT_TRUE(AppendOne(log, 3));
  ASSERT_TRUE(AppendOne(other, 4));
  ExpectStoredRootsMatchTheEntries(log, 5);
}

// The frontier is checked against the store once per transaction epoch; an undone
// append bumps the epoch, so a position refilled by another log is noticed.
TEST_F(AuditTreeTest, AnAppendUndoneInTheSameTransactionDoesNotDerailTheTree) {
  AuditLog log(keyring_);
  AuditLog other(keyring_);
  ASSERT_TRUE(AppendOne(log, 0));
  auto event = [](const char* id) {
    AuditEvent e;
    e.request_id = id;
    return e;
  };
  auto written = store_->Write([&](store::Transaction& t) -> Status {
    TRY(log.Append(t, event("kept")));
    Status undone = t.RunIsolated([&](store::Transaction& inner) -> Status {
      TRY(log.Append(inner, event("undone")));
      return Fail(ErrorCode::kConflict, "a later write failed");
    });
    EXPECT_FALSE(undone.has_value());
    TRY(other.Append(t, event("same position, other log")));
    TRY(log.Append(t, event("after")));
    return Ok();
  });
  ASSERT_TRUE(written.has_value()) << written.error().message;
  ExpectStoredRootsMatchTheEntries(log, 4);
}

TEST_F(AuditTreeTest, TreeHeadsAreSignedAndOnlyMadeWhenTheLogGrew) {
  AuditLog log(keyring_);
  auto key = crypto::SigningKey::Generate();
  auto next = [&](int64_t now) {
    std::optional<store::TreeHeadRow> head;
    EXPECT_TRUE(store_->Write([&](store::Transaction& t) -> Status {
      ASSIGN_OR_RETURN(head, log.NextTreeHead(t, key, now));
      if (head) TRY(t.InsertTreeHead(*head));
      return Ok();
    }));
    return head;
  };
  EXPECT_FALSE(next(1).has_value()) << "no head for an empty log";
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(AppendOne(log, i));
  auto head = next(2);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->size, 5);
  EXPECT_EQ(head->root, RootOf(Leaves(log)));
  EXPECT_TRUE(VerifyTreeHead(key.public_key(), *head));
  store::TreeHeadRow forged = *head;
  forged.size = 4;
  EXPECT_FALSE(VerifyTreeHead(key.public_key(), forged));
  EXPECT_FALSE(VerifyTreeHead(crypto::SigningKey::Generate().public_key(), *head));
  EXPECT_FALSE(next(3).has_value()) << "the log did not grow";
  ASSERT_TRUE(AppendOne(log, 5));
  auto later = next(4);
  ASSERT_TRUE(later.has_value());
  EXPECT_EQ(later->size, 6);
  auto heads = store_->reader().TreeHeads();
  ASSERT_TRUE(heads.has_value());
  ASSERT_EQ(heads->size(), 2u);
  auto proof = ConsistencyProof(5, 6, StoreSubtrees(store_->reader()));
  ASSERT_TRUE(proof.has_value());
  EXPECT_TRUE(VerifyConsistency(5, 6, (*heads)[0].root, (*heads)[1].root, *proof));
  EXPECT_EQ(TreeHeadText(6, later->root, 4).rfind("medvault audit log\n6\n", 0), 0u);
}

}  // namespace
}  // namespace medvault::audit
