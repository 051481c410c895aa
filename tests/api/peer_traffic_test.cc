// Several nodes over one database: a node reads the audit log after its last entry,
// charges the other nodes' deliveries to its budget ledger and feeds their requests to
// its scorer, and leaves its own entries alone (it charged them when it served them).
// The log here is SQLite's, written through two AuditLogs that name two nodes: what is
// tested is the reading, not the engine (PostgreSQL's wake-up has its store test, and
// the two real servers their integration suite).
#include "api/peer_traffic.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

namespace medvault::api {
namespace {

class RecordedEvents final : public detect::EventSink {
 public:
  void Push(detect::DetectionEvent event) override { events.push_back(std::move(event)); }
  std::vector<detect::DetectionEvent> events;
};

audit::AuditEvent Read(std::string account, std::string patient, int64_t time_ms) {
  audit::AuditEvent e;
  e.time_ms = time_ms;
  e.request_id = "r-" + patient;
  e.account_id = std::move(account);
  e.role = "physician";
  e.session_id = "s-1";
  e.interaction = "read";
  e.resource_type = "Patient";
  e.resource_id = patient;
  e.patients = {patient};
  e.outside_care = std::vector<std::string>{};
  e.outcome = "success";
  e.status = 200;
  return e;
}

class PeerTrafficTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-peers-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    store_ = std::move(*store::OpenSqliteStore(dir_ + "/db", true));
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Append(const audit::AuditLog& log, const audit::AuditEvent& event) {
    ASSERT_TRUE(store_->Write([&](store::Transaction& t) -> Status {
      TRY(log.Append(t, event));
      return Ok();
    }));
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  ManualClock clock_{FromUnixMillis(10'000)};
  audit::AuditLog node_a_{keyring_, "node-a"};
  audit::AuditLog node_b_{keyring_, "node-b"};
  detect::BudgetLedger budgets_b_{detect::BudgetOptions{}};
  RecordedEvents scorer_b_;
};

TEST_F(PeerTrafficTest, TheOtherNodesDeliveriesAreChargedAndFedHereAndItsOwnAreNot) {
  PeerTraffic peers(*store_, node_b_, budgets_b_, &scorer_b_, clock_);
  Append(node_a_, Read("acc-1", "p1", 9000));
  Append(node_b_, Read("acc-1", "p2", 9100));  // node B's own: charged when it served it
  audit::AuditEvent refused = Read("acc-1", "p3", 9200);
  refused.status = 401;  // a step-up demand: nothing delivered
  Append(node_a_, refused);
  audit::AuditEvent escalation;  // the detector's own entry: no role, no request
  escalation.account_id = "acc-1";
  escalation.interaction = "detector-escalation";
  Append(node_a_, escalation);
  audit::AuditEvent restricted = Read("acc-1", "p4", 9300);
  restricted.outside_care.reset();  // grounds unknown: counted as outside care
  Append(node_a_, restricted);
  ASSERT_TRUE(store_->Write([](store::Transaction& t) {
    store::CompartmentRow p4;
    p4.id = "p4";
    p4.wrapped_dek = crypto::Bytes{1};
    p4.confidentiality = "R";
    return t.InsertCompartment(p4);
  }));

  ASSERT_TRUE(peers.CatchUp());
  EXPECT_EQ(peers.last_seq(), 5);
  EXPECT_EQ(peers.peer_entries(), 4);
  auto usage = budgets_b_.Usage("acc-1", identity::Role::kPhysician, 10'000);
  EXPECT_EQ(usage.patients_last_hour, 2) << "p1 and p4, not node B's p2 nor the refused p3";

  ASSERT_EQ(scorer_b_.events.size(), 3u) << "p1, the refusal and p4; not the escalation";
  const detect::DetectionEvent& first = scorer_b_.events[0];
  EXPECT_EQ(first.audit_seq, 1);
  EXPECT_EQ(first.kind, detect::DetectionEvent::Kind::kRead);
  ASSERT_EQ(first.patients.size(), 1u);
  EXPECT_TRUE(first.patients[0].in_care);
  EXPECT_FALSE(first.patients[0].confidential);
  EXPECT_EQ(scorer_b_.events[1].status, 401);
  const detect::DetectionEvent& last = scorer_b_.events[2];
  ASSERT_EQ(last.patients.size(), 1u);
  EXPECT_FALSE(last.patients[0].in_care);
  EXPECT_TRUE(last.patients[0].confidential) << "looked up: the entry does not say";

  // Nothing new: nothing counted twice.
  ASSERT_TRUE(peers.CatchUp());
  EXPECT_EQ(peers.peer_entries(), 4);
  EXPECT_EQ(scorer_b_.events.size(), 3u);
}

TEST_F(PeerTrafficTest, ItReadsOnlyWhatWasAppendedAfterItStartedAndInPages) {
  Append(node_a_, Read("acc-1", "before", 9000));
  PeerTrafficOptions options;
  options.page = 2;
  PeerTraffic peers(*store_, node_b_, budgets_b_, nullptr, clock_, options);
  ASSERT_TRUE(peers.Start());
  peers.Stop();  // the thread is not what this test is about
  for (int i = 0; i < 5; ++i) Append(node_a_, Read("acc-1", "p" + std::to_string(i), 9000 + i));
  ASSERT_TRUE(peers.CatchUp());
  EXPECT_EQ(peers.last_seq(), 6);
  EXPECT_EQ(budgets_b_.Usage("acc-1", identity::Role::kPhysician, 10'000).patients_last_hour, 5);
}

TEST(PeerTrafficEntries, DirectorySearchesAreKnownByTheMinimalIdentitiesTheySent) {
  audit::AuditEvent search = Read("acc-1", "p1", 1);
  search.interaction = "search";
  EXPECT_FALSE(DirectorySearch(search));
  search.minimal_identity = {"p1"};
  EXPECT_TRUE(DirectorySearch(search));
  EXPECT_TRUE(DeliveredPatientData(search));
  search.resource_type = "Observation";
  EXPECT_FALSE(DirectorySearch(search));
  audit::AuditEvent write = Read("acc-1", "p1", 1);
  write.interaction = "update";
  EXPECT_FALSE(DeliveredPatientData(write)) << "a write's answer echoes what was sent";
}

// A page of the practice's list served by the other node is a list here too (the
// list-harvest feature), and a page of one patient's records is not.
TEST(PeerTrafficEntries, APatientListServedElsewhereIsAListHere) {
  audit::AuditEvent list = Read("acc-1", "p1", 1);
  list.interaction = "search";
  list.patients = {"p1", "p2", "p3"};
  auto no_label = [](const std::string&) { return false; };
  auto event = PeerDetectionEvent(list, 7, no_label);
  ASSERT_TRUE(event.has_value());
  EXPECT_EQ(event->kind, detect::DetectionEvent::Kind::kSearch);
  EXPECT_TRUE(event->patient_list);
  list.resource_type = "Observation";
  event = PeerDetectionEvent(list, 8, no_label);
  ASSERT_TRUE(event.has_value());
  EXPECT_FALSE(event->patient_list);
}

}  // namespace
}  // namespace medvault::api
