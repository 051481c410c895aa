// medvault drill: the breach drill (docs/DETECTION.md), in process or over HTTPS. A fresh data
// directory with a synthetic population, the services on a ManualClock, simulated days of honest
// work and attacks sent through the request pipeline, then the figures against the
// targets of DRILL.md, as a table and as JSON.
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "api/pipeline.h"
#include "audit/tree_head_publisher.h"
#include "cli/audit_verification.h"
#include "cli/commands.h"
#include "cli/drill_https_client.h"
#include "cli/drill_report.h"
#include "cli/drill_scenario.h"
#include "cli/population_loader.h"
#include "cli/serve_command.h"
#include "http/server.h"

namespace medvault::cli {
namespace {

// Monday 2026-01-05, 00:00 (UTC stands for local time).
constexpr int64_t kFirstDayMs = 1'767'571'200'000;

// The drill's throwaway accounts: Argon2id at its cheapest (one pass over 64 KiB) unless
// asked otherwise. Every login still verifies the password; the drill measures detection,
// and at the OWASP cost two thirds of its time went to hashing the re-logins.
constexpr crypto::PasswordHashCost kDrillPasswordCost{1, 64 * 1024};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Rewrites the line `key = …` of the new data directory's configuration as
// `key = value`.
Status SetConfigLine(const DataDir& dir, const std::string& key, const std::string& value) {
  std::ifstream in(dir.config());
  std::stringstream text;
  text << in.rdbuf();
  std::string config = text.str();
  const std::string setting = "\n" + key + " = ";
  size_t at = config.find(setting);
  if (at == std::string::npos)
    return Fail(ErrorCode::kInternal, "the new configuration has no " + key);
  at += setting.size();
  config.replace(at, config.find('\n', at) - at, value);
  std::ofstream out(dir.config(), std::ios::trunc);
  if (!(out << config).flush())
    return Fail(ErrorCode::kUnavailable, "cannot write " + dir.config());
  return Ok();
}

// The simulated clock reads local time (a day starts at midnight on it), so the
// detector's habits and nights must not shift it by the practices' UTC offset.
Status UseSimulatedLocalTime(const DataDir& dir) {
  return SetConfigLine(dir, "local_time_offset_minutes", "0");
}

// Switches the named risk-scorer features off (the names were checked on the command
// line; the configuration checks them again).
Status SwitchFeaturesOff(const DataDir& dir, const std::vector<std::string>& features) {
  if (features.empty()) return Ok();
  std::string names;
  for (const std::string& f : features) names += (names.empty() ? "\"" : ", \"") + f + "\"";
  return SetConfigLine(dir, "features_off", "[" + names + "]");
}

// The drill's way to the server, and for HTTPS the server itself, which must stop (and
// hand back the store's completions) before the figures are read.
struct Transport {
  std::unique_ptr<http::Server> server;
  Runtime* rt = nullptr;
  std::unique_ptr<DrillClient> client;

