// Key versions, re-wrapping, the blind-index swap and probe, and crypto-erasure: what a
// rotation or an erasure writes is what readers then see, and an erasure leaves no byte
// of what it removed in the database file or its WAL.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/engines.h"
#include "store/store.h"

namespace medvault::store {
namespace {

class KeyTablesTest : public ::testing::TestWithParam<StoreEngine> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-keys-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto opened = OpenTestStore(GetParam(), dir_);
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_->Close();
    std::filesystem::remove_all(dir_);
  }
  Status Write(const WriteJob& job) { return store_->Write(job); }

  // A patient compartment with a wrapped key of `kek_version` and two versions of its
  // Patient, indexed under `hash`.
  void AddPatient(const std::string& id, int kek_version, crypto::Bytes wrapped, int64_t hash) {
    ASSERT_TRUE(Write([&](Transaction& txn) -> Status {
      TRY(txn.InsertCompartment(CompartmentRow{id, kek_version, wrapped, "org", "", 1}));
      TRY(txn.PutResourceVersion(ResourceRow{"Patient", id, 1, id, 1, false, Body(id, 1)}));
      TRY(txn.PutResourceVersion(ResourceRow{"Patient", id, 2, id, 2, false, Body(id, 2)}));
      std::vector<int64_t> hashes{hash};
      return txn.ReplaceIndex("Patient", id, hashes);
    }));
  }
  static crypto::Bytes Body(const std::string& id, int version) {
    std::string text = "SEALED-BODY-" + id + "-v" + std::to_string(version);
    return crypto::Bytes(text.begin(), text.end());
  }
  std::string Slurp(const std::string& name) {
    std::ifstream in(dir_ + "/" + name, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::string dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(KeyTablesTest, AFreshDatabaseRecordsTheDerivedFirstVersions) {
  auto rows = store_->reader().KeyVersions();
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].purpose, "blind-index");
  EXPECT_EQ((*rows)[1].purpose, "kek");
  for (const KeyVersionRow& row : *rows) {
    EXPECT_EQ(row.version, 1);
    EXPECT_EQ(row.origin, "derived");
    EXPECT_EQ(row.state, "active");
  }
  KeyVersionRow again{"kek", 1, "file", {1}, 5, "active", 0};
  Status dup = Write([&](Transaction& txn) { return txn.InsertKeyVersion(again); });
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
}

TEST_P(KeyTablesTest, RewrappingIsACompareAndSwapPerDataKey) {
  AddPatient("p1", 1, {1, 1}, 11);
  AddPatient("p2", 1, {2, 2}, 22);
  ASSERT_TRUE(Write([](Transaction& txn) {
    return txn.InsertKeyVersion({"kek", 2, "file", {9}, 5, "active", 0});
  }));
  auto pending = store_->reader().DataKeysNotUnder(2, "", 10);
  ASSERT_TRUE(pending.has_value());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].compartment, "p1");
  auto after_p1 = store_->reader().DataKeysNotUnder(2, "p1", 10);
  ASSERT_EQ(after_p1->size(), 1u);

  bool swapped = false, stale = true;
  ASSERT_TRUE(Write([&](Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(swapped, txn.RewrapDataKey((*pending)[0], {"p1", 2, {7, 7}}));
    // p2 changed since it was read: the swap does nothing.
    ASSIGN_OR_RETURN(stale, txn.RewrapDataKey({"p2", 1, {9, 9}}, {"p2", 2, {8, 8}}));
    return Ok();
  }));
  EXPECT_TRUE(swapped);
  EXPECT_FALSE(stale);
  auto p1 = store_->reader().Compartment("p1");
  EXPECT_EQ((*p1)->kek_version, 2);
  EXPECT_EQ((*p1)->wrapped_dek, (crypto::Bytes{7, 7}));
  auto counts = store_->reader().DataKeysPerKekVersion();
  EXPECT_EQ(*counts, (std::vector<std::pair<int, int64_t>>{{1, 1}, {2, 1}}));
}

