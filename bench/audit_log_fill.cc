// Fills the audit log of a data directory with generated entries and signed tree heads,
// to measure `medvault audit verify` on a long log:
//
//   medvault init --data DIR
//   audit_log_fill DIR ENTRIES [HEADS [ACCOUNTS]]
//
// Appends ENTRIES entries (sealed with the directory's audit key, with their Merkle
// subtrees, through AuditLog::Append as the server does) in transactions of 10,000, and
// signs a tree head with the directory's signing key after every ENTRIES / HEADS
// (default 20) entries, as a server signs them while it runs. With ACCOUNTS, the entries
// are a practice's traffic (PracticeAuditEvent: that many accounts, interleaved, each
// with its patients), for `breach_report_bench`; without, each has fresh ids. A second
// run appends after the first, its times continuing from the log's last entry.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "audit/tree_head_publisher.h"
#include "cli/runtime.h"
#include "sample_audit_event.h"

int main(int argc, char** argv) {
  using namespace medvault;
  if (argc < 3) {
    std::cerr << "usage: audit_log_fill DIR ENTRIES [HEADS [ACCOUNTS]]\n";
    return 2;
  }
  const int64_t entries = std::atoll(argv[2]);
  const int64_t heads = argc > 3 ? std::max(1LL, std::atoll(argv[3])) : 20;
  const int64_t accounts = argc > 4 ? std::max(0LL, std::atoll(argv[4])) : 0;
  auto rt = cli::OpenRuntime(argv[1]);
  if (!rt) {
    std::cerr << "audit_log_fill: " << rt.error().message << "\n";
    return 1;
  }
  cli::Runtime& r = **rt;
  audit::TreeHeadPublisher publisher(*r.store, *r.audit, *r.signing_key, r.clock);
  constexpr int64_t kPerTransaction = 10'000;
  const int64_t per_head = std::max<int64_t>(1, entries / heads);
  int64_t time_ms = 1'800'000'000'000;
  auto existing = r.store->reader().AuditLastSequence();
  const int64_t before = existing ? *existing : 0;
  time_ms += before;  // one millisecond an entry, as the first run counted
  for (int64_t done = 0; done < entries;) {
    const int64_t until_head = per_head - done % per_head;
    const int64_t batch = std::min({kPerTransaction, entries - done, until_head});
    Status written = r.store->Write([&](store::Transaction& txn) -> Status {
      for (int64_t i = 0; i < batch; ++i)
        TRY(r.audit->Append(
            txn, accounts > 0 ? bench::PracticeAuditEvent(++time_ms, before + done + i, accounts)
                              : bench::SampleAuditEvent(++time_ms)));
      return Ok();
    });
    if (written) done += batch;
    if (written && done % per_head == 0) written = publisher.PublishNow();
    if (!written) {
      std::cerr << "audit_log_fill: " << written.error().message << "\n";
      return 1;
    }
  }
  if (Status last = publisher.PublishNow(); !last) {
    std::cerr << "audit_log_fill: " << last.error().message << "\n";
    return 1;
  }
  std::cout << "appended " << entries << " entries to " << argv[1] << "\n";
  return 0;
}