  void Close() {
    if (!server) return;
    rt->store->SetCompletionPoster(nullptr);
    server->Stop();
    server.reset();
  }
  ~Transport() { Close(); }
};

Result<std::unique_ptr<Transport>> OpenTransport(const std::string& kind, Runtime& rt,
                                                 api::Pipeline& pipeline, ManualClock& clock) {
  auto transport = std::make_unique<Transport>();
  if (kind == "in-process") {
    transport->client = std::make_unique<InProcessClient>(pipeline, clock);
    return transport;
  }
  http::ServerOptions server_options;
  server_options.port = 0;
  server_options.threads = 1;
  server_options.certificate_file = rt.dir.certificate();
  server_options.private_key_file = rt.dir.private_key();
  server_options.max_body_bytes = rt.config.max_body_bytes;
  server_options.max_header_bytes = rt.config.max_header_bytes;
  server_options.max_connections = FitConnectionsToOpenFilesLimit(rt.config.max_connections);
  server_options.max_connections_per_address = rt.config.max_connections_per_address;
  ASSIGN_OR_RETURN(transport->server, http::Server::Start(server_options, pipeline));
  transport->rt = &rt;
  http::Server& server = *transport->server;
  rt.store->SetCompletionPoster(
      [&server](std::function<void()> task) { server.Post(std::move(task)); });
  std::string url = "https://127.0.0.1:" + std::to_string(server.port());
  std::fprintf(stderr, "  over HTTPS: %s\n", url.c_str());
  transport->client = std::make_unique<HttpsDrillClient>(url, rt.dir.certificate(), clock);
  return transport;
}

int Drill(const DrillCommandOptions& options, const std::string& data_dir,
          const std::string& location) {
  constexpr const char* kCommand = "medvault drill";
  if (Status s = InitializeDataDir(DataDir{data_dir}); !s) {
    std::cerr << kCommand << ": " << s.error().message << "\n";
    return 1;
  }
  if (Status s = UseSimulatedLocalTime(DataDir{data_dir}); !s) {
    std::cerr << kCommand << ": " << s.error().message << "\n";
    return 1;
  }
  if (Status s = SwitchFeaturesOff(DataDir{data_dir}, options.features_off); !s) {
    std::cerr << kCommand << ": " << s.error().message << "\n";
    return 1;
  }
  ManualClock clock(FromUnixMillis(kFirstDayMs));
  auto rt = OpenRuntime(data_dir, &clock);
  if (!rt) {
    std::cerr << kCommand << ": " << rt.error().message << "\n";
    return 1;
  }
  DrillReport report;
  report.patients = options.patients;
  report.history_scale = options.history;
  report.data_location = location;
  report.drill_password_cost = !options.full_password_cost;
  report.features_off = options.features_off;
  DrillPopulation population;
  sim::PopulationOptions generate;
  generate.seed = options.seed;
  generate.patients = options.patients;
  generate.practices = options.practices;
  generate.history_scale = options.history;
  generate.now_ms = kFirstDayMs;
  auto import_started = std::chrono::steady_clock::now();
  auto accounts = LoadPopulation(
      **rt, generate,
      [&](fhir::ResourceType type, const std::string&, const std::string& json) {
        ++report.resources;
        if (type == fhir::ResourceType::kOrganization) ++report.practices;
        population.Observe(type, json);
      },
      options.full_password_cost ? crypto::PasswordHashCost{} : kDrillPasswordCost);
  if (!accounts) {
    std::cerr << kCommand << ": " << accounts.error().message << "\n";
    return 1;
  }
  report.import_seconds = SecondsSince(import_started);
  population.accounts = std::move(*accounts);
  for (const LoadedAccount& a : population.accounts) {
    report.physicians += a.role == identity::Role::kPhysician;
    report.nurses += a.role == identity::Role::kNurse;
    report.secretaries += a.role == identity::Role::kSecretary;
  }
  store::Reader& reader = (*rt)->store->reader();
  auto entries_before = reader.AuditCount();

  api::Services services = (*rt)->services();
  api::Pipeline pipeline(services);
  auto transport = OpenTransport(options.transport, **rt, pipeline, clock);
  if (!transport) {
    std::cerr << kCommand << ": " << transport.error().message << "\n";
    return 1;
  }
  DrillClient& client = *(*transport)->client;
  report.transport = options.transport;
  // Each request's detection event is weighed before the next request is sent.
  client.set_after_each([&rt] { (*rt)->risk_feed->Drain(); });
  report.options.days = options.days;
  report.options.seed = options.seed;
  report.options.start_ms = kFirstDayMs;
  std::fprintf(stderr, "  imported in %.1f s; simulating %d days\n", report.import_seconds,
               options.days);
  auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  report.outcome = RunDrillDays(report.options, population, client, **rt);
  report.seconds = SecondsSince(started);
  report.cpu_seconds = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;

  (*transport)->Close();
  report.requests = client.requests();
  audit::TreeHeadPublisher heads(*(*rt)->store, *(*rt)->audit, *(*rt)->signing_key, clock);
  Status published = heads.PublishNow();
  auto entries_after = reader.AuditCount();
  // The detector's escalations are entries of their own, with no request behind them.
  report.detector_entries = (*rt)->risk_feed->escalations();
  if (entries_before && entries_after)
    report.audit_entries = *entries_after - *entries_before - report.detector_entries;
  auto verified = VerifyAuditLog(**rt);
  report.audit_verified = verified.has_value() && published.has_value();
  report.audit_summary = verified ? *verified : "NOT VERIFIED: " + verified.error().message;

  PrintDrillTable(report);
  if (!options.json_file.empty()) {
    std::ofstream out(options.json_file);
    if (!(out << DrillJson(report)).flush()) {
      std::cerr << kCommand << ": cannot write " << options.json_file << "\n";
      return 1;
    }
  }
  return report.audit_verified && report.audit_entries == report.requests ? 0 : 1;
}

// main blocks SIGINT and SIGTERM in every thread (for serve's loop): here they end the
// drill, and remove its temporary directory, which on /dev/shm would hold memory until
// the next reboot.
void EndOnSignal(std::string remove) {
  std::thread([remove = std::move(remove)] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    int signal = 0;
    if (sigwait(&set, &signal) != 0) return;
    std::error_code ignored;
    if (!remove.empty()) std::filesystem::remove_all(remove, ignored);
    std::fprintf(stderr, "\nmedvault drill: interrupted%s\n",
                 remove.empty() ? "" : ", temporary data removed");
    std::_Exit(128 + signal);
  }).detach();
}

}  // namespace

int RunDrill(const DrillCommandOptions& options) {
  if (!options.data_dir.empty()) {
    EndOnSignal("");
    return Drill(options, options.data_dir, "the given directory");
  }
  // The drill measures detection, not durability: its throwaway directory goes to memory
  // when it can, where SQLite's fsyncs (synchronous=FULL, one request at a time) cost
  // nothing.
  std::error_code ignored;
  const bool shm = !options.on_disk && std::filesystem::is_directory("/dev/shm", ignored);
  const std::filesystem::path base = shm ? "/dev/shm" : std::filesystem::temp_directory_path();
  std::string pattern = (base / "medvault-drill-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "medvault drill: cannot create a temporary directory in " << base << "\n";
    return 1;
  }
  EndOnSignal(pattern);
  int code =
      Drill(options, pattern + "/data", shm ? "tmpfs (/dev/shm)" : "disk (" + base.string() + ")");
  std::filesystem::remove_all(pattern, ignored);
  return code;
}

}  // namespace medvault::cli