TEST_P(KeyTablesTest, NoDataKeyMayBeWrappedUnderARetiredVersion) {
  AddPatient("p1", 1, {1}, 11);
  ASSERT_TRUE(Write([](Transaction& txn) -> Status {
    TRY(txn.InsertKeyVersion({"kek", 2, "file", {9}, 5, "active", 0}));
    TRY(txn.RewrapDataKey({"p1", 1, {1}}, {"p1", 2, {2}}));
    return Ok();
  }));
  ASSERT_TRUE(Write([](Transaction& txn) -> Status {
    EXPECT_EQ(*txn.CountDataKeysUnder(1), 0);
    return txn.SetKeyVersionState("kek", 1, "retired", 7);
  }));
  auto late = Write([](Transaction& txn) {
    return txn.InsertCompartment(CompartmentRow{"p9", 1, {3}, "org", "", 1});
  });
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().code, ErrorCode::kConflict);
  auto back = Write([](Transaction& txn) -> Status {
    TRY(txn.RewrapDataKey({"p1", 2, {2}}, {"p1", 1, {4}}));
    return Ok();
  });
  EXPECT_FALSE(back.has_value());
  auto unknown =
      Write([](Transaction& txn) { return txn.SetKeyVersionState("kek", 5, "retired", 7); });
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(KeyTablesTest, TheRebuiltIndexesReplaceTheOldOnesAtOnce) {
  AddPatient("p1", 1, {1}, 11);
  ASSERT_TRUE(Write([](Transaction& txn) -> Status {
    std::vector<int64_t> terms{500};
    return txn.PutAuditIndex(1, terms);
  }));
  ASSERT_TRUE(Write([](Transaction& txn) -> Status {
    TRY(txn.BeginIndexRebuild());
    std::vector<int64_t> hashes{111}, terms{600};
    TRY(txn.PutRebuiltIndex("Patient", "p1", hashes));
    return txn.PutRebuiltAuditIndex(1, terms);
  }));
  // Until the swap, searches see the index in use.
  EXPECT_EQ(store_->reader().IdsWithIndex("Patient", 11)->size(), 1u);
  EXPECT_TRUE(store_->reader().IdsWithIndex("Patient", 111)->empty());
  ASSERT_TRUE(Write([](Transaction& txn) { return txn.SwapInRebuiltIndexes(); }));
  EXPECT_TRUE(store_->reader().IdsWithIndex("Patient", 11)->empty());
  EXPECT_EQ(*store_->reader().IdsWithIndex("Patient", 111), std::vector<std::string>{"p1"});
  AuditScan scan;
  scan.term = 600;
  ASSERT_TRUE(Write([](Transaction& txn) -> Status {
    TRY(txn.AppendAudit(1, crypto::Bytes{1}));
    return Ok();
  }));
  EXPECT_EQ(store_->reader().AuditEntriesBefore(scan)->size(), 1u);
  scan.term = 500;
  EXPECT_TRUE(store_->reader().AuditEntriesBefore(scan)->empty());
  // Writes after the swap use the swapped-in table, and a second rotation works again.
  ASSERT_TRUE(Write([](Transaction& txn) {
    std::vector<int64_t> hashes{222};
    return txn.ReplaceIndex("Patient", "p1", hashes);
  }));
  EXPECT_EQ(store_->reader().IdsWithIndex("Patient", 222)->size(), 1u);
  ASSERT_TRUE(Write([](Transaction& txn) -> Status {
    TRY(txn.BeginIndexRebuild());
    return txn.SwapInRebuiltIndexes();
  }));
  EXPECT_TRUE(store_->reader().IdsWithIndex("Patient", 222)->empty());
}

// The detector's namesake check reads the hashes one resource is filed under, and
// only that resource's.
TEST_P(KeyTablesTest, TheHashesOfOneResourceAreReadBack) {
  AddPatient("p1", 1, {1}, 11);
  AddPatient("p2", 1, {1}, 12);
  ASSERT_TRUE(Write([](Transaction& txn) {
    std::vector<int64_t> hashes{13, 11};
    return txn.ReplaceIndex("Patient", "p1", hashes);
  }));
  Reader& reader = store_->reader();
  auto p1 = reader.IndexHashesOf("Patient", "p1");
  ASSERT_TRUE(p1.has_value()) << p1.error().message;
  std::ranges::sort(*p1);
  EXPECT_EQ(*p1, (std::vector<int64_t>{11, 13}));
  auto p2 = reader.IndexHashesOf("Patient", "p2");
  ASSERT_TRUE(p2.has_value()) << p2.error().message;
  EXPECT_EQ(*p2, std::vector<int64_t>{12});
  auto other_type = reader.IndexHashesOf("Practitioner", "p1");
  ASSERT_TRUE(other_type.has_value()) << other_type.error().message;
  EXPECT_TRUE(other_type->empty());
}

