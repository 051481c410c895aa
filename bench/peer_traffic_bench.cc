// What following the other nodes costs a node (api/peer_traffic.h): the audit log of
// another node is read back, each entry opened, parsed, charged to the budget ledger and
// turned into a detection event; and, before every response with patient data, the
// request path asks the database whether anything is new (usually nothing).
//
//   peer_traffic_bench [ENTRIES [postgres]]
//
// Fills a fresh store with ENTRIES (default 20,000) entries of another node (a practice
// of 200 clinicians, bench/sample_audit_event.h), then prints: the catch-up over all of
// them (entries/s, µs per entry, wall time), and the mean cost of a catch-up that finds
// nothing (µs per call, 5,000 calls). `postgres` runs it on a throwaway PostgreSQL
// cluster (tests/support/throwaway_postgres.h: unix socket, fsync off) instead of
// SQLite in a temporary directory.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "api/peer_traffic.h"
#include "sample_audit_event.h"
#include "support/throwaway_postgres.h"

namespace {

using namespace medvault;
using Steady = std::chrono::steady_clock;

class CountingSink final : public detect::EventSink {
 public:
  void Push(detect::DetectionEvent event) override {
    patients += static_cast<int64_t>(event.patients.size());
    ++events;
  }
  int64_t events = 0;
  int64_t patients = 0;
};

double MicrosSince(Steady::time_point start) {
  return std::chrono::duration<double, std::micro>(Steady::now() - start).count();
}

int Run(store::Store& store, int64_t entries) {
  constexpr int64_t kAccounts = 200;
  constexpr int64_t kBatch = 500;
  const int64_t base_ms = 1'800'000'000'000;
  crypto::Keyring keyring(crypto::SecretKey::Random());
  audit::AuditLog other_node(keyring, "node-a");
  audit::AuditLog this_node(keyring, "node-b");
  for (int64_t first = 0; first < entries; first += kBatch) {
    Status written = store.Write([&](store::Transaction& t) -> Status {
      for (int64_t i = first; i < std::min(entries, first + kBatch); ++i)
        TRY(other_node.Append(t, bench::PracticeAuditEvent(base_ms + i, i, kAccounts)));
      return Ok();
    });
    if (!written) {
      std::fprintf(stderr, "filling the log failed: %s\n", written.error().message.c_str());
      return 1;
    }
  }
  ManualClock clock(FromUnixMillis(base_ms + entries));
  detect::BudgetLedger ledger(detect::BudgetOptions{});
  CountingSink sink;
  api::PeerTraffic peers(store, this_node, ledger, &sink, clock);

  auto start = Steady::now();
  if (Status caught = peers.CatchUp(); !caught) {
    std::fprintf(stderr, "catch-up failed: %s\n", caught.error().message.c_str());
    return 1;
  }
  double whole_us = MicrosSince(start);
  std::printf(
      "catch-up over %lld entries of another node: %.0f entries/s, %.1f us per entry "
      "(%.0f ms); %lld detection events, %zu accounts in the ledger\n",
      static_cast<long long>(peers.peer_entries()), entries / (whole_us / 1e6),
      whole_us / static_cast<double>(entries), whole_us / 1000, static_cast<long long>(sink.events),
      ledger.accounts());

  constexpr int kEmptyCalls = 5000;
  start = Steady::now();
  for (int i = 0; i < kEmptyCalls; ++i) {
    if (Status caught = peers.CatchUp(); !caught) return 1;
  }
  std::printf("catch-up finding nothing new (the request path's cost): %.1f us per call\n",
              MicrosSince(start) / kEmptyCalls);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t entries = argc > 1 ? std::atoll(argv[1]) : 20'000;
  bool on_postgres = argc > 2 && std::string(argv[2]) == "postgres";
  if (entries <= 0) {
    std::fprintf(stderr, "usage: %s [ENTRIES [postgres]]\n", argv[0]);
    return 2;
  }
  if (on_postgres) {
    testing::ThrowawayPostgres server;
    std::string error;
    if (!server.Start(error)) {
      std::fprintf(stderr, "%s\n", error.c_str());
      server.Stop();
      return 1;
    }
    std::string uri = server.CreateDatabase("peer_bench", error);
    int rc = 1;
    if (uri.empty()) {
      std::fprintf(stderr, "%s\n", error.c_str());
    } else if (auto store = store::OpenPostgresStore(uri, true); !store) {
      std::fprintf(stderr, "%s\n", store.error().message.c_str());
    } else {
      std::printf("PostgreSQL 15 (throwaway cluster, unix socket, fsync off)\n");
      rc = Run(**store, entries);
      (*store)->Close();
    }
    server.Stop();
    return rc;
  }
  char tmpl[] = "/tmp/medvault-peer-bench-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  int rc = 1;
  {
    auto store = store::OpenSqliteStore(dir + "/db", true);
    if (!store) {
      std::fprintf(stderr, "%s\n", store.error().message.c_str());
    } else {
      std::printf("SQLite (temporary directory)\n");
      rc = Run(**store, entries);
    }
  }
  std::filesystem::remove_all(dir);
  return rc;
}
