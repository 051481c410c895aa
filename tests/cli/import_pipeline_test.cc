// The import pipeline through the real store of each engine: batches share a
// transaction, and a batch that fails at write time inside one leaves exactly itself
// out: the transaction rolls back, and the other batches go in again without it.
#include "cli/import_pipeline.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "cli/data_dir.h"
#include "cli/runtime.h"
#include "support/throwaway_postgres.h"

namespace medvault::cli {
namespace {

enum class Engine { kSqlite, kPostgres };

std::string Patient(const std::string& id) {
  return R"({"resourceType":"Patient","id":")" + id +
         R"(","name":[{"family":"Aubert","given":["Zoé"]}],"birthDate":"1975-04-02"})";
}

std::string Observation(const std::string& id, const std::string& patient) {
  return R"({"resourceType":"Observation","id":")" + id +
         R"(","status":"final","code":{"text":"pouls"},"subject":{"reference":"Patient/)" +
         patient + R"("}})";
}

// A batch of a patient and an observation of `observed` (the patient itself by default).
std::vector<ImportItem> Batch(const std::string& name, std::string observed = "") {
  if (observed.empty()) observed = "p" + name;
  return {{"test.ndjson:p" + name, Patient("p" + name)},
          {"test.ndjson:o" + name, Observation("o" + name, observed)}};
}

class ImportPipelineTest : public ::testing::TestWithParam<Engine> {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/medvault-import-pipeline-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    tmp_ = dir;
    std::string database;
    if (GetParam() == Engine::kPostgres) {
      std::string error;
      const testing::ThrowawayPostgres* server = testing::SharedPostgres(error);
      ASSERT_NE(server, nullptr) << error;
      static std::atomic<int> next{0};
      database = server->CreateDatabase(
          "import" + std::to_string(::getpid()) + "_" + std::to_string(next++), error);
      ASSERT_FALSE(database.empty()) << error;
    }
    ASSERT_TRUE(InitializeDataDir(DataDir{tmp_ + "/data"}, database));
    auto rt = OpenRuntime(tmp_ + "/data", nullptr, store::StoreOptions{.bulk_load = true});
    ASSERT_TRUE(rt) << rt.error().message;
    rt_ = std::move(*rt);
    importer_ = std::make_unique<Importer>(*rt_);
  }
  void TearDown() override {
    importer_.reset();
    rt_.reset();
    std::filesystem::remove_all(tmp_);
  }

  // Every batch waits for Finish, which commits them all in one transaction.
  ImportPipeline OneGroup() {
    return ImportPipeline(*importer_, {.group_resources = 1000, .first_group_resources = 1000},
                          [this](const std::vector<ImportItem>& items, const Error& e) {
                            rejected_.push_back(items.front().where + " " + e.message);
                          });
  }
  bool Present(const std::string& type, const std::string& id) {
    auto row = rt_->store->reader().Current(type, id);
    EXPECT_TRUE(row) << row.error().message;
    return row && row->has_value();
  }
  int64_t AuditEntries() {
    auto n = rt_->store->reader().AuditCount();
    EXPECT_TRUE(n) << n.error().message;
    return n.value_or(-1);
  }
  // Files a resource with `id` behind the importer's back, after it checked the id was
  // free: the batch that carries the id fails at write time.
  void TakeId(const std::string& type, const std::string& id) {
    store::ResourceRow row{
        type, id, 1, std::string(store::kDirectoryCompartment), 1, false, crypto::Bytes{1, 2, 3}};
    ASSERT_TRUE(
        rt_->store->Write([&](store::Transaction& txn) { return txn.PutResourceVersion(row); }));
  }

  std::string tmp_;
  std::unique_ptr<Runtime> rt_;
  std::unique_ptr<Importer> importer_;
  std::vector<std::string> rejected_;
};