TEST_P(KeyTablesTest, ErasureRemovesThePatientAndLeavesNoByteOfItInTheFiles) {
  const crypto::Bytes wrapped = {'W', 'R', 'A', 'P', 'P', 'E', 'D',
                                 '-', 'K', 'E', 'Y', '-', 'p', '1'};
  AddPatient("p1", 1, wrapped, 11);
  AddPatient("p2", 1, {2, 2}, 22);
  ASSERT_TRUE(Write([](Transaction& txn) -> Status {
    CareLinkRow link{"p1", "prac-1", "team-1"};
    TRY(txn.ReplaceCareLinks("team-1", std::span<const CareLinkRow>(&link, 1)));
    TRY(txn.InsertGrant(
        GrantRow{"g1", "acct", "p1", "ETREAT", {'R', 'E', 'A', 'S', 'O', 'N'}, 1, 2}));
    AlertRow alert;
    alert.account_id = "acct";
    alert.severity = "medium";
    alert.kind = "break-glass";
    alert.patient_id = "p1";
    alert.detail = {'D', 'E', 'T', 'A', 'I', 'L'};
    TRY(txn.InsertAlert(alert));
    return Ok();
  }));
  const bool sqlite = GetParam() == StoreEngine::kSqlite;
  if (sqlite) {
    EXPECT_NE(Slurp("medvault.db-wal").find("SEALED-BODY-p1-v1"), std::string::npos);
  }

  ErasureCounts counts;
  ASSERT_TRUE(Write([&](Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(PatientNotes notes, txn.NotesAboutPatient("p1"));
    EXPECT_EQ(notes.alerts.size(), 1u);
    EXPECT_EQ(notes.grants.size(), 1u);
    PatientNoteRewrites rewrites;
    rewrites.alerts.push_back({notes.alerts[0].id, {'X'}, {}});
    rewrites.grants.push_back({"g1", {'Y'}});
    ASSIGN_OR_RETURN(counts, txn.ErasePatient("p1", 1234, rewrites));
    return Ok();
  }));
  EXPECT_TRUE(counts.data_key_destroyed);
  EXPECT_EQ(counts.resources, 1);
  EXPECT_EQ(counts.versions, 2);
  EXPECT_EQ(counts.index_entries, 1);
  EXPECT_EQ(counts.care_links, 1);
  EXPECT_EQ(counts.notes_blanked, 2);

  Reader& reader = store_->reader();
  EXPECT_FALSE(*reader.Compartment("p1"));
  EXPECT_FALSE(*reader.Current("Patient", "p1"));
  EXPECT_TRUE(reader.History("Patient", "p1")->empty());
  EXPECT_TRUE(reader.IdsWithIndex("Patient", 11)->empty());
  EXPECT_EQ(*reader.ErasedAt("p1"), 1234);
  EXPECT_FALSE(*reader.ErasedAt("p2"));
  EXPECT_TRUE(*reader.Current("Patient", "p2"));  // the other patient is untouched
  EXPECT_EQ(reader.GrantsSince("acct", 0)->front().reason, crypto::Bytes{'Y'});

  // SQLite: the WAL was checkpointed and truncated after the commit; the database file
  // has the deleted rows overwritten. (PostgreSQL has no such guarantee on its files:
  // docs/OPERATIONS.md.)
  if (sqlite) {
    EXPECT_EQ(std::filesystem::file_size(dir_ + "/medvault.db-wal"), 0u);
    for (const char* file : {"medvault.db", "medvault.db-wal"}) {
      std::string bytes = Slurp(file);
      for (const std::string needle : {"SEALED-BODY-p1", "WRAPPED-KEY-p1", "REASON", "DETAIL"})
        EXPECT_EQ(bytes.find(needle), std::string::npos) << needle << " in " << file;
    }
    EXPECT_NE(Slurp("medvault.db").find("SEALED-BODY-p2"), std::string::npos);
  }

  // Erased once, for ever: the id is never reused, and erasing again finds nothing.
  auto reuse = Write([](Transaction& txn) {
    return txn.InsertCompartment(CompartmentRow{"p1", 1, {5}, "org", "", 9});
  });
  EXPECT_EQ(reuse.error().code, ErrorCode::kConflict);
  auto again = Write([](Transaction& txn) -> Status {
    TRY(txn.ErasePatient("p1", 9, {}));
    return Ok();
  });
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

MEDVAULT_ON_EVERY_ENGINE(KeyTablesTest);

}  // namespace
}  // namespace medvault::store
