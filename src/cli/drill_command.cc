// medvault drill: the breach drill in process (docs/DETECTION.md). A fresh data directory
// with a synthetic population, the services on a ManualClock, simulated days of honest
// work and attacks sent through the request pipeline, then the figures against the
// targets of DRILL.md, as a table and as JSON.
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/pipeline.h"
#include "audit/tree_head_publisher.h"
#include "cli/audit_verification.h"
#include "cli/commands.h"
#include "cli/drill_https_client.h"
#include "cli/drill_scenario.h"
#include "cli/population_loader.h"
#include "http/server.h"

namespace medvault::cli {
namespace {

// Monday 2026-01-05, 00:00 (UTC stands for local time).
constexpr int64_t kFirstDayMs = 1'767'571'200'000;

struct AuditFigures {
  int64_t requests = 0;
  int64_t entries = 0;           // written during the drill for requests
  int64_t detector_entries = 0;  // the detector's escalations
  bool verified = false;
  std::string summary;
};

struct Target {
  std::string figure;
  std::string target;
  double value = 0;
  double limit = 0;
  bool pass() const { return value <= limit; }
};

double Per1000(int64_t count, int64_t days) {
  return days == 0 ? 0 : 1000.0 * static_cast<double>(count) / static_cast<double>(days);
}

std::string Minutes(int64_t from_ms, int64_t to_ms) {
  if (from_ms < 0 || to_ms < 0) return "never";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f min", static_cast<double>(to_ms - from_ms) / 60000.0);
  return buf;
}

std::vector<Target> Targets(const DrillOutcome& o, const AuditFigures& audit) {
  std::vector<Target> t;
  for (const AttackRecord& a : o.attacks) {
    if (!a.run) continue;
    double limit = a.strategy == 2 ? 100 : 20;
    t.push_back({"patients taken before containment, strategy " + std::to_string(a.strategy),
                 "<= " + std::to_string(static_cast<int>(limit)) + " per account",
                 static_cast<double>(a.taken_before.size()), limit});
  }
  const HonestRecord& h = o.honest;
  t.push_back({"honest suspensions per 1,000 clinician-days", "<= 0.1",
               Per1000(h.suspensions, h.clinician_days), 0.1});
  t.push_back({"honest step-up prompts per 1,000 clinician-days", "<= 10",
               Per1000(h.step_up_prompts, h.clinician_days), 10});
  t.push_back({"audit entries missing", "0",
               static_cast<double>(std::max<int64_t>(0, audit.requests - audit.entries)) +
                   (audit.verified ? 0 : 1),
               0});
  return t;
}

void PrintTable(const DrillOptions& options, int64_t patients, const DrillOutcome& o,
                const AuditFigures& audit, double seconds) {
  std::printf("\nmedvault drill: %lld patients, %d days, seed %llu\n\n",
              static_cast<long long>(patients), options.days,
              static_cast<unsigned long long>(options.seed));
  std::printf("  %-3s %-18s %-26s %8s %8s %12s %14s  %s\n", "#", "strategy", "victim", "before",
              "total", "first alert", "containment", "alerts");
  for (const AttackRecord& a : o.attacks) {
    if (!a.run) {
      std::printf("  %-3d %-18s not run: %s\n", a.strategy, a.name.c_str(), a.not_run.c_str());
      continue;
    }
    std::string kinds;
    for (const std::string& k : a.alert_kinds) kinds += (kinds.empty() ? "" : ",") + k;
    std::printf("  %-3d %-18s %-26s %8zu %8zu %12s %14s  %s\n", a.strategy, a.name.c_str(),
                a.victim.c_str(), a.taken_before.size(), a.taken_total.size(),
                Minutes(a.started_ms, a.first_alert_ms).c_str(),
                Minutes(a.started_ms, a.contained_ms).c_str(), kinds.empty() ? "-" : kinds.c_str());
  }
  for (int s : {3, 5, 6}) std::printf("  %-3d not run (not implemented yet)\n", s);
  const HonestRecord& h = o.honest;
  std::printf(
      "\n  honest work: %lld clinician-days (+%lld secretary-days), %lld consultations, %lld "
      "files opened, %lld exceptions\n"
      "    step-up prompts %lld (%.1f per 1,000 clinician-days), for break-the-glass %lld\n"
      "    refusals %lld, 403s %lld, suspensions %lld, session re-logins %lld, alerts %lld\n",
      static_cast<long long>(h.clinician_days), static_cast<long long>(h.secretary_days),
      static_cast<long long>(h.consultations), static_cast<long long>(h.files_opened),
      static_cast<long long>(h.exceptions), static_cast<long long>(h.step_up_prompts),
      Per1000(h.step_up_prompts, h.clinician_days),
      static_cast<long long>(h.sensitive_step_up_prompts), static_cast<long long>(h.refusals),
      static_cast<long long>(h.forbidden), static_cast<long long>(h.suspensions),
      static_cast<long long>(h.relogins), static_cast<long long>(h.alerts));
  std::printf("  requests %lld in %.1f s (%.0f/s); audit entries %lld, %s\n\n",
              static_cast<long long>(audit.requests), seconds,
              seconds > 0 ? static_cast<double>(audit.requests) / seconds : 0.0,
              static_cast<long long>(audit.entries), audit.summary.c_str());
  std::printf("  %-52s %-16s %10s  %s\n", "target (DRILL.md)", "", "value", "");
  for (const Target& t : Targets(o, audit))
    std::printf("  %-52s %-16s %10.1f  %s\n", t.figure.c_str(), t.target.c_str(), t.value,
                t.pass() ? "pass" : "FAIL");
  std::fflush(stdout);
}

std::string ResultJson(const DrillOptions& options, int64_t patients, const DrillOutcome& o,
                       const AuditFigures& audit, double seconds) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  auto ms_or_null = [&](int64_t from, int64_t to) {
    if (from < 0 || to < 0)
      w.Null();
    else
      w.Int64(to - from);
  };
  w.StartObject();
  w.Key("patients");
  w.Int64(patients);
  w.Key("days");
  w.Int(options.days);
  w.Key("seed");
  w.Uint64(options.seed);
  w.Key("strategies");
  w.StartArray();
  for (const AttackRecord& a : o.attacks) {
    w.StartObject();
    w.Key("strategy");
    w.Int(a.strategy);
    w.Key("name");
    w.String(a.name.c_str());
    w.Key("run");
    w.Bool(a.run);
    if (!a.run) {
      w.Key("not_run");
      w.String(a.not_run.c_str());
      w.EndObject();
      continue;
    }
    w.Key("victim");
    w.String(a.victim.c_str());
    w.Key("requests");
    w.Int64(a.requests);
    w.Key("refused");
    w.Int64(a.refused);
    w.Key("patients_before_containment");
    w.Uint64(a.taken_before.size());
    w.Key("patients_total");
    w.Uint64(a.taken_total.size());
    w.Key("ms_to_first_alert");
    ms_or_null(a.started_ms, a.first_alert_ms);
    w.Key("ms_to_containment");
    ms_or_null(a.started_ms, a.contained_ms);
    w.Key("contained_by_status");
    w.String(a.contained_by.c_str());
    w.Key("alert_kinds");
    w.StartArray();
    for (const std::string& k : a.alert_kinds) w.String(k.c_str());
    w.EndArray();
    if (a.strategy == 7) {
      w.Key("victim_step_ups");
      w.Int64(a.victim_step_ups);
    }
    w.EndObject();
  }
  for (int s : {3, 5, 6}) {
    w.StartObject();
    w.Key("strategy");
    w.Int(s);
    w.Key("run");
    w.Bool(false);
    w.Key("not_run");
    w.String("not implemented yet");
    w.EndObject();
  }
  w.EndArray();
  const HonestRecord& h = o.honest;
  w.Key("honest");
  w.StartObject();
  for (auto [key, value] : {std::pair<const char*, int64_t>{"clinician_days", h.clinician_days},
                            {"secretary_days", h.secretary_days},
                            {"consultations", h.consultations},
                            {"files_opened", h.files_opened},
                            {"exceptions", h.exceptions},
                            {"step_up_prompts", h.step_up_prompts},
                            {"break_glass_step_up_prompts", h.sensitive_step_up_prompts},
                            {"refusals", h.refusals},
                            {"forbidden", h.forbidden},
                            {"suspensions", h.suspensions},
                            {"relogins", h.relogins},
                            {"alerts", h.alerts}}) {
    w.Key(key);
    w.Int64(value);
  }
  w.Key("step_up_prompts_per_1000_days");
  w.Double(Per1000(h.step_up_prompts, h.clinician_days));
  w.Key("refusals_per_1000_days");
  w.Double(Per1000(h.refusals, h.clinician_days));
  w.Key("suspensions_per_1000_days");
  w.Double(Per1000(h.suspensions, h.clinician_days));
  w.EndObject();
  w.Key("requests");
  w.Int64(audit.requests);
  w.Key("wall_seconds");
  w.Double(seconds);
  w.Key("requests_per_second");
  w.Double(seconds > 0 ? static_cast<double>(audit.requests) / seconds : 0.0);
  w.Key("audit");
  w.StartObject();
  w.Key("entries");
  w.Int64(audit.entries);
  w.Key("detector_entries");
  w.Int64(audit.detector_entries);
  w.Key("complete");
  w.Bool(audit.entries == audit.requests);
  w.Key("verified");
  w.Bool(audit.verified);
  w.Key("summary");
  w.String(audit.summary.c_str());
  w.EndObject();
  w.Key("targets");
  w.StartArray();
  for (const Target& t : Targets(o, audit)) {
    w.StartObject();
    w.Key("figure");
    w.String(t.figure.c_str());
    w.Key("target");
    w.String(t.target.c_str());
    w.Key("value");
    w.Double(t.value);
    w.Key("pass");
    w.Bool(t.pass());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString()) + "\n";
}

// The simulated clock reads local time (a day starts at midnight on it), so the
// detector's habits and nights must not shift it by the practices' UTC offset.
Status UseSimulatedLocalTime(const DataDir& dir) {
  std::ifstream in(dir.config());
  std::stringstream text;
  text << in.rdbuf();
  std::string config = text.str();
  const std::string setting = "local_time_offset_minutes = ";
  size_t at = config.find(setting);
  if (at == std::string::npos)
    return Fail(ErrorCode::kInternal, "the new configuration has no local_time_offset_minutes");
  size_t end = config.find('\n', at);
  config.replace(at, end - at, setting + "0");
  std::ofstream out(dir.config(), std::ios::trunc);
  if (!(out << config).flush())
    return Fail(ErrorCode::kUnavailable, "cannot write " + dir.config());
  return Ok();
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
  server_options.max_connections = rt.config.max_connections;
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

int Drill(const DrillCommandOptions& options, const std::string& data_dir) {
  constexpr const char* kCommand = "medvault drill";
  if (Status s = InitializeDataDir(DataDir{data_dir}); !s) {
    std::cerr << kCommand << ": " << s.error().message << "\n";
    return 1;
  }
  if (Status s = UseSimulatedLocalTime(DataDir{data_dir}); !s) {
    std::cerr << kCommand << ": " << s.error().message << "\n";
    return 1;
  }
  ManualClock clock(FromUnixMillis(kFirstDayMs));
  auto rt = OpenRuntime(data_dir, &clock);
  if (!rt) {
    std::cerr << kCommand << ": " << rt.error().message << "\n";
    return 1;
  }
  DrillPopulation population;
  sim::PopulationOptions generate;
  generate.seed = options.seed;
  generate.patients = options.patients;
  generate.now_ms = kFirstDayMs;
  auto accounts = LoadPopulation(
      **rt, generate, [&](fhir::ResourceType type, const std::string&, const std::string& json) {
        population.Observe(type, json);
      });
  if (!accounts) {
    std::cerr << kCommand << ": " << accounts.error().message << "\n";
    return 1;
  }
  population.accounts = std::move(*accounts);
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
  client.set_after_each([&rt] { (*rt)->risk_feed->Drain(); });
  DrillOptions drill;
  drill.days = options.days;
  drill.seed = options.seed;
  drill.start_ms = kFirstDayMs;
  std::fprintf(stderr, "  simulating %d days\n", options.days);
  auto started = std::chrono::steady_clock::now();
  DrillOutcome outcome = RunDrillDays(drill, population, client, **rt);
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  (*transport)->Close();
  AuditFigures audit;
  audit.requests = client.requests();
  audit::TreeHeadPublisher heads(*(*rt)->store, *(*rt)->audit, *(*rt)->signing_key, clock);
  Status published = heads.PublishNow();
  auto entries_after = reader.AuditCount();
  // The detector's escalations are entries of their own, with no request behind them.
  audit.detector_entries = (*rt)->risk_feed->escalations();
  if (entries_before && entries_after)
    audit.entries = *entries_after - *entries_before - audit.detector_entries;
  auto verified = VerifyAuditLog(**rt);
  audit.verified = verified.has_value() && published.has_value();
  audit.summary = verified ? *verified : "NOT VERIFIED: " + verified.error().message;

  PrintTable(drill, options.patients, outcome, audit, seconds);
  if (!options.json_file.empty()) {
    std::ofstream out(options.json_file);
    if (!(out << ResultJson(drill, options.patients, outcome, audit, seconds)).flush()) {
      std::cerr << kCommand << ": cannot write " << options.json_file << "\n";
      return 1;
    }
  }
  return audit.verified && audit.entries == audit.requests ? 0 : 1;
}

}  // namespace

int RunDrill(const DrillCommandOptions& options) {
  if (!options.data_dir.empty()) return Drill(options, options.data_dir);
  std::string pattern = (std::filesystem::temp_directory_path() / "medvault-drill-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    std::cerr << "medvault drill: cannot create a temporary directory\n";
    return 1;
  }
  int code = Drill(options, pattern + "/data");
  std::error_code ignored;
  std::filesystem::remove_all(pattern, ignored);
  return code;
}

}  // namespace medvault::cli
