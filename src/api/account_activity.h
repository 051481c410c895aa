// GET /security/accounts/{id}/activity's time series: what one account did over a
// window, in equal buckets, for the security officer's plot — requests, refusals,
// distinct patients whose data reached the account, and the detector's risk score. The
// requests come from the audit log (the account's own entries, found through the blind
// index and opened one by one); the risk score from the scorer's trail, which lives in
// memory only (a restarted server plots the risk from its start).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "api/json_fields.h"
#include "audit/audit_log.h"
#include "common/result.h"
#include "detect/risk_scorer.h"
#include "store/store.h"

namespace medvault::api {

struct ActivityBucket {
  int64_t start_ms = 0;
  int64_t requests = 0;        // the account's requests recorded in the bucket
  int64_t refused = 0;         // of which answered 401, 403 or 429
  int64_t patients = 0;        // distinct patients in the successful ones
  std::optional<double> risk;  // the highest score the scorer reached in it, if it scored
};

struct ActivitySeries {
  static constexpr int kBuckets = 60;
  // Entries opened at most: past this the older buckets are left short and `complete`
  // says so (a week of a scraper's requests is not plotted in one go).
  static constexpr int64_t kMaxEntries = 20'000;

  int64_t from_ms = 0;  // the first bucket's start
  int64_t bucket_ms = 0;
  std::vector<ActivityBucket> buckets;  // kBuckets of them, oldest first
  bool complete = true;
};

// The series of `account_id` over the `window_ms` ending at `now_ms` (buckets aligned on
// multiples of window / kBuckets, the last one holding `now_ms`). `scorer` may be null
// (risk scoring off): no bucket then has a risk.
Result<ActivitySeries> ReadActivitySeries(store::Reader& reader, const audit::AuditLog& log,
                                          const detect::RiskScorer* scorer,
                                          std::string_view account_id, int64_t now_ms,
                                          int64_t window_ms);

// {"from","until","bucket_seconds","complete","buckets":[{"start","requests","refused",
// "patients","risk"(null when none)}]}
void WriteActivitySeries(JsonWriter& w, const ActivitySeries& series);

}  // namespace medvault::api
