// Sinks for the population tests: one that keeps the whole stream, one that only counts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "fhir/resource_type.h"
#include "sim/population.h"

namespace medvault::sim::testing {

struct EmittedResource {
  fhir::ResourceType type;
  std::string id;
  std::string json;
};

class RecordingSink : public ResourceSink {
 public:
  void Emit(fhir::ResourceType type, const std::string& id, std::string json) override {
    resources.push_back({type, id, std::move(json)});
  }
  void Account(const SimAccount& account) override { accounts.push_back(account); }
  void Progress(int64_t done, int64_t total) override {
    last_progress = done;
    progress_total = total;
    ++progress_calls;
  }

  std::vector<EmittedResource> resources;
  std::vector<SimAccount> accounts;
  int64_t last_progress = -1;
  int64_t progress_total = -1;
  int progress_calls = 0;
};

class CountingSink : public ResourceSink {
 public:
  void Emit(fhir::ResourceType type, const std::string&, std::string json) override {
    ++by_type[static_cast<size_t>(type)];
    bytes += json.size();
    ++resources;
  }
  void Account(const SimAccount&) override { ++accounts; }

  std::array<int64_t, fhir::kAllResourceTypes.size()> by_type{};
  int64_t resources = 0;
  int64_t accounts = 0;
  int64_t bytes = 0;
};

// 2026-03-02T12:00:00Z: "today" for the tests.
inline constexpr int64_t kTestNowMs = 1'772'452'800'000;

}  // namespace medvault::sim::testing
