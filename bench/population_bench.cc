// Population generator throughput: N patients (default 100,000) with the full clinical
// history into a sink that only counts, single-threaded. Prints patients/s, resources/s
// and the volume per resource type.
// With an output path, also writes the population there as FHIR NDJSON (one resource
// per line, in dependency order) for `medvault import` (bench/import_benchmark.sh).
//   population_bench [patients] [history_scale] [seed] [out.ndjson]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "sim/population.h"

namespace {

using namespace medvault;

class CountingSink : public sim::ResourceSink {
 public:
  void Emit(fhir::ResourceType type, const std::string&, std::string json) override {
    ++per_type[static_cast<size_t>(type)];
    ++resources;
    bytes += json.size();
    if (out) *out << json << '\n';
  }
  void Account(const sim::SimAccount&) override { ++accounts; }
  void Progress(int64_t done, int64_t total) override {
    if (done % 100'000 == 0 || done == total) {
      std::fprintf(stderr, "\r%lld / %lld patients", static_cast<long long>(done),
                   static_cast<long long>(total));
    }
  }

  int64_t per_type[fhir::kAllResourceTypes.size()] = {};
  int64_t resources = 0;
  int64_t accounts = 0;
  int64_t bytes = 0;
  std::ofstream* out = nullptr;
};

}  // namespace

int main(int argc, char** argv) {
  sim::PopulationOptions options;
  options.patients = argc > 1 ? std::atoll(argv[1]) : 100'000;
  options.history_scale = argc > 2 ? std::atof(argv[2]) : 1.0;
  options.seed = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1;
  options.now_ms = 1'772'452'800'000;  // 2026-03-02T12:00:00Z

  CountingSink sink;
  std::ofstream out;
  if (argc > 4) {
    out.open(argv[4], std::ios::binary | std::ios::trunc);
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", argv[4]);
      return 1;
    }
    sink.out = &out;
  }
  const auto start = std::chrono::steady_clock::now();
  sim::GeneratePopulation(options, sink);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "\n");

  std::printf("patients        %lld (history_scale %.2f, seed %llu)\n",
              static_cast<long long>(options.patients), options.history_scale,
              static_cast<unsigned long long>(options.seed));
  std::printf("accounts        %lld\n", static_cast<long long>(sink.accounts));
  for (fhir::ResourceType type : fhir::kAllResourceTypes) {
    std::printf("  %-20s %10lld\n", std::string(fhir::NameOf(type)).c_str(),
                static_cast<long long>(sink.per_type[static_cast<size_t>(type)]));
  }
  std::printf("resources       %lld (%.1f per patient, %.0f bytes on average)\n",
              static_cast<long long>(sink.resources),
              static_cast<double>(sink.resources) / static_cast<double>(options.patients),
              static_cast<double>(sink.bytes) / static_cast<double>(sink.resources));
  std::printf("time            %.2f s\n", seconds);
  std::printf("patients/s      %.0f\n", static_cast<double>(options.patients) / seconds);
  std::printf("resources/s     %.0f\n", static_cast<double>(sink.resources) / seconds);
  std::printf("MB/s of JSON    %.1f\n", static_cast<double>(sink.bytes) / seconds / 1e6);
  return 0;
}
