// `medvault import` and `medvault export`: the operator's bulk transfers, with the key
// files, on the server's machine. Both are audited: import per batch, export per 1,000
// patients, before any file is written.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>

#include "api/access_helpers.h"
#include "cli/commands.h"
#include "cli/import_file.h"
#include "cli/import_pipeline.h"
#include "cli/importer.h"
#include "cli/private_file.h"
#include "cli/runtime.h"
#include "common/random.h"

namespace medvault::cli {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Directory resources first, then patients, then what refers to them.
int Rank(const std::string& type) {
  if (type == "Organization") return 0;
  if (type == "Practitioner") return 1;
  if (type == "Patient") return 2;
  return 3;
}

}  // namespace

int RunImport(const ImportOptions& options) {
  auto rt = OpenRuntime(options.data_dir, nullptr, store::StoreOptions{.bulk_load = true});
  if (!rt) {
    std::cerr << "medvault import: " << rt.error().message << "\n";
    return 1;
  }
  std::vector<std::unique_ptr<ImportFile>> files;
  for (const std::string& path : options.files) {
    auto file = ImportFile::Open(path);
    if (!file) {
      std::cerr << "medvault import: " << file.error().message << "\n";
      return 1;
    }
    files.push_back(std::move(*file));
  }
  std::stable_sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return Rank(a->first_type()) < Rank(b->first_type());
  });
  Importer importer(**rt);
  ImportPipeline pipeline(importer, {.group_resources = options.group_resources},
                          [](const std::vector<ImportItem>& items, const Error& e) {
                            std::cerr << "rejected " << items.size()
                                      << " resources (the whole batch of " << items.front().where
                                      << " to " << items.back().where << "): " << e.message << "\n";
                          });
  auto start = Clock::now();
  auto last_report = start;
  for (auto& file : files) {
    for (;;) {
      auto items = file->Next(options.batch_size);
      if (!items) {
        pipeline.Finish();
        std::cerr << "medvault import: " << items.error().message << "\n";
        return 1;
      }
      if (items->empty()) break;
      pipeline.Add(std::move(*items));
      if (std::chrono::duration<double>(Clock::now() - last_report).count() >= 2.0) {
        last_report = Clock::now();
        int64_t imported = pipeline.tally().imported;
        std::cerr << "imported " << imported << " resources ("
                  << static_cast<int64_t>(static_cast<double>(imported) / SecondsSince(start))
                  << "/s)\n";
      }
    }
  }
  pipeline.Finish();
  const ImportPipeline::Tally& tally = pipeline.tally();
  // Closing the store copies what the WAL still holds into the database file (up to
  // ~1 GiB and a group's pages, StoreOptions::bulk_load): part of the import's time.
  rt->reset();
  double seconds = SecondsSince(start);
  std::cout << "imported " << tally.imported << " resources, rejected " << tally.rejected << " in "
            << tally.bad_batches << " batches, " << std::fixed << std::setprecision(1) << seconds
            << " s, "
            << static_cast<int64_t>(static_cast<double>(tally.imported) / std::max(seconds, 1e-9))
            << " resources/s\n";
  return tally.rejected == 0 ? 0 : 1;
}

int RunExport(const ExportOptions& options) {
  auto opened = OpenRuntime(options.data_dir);
  if (!opened) {
    std::cerr << "medvault export: " << opened.error().message << "\n";
    return 1;
  }
  Runtime& rt = **opened;
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec || !fs::is_directory(options.out_dir)) {
    std::cerr << "medvault export: cannot create " << options.out_dir << "\n";
    return 1;
  }
  ::chmod(options.out_dir.c_str(), 0700);  // it will hold every patient's records
  store::Reader& reader = rt.store->reader();
  auto snapshot = reader.BeginSnapshot();
  // Every patient whose data leaves is named in the trail before any file is written.
  auto patients = reader.IdsOfType("Patient", SIZE_MAX);
  if (!patients) {
    std::cerr << "medvault export: " << patients.error().message << "\n";
    return 1;
  }
  std::sort(patients->begin(), patients->end());
  constexpr size_t kPatientsPerEntry = 1000;
  Status audited = rt.store->Write([&](store::Transaction& txn) -> Status {
    for (size_t first = 0; first == 0 || first < patients->size(); first += kPatientsPerEntry) {
      audit::AuditEvent event;
      event.time_ms = ToUnixMillis(rt.clock.Now());
      event.request_id = NewUuid();
      event.username = "(command line)";
      event.interaction = "export";
      auto end = patients->begin() +
                 static_cast<ptrdiff_t>(std::min(patients->size(), first + kPatientsPerEntry));
      event.patients.assign(patients->begin() + static_cast<ptrdiff_t>(first), end);
      event.outcome = "success";
      event.detail = "bulk export by the operator to " + options.out_dir;
      TRY(rt.audit->Append(txn, event));
    }
    return Ok();
  });
  if (!audited) {
    std::cerr << "medvault export: " << audited.error().message << "\n";
    return 1;
  }
  int64_t exported = 0;
  std::map<std::string, store::CompartmentRow> compartments;
  for (fhir::ResourceType type : fhir::kAllResourceTypes) {
    std::string name(fhir::NameOf(type));
    auto ids = reader.IdsOfType(name, SIZE_MAX);
    if (!ids) {
      std::cerr << "medvault export: " << ids.error().message << "\n";
      return 1;
    }
    if (ids->empty()) continue;
    std::sort(ids->begin(), ids->end());
    std::string path = options.out_dir + "/" + name + ".ndjson";
    auto created = CreatePrivateFile(path);
    if (!created) {
      std::cerr << "medvault export: " << created.error().message << "\n";
      return 1;
    }
    std::ofstream& out = *created;
    for (const std::string& id : *ids) {
      auto row = reader.Current(name, id);
      if (!row || !*row) {
        std::cerr << "medvault export: cannot read " << name << "/" << id << "\n";
        return 1;
      }
      auto& compartment = compartments[(*row)->compartment];
      if (compartment.id.empty()) {
        auto loaded = api::LoadCompartment(reader, (*row)->compartment);
        if (!loaded) {
          std::cerr << "medvault export: " << loaded.error().message << "\n";
          return 1;
        }
        compartment = std::move(*loaded);
      }
      auto decision = rt.policy->SystemExport(api::TargetOf(type, compartment));
      auto json = rt.vault->Open(decision, compartment, **row);
      if (!json) {
        std::cerr << "medvault export: " << json.error().message << "\n";
        return 1;
      }
      out << *json << '\n';
      ++exported;
    }
    if (compartments.size() > 10'000) compartments.clear();
    if (!out.flush()) {
      std::cerr << "medvault export: cannot write " << path << "\n";
      return 1;
    }
  }
  std::cout << "exported " << exported << " resources of " << patients->size() << " patients to "
            << options.out_dir << "\n";
  return 0;
}

}  // namespace medvault::cli