TEST_P(ImportPipelineTest, BatchesShareATransactionAndEachHasItsAuditEntry) {
  int64_t before = AuditEntries();
  ImportPipeline pipeline = OneGroup();
  for (const char* name : {"a", "b", "c"}) pipeline.Add(Batch(name));
  EXPECT_FALSE(Present("Patient", "pa"));  // nothing committed before the group is full
  pipeline.Finish();
  EXPECT_EQ(pipeline.tally().imported, 6);
  EXPECT_EQ(pipeline.tally().rejected, 0);
  for (const char* id : {"pa", "pb", "pc"}) EXPECT_TRUE(Present("Patient", id)) << id;
  for (const char* id : {"oa", "ob", "oc"}) EXPECT_TRUE(Present("Observation", id)) << id;
  EXPECT_EQ(AuditEntries() - before, 3);
  EXPECT_TRUE(rejected_.empty());
}

TEST_P(ImportPipelineTest, ABatchThatFailsAtWriteTimeLeavesOnlyItselfOutOfItsGroup) {
  int64_t before = AuditEntries();
  ImportPipeline pipeline = OneGroup();
  pipeline.Add(Batch("a"));
  pipeline.Add(Batch("b"));
  TakeId("Observation", "ob");
  pipeline.Add(Batch("c"));
  pipeline.Finish();
  EXPECT_EQ(pipeline.tally().imported, 4);
  EXPECT_EQ(pipeline.tally().rejected, 2);
  EXPECT_EQ(pipeline.tally().bad_batches, 1);
  ASSERT_EQ(rejected_.size(), 1u);
  EXPECT_EQ(rejected_[0].rfind("test.ndjson:pb ", 0), 0u) << rejected_[0];
  for (const char* id : {"pa", "pc"}) EXPECT_TRUE(Present("Patient", id)) << id;
  for (const char* id : {"oa", "oc"}) EXPECT_TRUE(Present("Observation", id)) << id;
  EXPECT_FALSE(Present("Patient", "pb"));  // its batch is out whole
  auto taken = rt_->store->reader().Current("Observation", "ob");
  ASSERT_TRUE(taken && *taken);
  EXPECT_EQ((*taken)->compartment, store::kDirectoryCompartment);  // not the import's
  EXPECT_EQ(AuditEntries() - before, 2);                           // the batches that went in
}

TEST_P(ImportPipelineTest, ABatchLeaningOnAFailedBatchsPatientIsRejectedWhenPreparedAgain) {
  ImportPipeline pipeline = OneGroup();
  pipeline.Add(Batch("a"));
  pipeline.Add(Batch("b"));
  TakeId("Observation", "ob");
  pipeline.Add(Batch("c", "pb"));  // an observation of pb, whose batch will fail
  pipeline.Add(Batch("d"));
  pipeline.Finish();
  EXPECT_EQ(pipeline.tally().imported, 4);
  EXPECT_EQ(pipeline.tally().bad_batches, 2);
  ASSERT_EQ(rejected_.size(), 2u);
  EXPECT_EQ(rejected_[0].rfind("test.ndjson:pb ", 0), 0u) << rejected_[0];
  EXPECT_NE(rejected_[1].find("test.ndjson:oc"), std::string::npos) << rejected_[1];
  for (const char* id : {"pa", "pd"}) EXPECT_TRUE(Present("Patient", id)) << id;
  for (const char* id : {"pb", "pc"}) EXPECT_FALSE(Present("Patient", id)) << id;
  EXPECT_FALSE(Present("Observation", "oc"));
}

TEST_P(ImportPipelineTest, GroupsGrowFromOneBatchAndEveryBatchGoesIn) {
  int64_t before = AuditEntries();
  ImportPipeline pipeline(*importer_, {.group_resources = 6, .first_group_resources = 1},
                          [](const std::vector<ImportItem>&, const Error&) {});
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g"}) pipeline.Add(Batch(name));
  pipeline.Finish();
  EXPECT_EQ(pipeline.tally().imported, 14);
  for (const char* id : {"pa", "pd", "pg"}) EXPECT_TRUE(Present("Patient", id)) << id;
  EXPECT_EQ(AuditEntries() - before, 7);
}

std::string EngineName(const ::testing::TestParamInfo<Engine>& engine) {
  return engine.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

INSTANTIATE_TEST_SUITE_P(Engines, ImportPipelineTest,
                         ::testing::Values(Engine::kSqlite, Engine::kPostgres), EngineName);

}  // namespace
}  // namespace medvault::cli
