#include "api/account_activity.h"

#include <set>
#include <string>

#include "audit/audit_search.h"
#include "common/time_format.h"

namespace medvault::api {
namespace {

// The detector's own entries name the account they escalated: not its requests.
constexpr std::string_view kDetectorInteraction = "detector-escalation";

bool Refused(int status) { return status == 401 || status == 403 || status == 429; }

std::string Instant(int64_t ms) { return FormatInstant(FromUnixMillis(ms)); }

}  // namespace

Result<ActivitySeries> ReadActivitySeries(store::Reader& reader, const audit::AuditLog& log,
                                          const detect::RiskScorer* scorer,
                                          std::string_view account_id, int64_t now_ms,
                                          int64_t window_ms) {
  ActivitySeries series;
  series.bucket_ms = std::max<int64_t>(1, window_ms / ActivitySeries::kBuckets);
  const int64_t until = (now_ms / series.bucket_ms + 1) * series.bucket_ms;
  series.from_ms = until - series.bucket_ms * ActivitySeries::kBuckets;
  series.buckets.resize(ActivitySeries::kBuckets);
  for (int i = 0; i < ActivitySeries::kBuckets; ++i)
    series.buckets[i].start_ms = series.from_ms + i * series.bucket_ms;
  auto bucket_of = [&](int64_t time_ms) -> ActivityBucket* {
    if (time_ms < series.from_ms || time_ms >= until) return nullptr;
    return &series.buckets[(time_ms - series.from_ms) / series.bucket_ms];
  };

  std::vector<std::set<std::string, std::less<>>> patients(ActivitySeries::kBuckets);
  audit::AuditCriteria criteria;
  criteria.account_id = std::string(account_id);
  criteria.from_ms = series.from_ms;
  criteria.until_ms = until;
  criteria.max_events = 1000;
  int64_t opened = 0;
  for (;;) {
    ASSIGN_OR_RETURN(audit::AuditSearchPage page, audit::SearchAudit(reader, log, criteria));
    for (const audit::FoundEntry& found : page.entries) {
      ++opened;
      const audit::AuditEvent& e = found.event;
      ActivityBucket* bucket = bucket_of(e.time_ms);
      if (bucket == nullptr || e.interaction == kDetectorInteraction) continue;
      ++bucket->requests;
      if (Refused(e.status)) ++bucket->refused;
      if (e.status >= 200 && e.status < 300) {
        auto& seen = patients[bucket - series.buckets.data()];
        seen.insert(e.patients.begin(), e.patients.end());
      }
    }
    if (!page.next_before) break;
    if (opened >= ActivitySeries::kMaxEntries) {
      series.complete = false;
      break;
    }
    criteria.before_seq = *page.next_before;
  }
  for (int i = 0; i < ActivitySeries::kBuckets; ++i)
    series.buckets[i].patients = static_cast<int64_t>(patients[i].size());

  if (scorer != nullptr) {
    for (const detect::ScoreSample& sample : scorer->Trail(account_id, series.from_ms)) {
      ActivityBucket* bucket = bucket_of(sample.time_ms);
      if (bucket == nullptr) continue;
      bucket->risk = std::max(bucket->risk.value_or(0), sample.score);
    }
  }
  return series;
}

void WriteActivitySeries(JsonWriter& w, const ActivitySeries& series) {
  w.StartObject();
  w.Key("from");
  Str(w, Instant(series.from_ms));
  w.Key("until");
  Str(w, Instant(series.from_ms + series.bucket_ms * ActivitySeries::kBuckets));
  w.Key("bucket_seconds");
  w.Int64(series.bucket_ms / 1000);
  w.Key("complete");
  w.Bool(series.complete);
  w.Key("buckets");
  w.StartArray();
  for (const ActivityBucket& b : series.buckets) {
    w.StartObject();
    w.Key("start");
    Str(w, Instant(b.start_ms));
    w.Key("requests");
    w.Int64(b.requests);
    w.Key("refused");
    w.Int64(b.refused);
    w.Key("patients");
    w.Int64(b.patients);
    w.Key("risk");
    if (b.risk) {
      w.Double(*b.risk);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace medvault::api
