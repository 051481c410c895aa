// Building the JSON documents the FHIR API answers with: Bundles (searchset, history)
// and OperationOutcome. Resource bodies arrive already serialized and are copied in
// verbatim.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace medvault::fhir {

struct SearchEntry {
  std::string full_url;        // "https://host/fhir/Patient/<id>"
  std::string resource_json;   // serialized resource
  std::string mode = "match";  // "match" | "include" | "outcome"
};

struct BundleLinks {
  std::string self;
  std::string next;      // empty: no next page
  std::string previous;  // empty: no previous page
};

// `total` is left out when it is not known (a search that pages through a log).
std::string SearchsetBundle(std::optional<int64_t> total, const std::vector<SearchEntry>& entries,
                            const BundleLinks& links, Time now);

struct HistoryEntry {
  std::string full_url;
  std::string resource_json;  // empty for a deletion
  std::string method;         // "POST" | "PUT" | "DELETE"
  std::string url;            // "Patient/<id>" (POST) or "Patient/<id>" (PUT/DELETE)
  int64_t version_id = 0;
  std::string last_updated;  // instant
  std::string status;        // "201 Created" | "200 OK" | "204 No Content"
};

std::string HistoryBundle(int64_t total, const std::vector<HistoryEntry>& entries,
                          const BundleLinks& links, Time now);

// {"resourceType":"OperationOutcome","issue":[{"severity":"error","code":…,
//  "diagnostics":error.message,"expression":[error.expression]?}]}
// The issue code follows the error code (invalid, processing, login, forbidden,
// not-found, not-supported, conflict, deleted, too-long, throttled, transient,
// exception).
std::string OperationOutcomeJson(const Error& error);

// An informational OperationOutcome (severity "information"), e.g. for a deletion.
std::string InformationOutcomeJson(std::string_view message);

}  // namespace medvault::fhir
