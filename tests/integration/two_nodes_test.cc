// Two `medvault serve` processes over one PostgreSQL database (issue 10, "several nodes,
// one truth"): a session opened on one node works on the other, an account that
// alternates between them is stopped within the budget of one node, a containment
// applied on one node refuses the next request on the other, and the one audit log both
// wrote verifies.
//
// PostgreSQL only (MEDVAULT_TEST_ENGINE=postgres; CTest runs this suite so, on the
// throwaway cluster): an SQLite data directory has one server.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <set>
#include <sstream>
#include <thread>

#include "audit_events.h"
#include "practice_fixture.h"
#include "sample_resources.h"
#include "store/postgres/connection.h"

namespace medvault::testing {
namespace {

// An integer setting of medvault.toml ("name = value"), or -1.
int64_t Setting(const std::string& config_file, const std::string& name) {
  std::ifstream in(config_file);
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string key, equals;
    int64_t value = -1;
    if (words >> key >> equals >> value && key == name && equals == "=") return value;
  }
  return -1;
}

class TwoNodes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!OnPostgres()) return;
    // A small hourly budget, so that the test reaches it in a few requests; the bound
    // is read back from the configuration below, whatever it is.
    practice_ =
        StartPractice({{"physician_patients_per_hour = 40", "physician_patients_per_hour = 6"}})
            .release();
    // Node B: a copy of node A's data directory (the same master key, signing key, TLS
    // certificate and [storage] database), served by a second process.
    node_b_dir_ = new TempDir();
    const std::string b_data = node_b_dir_->path() + "/data";
    std::filesystem::copy(practice_->data_dir, b_data, std::filesystem::copy_options::recursive);
    node_b_ = new ServerProcess(b_data, node_b_dir_->path() + "/server.log");
  }
  static void TearDownTestSuite() {
    delete node_b_;
    delete node_b_dir_;
    delete practice_;
  }
  void SetUp() override {
    if (!OnPostgres())
      GTEST_SKIP() << "several nodes share a PostgreSQL database; this run uses SQLite (set "
                      "MEDVAULT_TEST_ENGINE=postgres; CTest's integration.TwoNodes does)";
  }

  // A client of node B on the session `username` opened on node A.
  static std::unique_ptr<HttpsClient> OnNodeB(const std::string& username) {
    auto client =
        std::make_unique<HttpsClient>(node_b_->url(), practice_->data_dir + "/tls/server.crt");
    client->set_bearer(practice_->as(username).bearer());
    return client;
  }
  // The patients node A's ledger counts for `account` in the last hour, once it reaches
  // `expected` (or after 10 s, whatever it is then). Asked as the security officer: that
  // request charges nothing, so node A does not catch up for it.
  static int64_t CountedOnNodeA(const std::string& account, int64_t expected) {
    auto start = std::chrono::steady_clock::now();
    int64_t seen = -1;
    while (std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
      auto activity =
          practice_->as("security_officer").Get("/security/accounts/" + account + "/activity");
      EXPECT_EQ(activity.status, 200) << activity.body;
      if (activity.status != 200) return -1;
      seen = Json(activity.body)["budgets"]["patients_last_hour"].GetInt64();
      if (seen == expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return seen;
  }

  static Practice* practice_;
  static TempDir* node_b_dir_;
  static ServerProcess* node_b_;
};
Practice* TwoNodes::practice_ = nullptr;
TempDir* TwoNodes::node_b_dir_ = nullptr;
ServerProcess* TwoNodes::node_b_ = nullptr;

TEST_F(TwoNodes, AnAttackSplitOverBothNodesIsStoppedWithinOneNodesBudget) {
  // The tightest of a physician's patient budgets: where one node stops an account.
  const std::string config = practice_->data_dir + "/medvault.toml";
  int64_t bound = std::numeric_limits<int64_t>::max();
  for (const char* name : {"physician_patients_per_10_minutes", "physician_patients_per_hour",
                           "physician_patients_per_day"}) {
    int64_t limit = Setting(config, name);
    ASSERT_GT(limit, 0) << name;
    bound = std::min(bound, limit);
  }

  practice_->AddAccount("dr.split", "physician", practice_->organization_id);
  HttpsClient& on_a = practice_->as("dr.split");
  std::vector<std::string> patients;
  for (int64_t i = 0; i < bound + 3; ++i) {
    auto r = on_a.Request(
        "POST", "/fhir/Patient",
        PatientJson("Split" + std::to_string(i), "Test", "1971-01-01", practice_->organization_id));
    ASSERT_EQ(r.status, 201) << r.body;
    patients.push_back(IdFromLocation(r));
  }
  // The session opened on node A works on node B.
  auto on_b = OnNodeB("dr.split");
  auto me = on_b->Get("/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;

  // The scraper alternates nodes, one patient per request: A, B, A, B …
  int64_t delivered = 0;
  HttpResponse stopped;
  std::set<std::string> request_ids_b;
  for (size_t i = 0; i < patients.size(); ++i) {
    HttpsClient& node = i % 2 == 0 ? on_a : *on_b;
    auto r = node.Get("/fhir/Patient/" + patients[i]);
    if (i % 2 == 1) request_ids_b.insert(r.Header("x-request-id"));
    if (r.status != 200) {
      stopped = r;
      break;
    }
    ++delivered;
  }
  EXPECT_EQ(delivered, bound) << "one node delivers " << bound << " patients, then stops";
  EXPECT_TRUE(stopped.status == 401 || stopped.status == 429) << stopped.status << stopped.body;
  EXPECT_NE(stopped.body.find("budget"), std::string::npos) << stopped.body;
  for (const std::string& id : patients)
    EXPECT_EQ(stopped.body.find(id), std::string::npos) << "no data leaves";

  // One audit log: the requests node B answered are in it, beside node A's.
  auto events = SearchAuditEvents(practice_->as("security_officer"), "agent-name=dr.split");
  std::set<std::string> logged, observers;
  for (const Event& e : events) {
    logged.insert(e.request_id);
    observers.insert(e.observer);
  }
  // Each entry names the node that recorded it: two nodes, two names.
  EXPECT_EQ(observers.size(), 2u);
  for (const std::string& observer : observers)
    EXPECT_TRUE(observer.starts_with("medvault node ")) << observer;
  for (const std::string& id : request_ids_b) {
    EXPECT_FALSE(id.empty());
    EXPECT_TRUE(logged.contains(id)) << "node B's request " << id << " is not in the log";
  }
  EXPECT_GT(logged.size(), request_ids_b.size() + static_cast<size_t>(bound));
}

TEST_F(TwoNodes, AContainmentOnOneNodeRefusesTheNextRequestOnTheOther) {
  practice_->AddAccount("dr.contained", "physician", practice_->organization_id);
  const std::string account = practice_->AccountId("dr.contained");
  auto on_b = OnNodeB("dr.contained");
  ASSERT_EQ(on_b->Get("/fhir/Organization?_count=1").status, 200);

  ASSERT_EQ(practice_->Contain(account, "lock").status, 200);
  auto refused = on_b->Get("/fhir/Organization?_count=1");
  EXPECT_EQ(refused.status, 401) << refused.body;

  // A step-up demand made on node A holds on node B too, until a fresh code.
  EXPECT_EQ(practice_->Contain(account, "unlock").status, 200);
  practice_->clients["dr.contained"] = practice_->LoginAs("dr.contained");
  on_b = OnNodeB("dr.contained");
  ASSERT_EQ(on_b->Get("/fhir/Organization?_count=1").status, 200);
  ASSERT_EQ(practice_->Contain(account, "step-up").status, 200);
  auto asked = on_b->Get("/fhir/Organization?_count=1");
  EXPECT_EQ(asked.status, 401) << asked.body;
  EXPECT_NE(asked.body.find("step-up required"), std::string::npos) << asked.body;
}

// Without a request on node A to make it catch up, node A's follower (woken by the
// NOTIFY of node B's commit) counts what node B delivered.
TEST_F(TwoNodes, ANodeLearnsOfTheOtherNodesDeliveriesWithoutBeingAsked) {
  practice_->AddAccount("dr.follow", "physician", practice_->organization_id);
  const std::string account = practice_->AccountId("dr.follow");
  std::vector<std::string> patients;
  for (int i = 0; i < 2; ++i) {  // writes: nothing charged, nothing caught up
    auto r = practice_->as("dr.follow")
                 .Request("POST", "/fhir/Patient",
                          PatientJson("Follow" + std::to_string(i), "Test", "1971-01-01",
                                      practice_->organization_id));
    ASSERT_EQ(r.status, 201) << r.body;
    patients.push_back(IdFromLocation(r));
  }
  auto on_b = OnNodeB("dr.follow");
  for (const std::string& patient : patients)
    ASSERT_EQ(on_b->Get("/fhir/Patient/" + patient).status, 200);
  auto read_at = std::chrono::steady_clock::now();
  EXPECT_EQ(CountedOnNodeA(account, 2), 2);
  std::cout << "node A counted node B's deliveries "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                   std::chrono::steady_clock::now() - read_at)
                   .count()
            << " ms after node B answered (an officer's request included)\n";
}

// The connections the nodes listen on are cut (a database restart, a network cut): the
// followers listen again and read from where they stopped; nothing node B delivered
// meanwhile is missed by node A.
TEST_F(TwoNodes, AFollowerWhoseConnectionIsCutListensAgainAndMissesNothing) {
  auto admin = store::postgres::Connection::Open(practice_->database_uri);
  ASSERT_TRUE(admin) << admin.error().message;
  auto cut = (*admin)->Prepare(
      "SELECT count(pg_terminate_backend(pid, 10000)) FROM pg_stat_activity WHERE datname = "
      "current_database() AND query LIKE 'LISTEN%'");
  ASSERT_TRUE(cut);
  ASSERT_TRUE((*cut)->Step()) << (*cut)->status().error().message;
  EXPECT_EQ((*cut)->Int(0), 2) << "one listening connection per node";
  practice_->AddAccount("dr.cut", "physician", practice_->organization_id);
  const std::string account = practice_->AccountId("dr.cut");
  auto r = practice_->as("dr.cut").Request(
      "POST", "/fhir/Patient",
      PatientJson("Cut", "Test", "1971-01-01", practice_->organization_id));
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(OnNodeB("dr.cut")->Get("/fhir/Patient/" + IdFromLocation(r)).status, 200);
  EXPECT_EQ(CountedOnNodeA(account, 1), 1);
}

// Last (the suite's order is the file's): both nodes stop, and the log they both wrote
// verifies as one tree, with tree heads signed over entries of both.
TEST_F(TwoNodes, TheLogBothNodesWroteVerifies) {
  EXPECT_EQ(node_b_->Stop(), 0);
  EXPECT_EQ(practice_->server->Stop(), 0);
  EXPECT_GT(AuditEntriesVerified(practice_->data_dir), 0);
}

}  // namespace
}  // namespace medvault::testing
