#include "cli/serve_command.h"

#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>

#include "api/alert_export.h"
#include "api/peer_traffic.h"
#include "api/pipeline.h"
#include "api/route.h"
#include "audit/tree_head_publisher.h"
#include "cli/data_dir_lock.h"
#include "crypto/key_file.h"
#include "http/open_files_limit.h"
#include "http/server.h"
#include "http/static_site.h"

namespace medvault::cli {
namespace {

// The SIEM feed as configured (a file of JSON lines and/or syslog), or nullptr when off.
Result<std::unique_ptr<api::AlertExporter>> OpenAlertExport(Runtime& rt) {
  if (rt.config.alerts_export_file.empty() && !rt.config.alerts_syslog) return nullptr;
  api::AlertExportOptions options;
  if (!rt.config.alerts_export_file.empty())
    options.file = rt.dir.File(rt.config.alerts_export_file);
  options.syslog = rt.config.alerts_syslog;
  return api::AlertExporter::Open(*rt.store, options);
}

// The built web application, or nullptr when it is turned off or not built (the server
// then serves the API alone, and says so).
std::shared_ptr<const http::StaticFiles> LoadWebApp(const Runtime& rt) {
  if (!rt.config.web_enabled) return nullptr;
  std::string root =
      rt.config.web_root.empty() ? std::string(kDefaultWebRoot) : rt.dir.File(rt.config.web_root);
  auto files = http::StaticFiles::Load(root);
  if (!files) {
    spdlog::warn(
        "web application not served: {} (build it with `make demo` or `npm run build` "
        "in web/, or set [web] root)",
        files.error().message);
    return nullptr;
  }
  spdlog::info("web application: {} files from {}", files->size(), root);
  return std::make_shared<const http::StaticFiles>(std::move(*files));
}

// The first path segments of the API's routes ("fhir", "auth", …): the web app never
// answers under them.
std::vector<std::string> ApiPrefixes() {
  std::vector<std::string> prefixes;
  for (const api::RouteSpec& route : api::AllRoutes()) {
    std::string_view path = route.pattern.substr(1);
    std::string first(path.substr(0, path.find('/')));
    if (std::find(prefixes.begin(), prefixes.end(), first) == prefixes.end())
      prefixes.push_back(std::move(first));
  }
  return prefixes;
}

}  // namespace

size_t FitConnectionsToOpenFilesLimit(size_t max_connections) {
  http::OpenFilesFit fit = http::FitOpenFilesLimit(max_connections);
  if (fit.soft_after != fit.soft_before)
    spdlog::info("open-files limit raised from {} to {} for {} connections", fit.soft_before,
                 fit.soft_after, max_connections);
  if (fit.connections < max_connections)
    spdlog::warn(
        "the open-files limit (ulimit -n, LimitNOFILE) allows {} descriptors: {} connections fit, "
        "not [server] max_connections = {}; raise the hard limit to at least {}",
        fit.hard, fit.connections, max_connections, max_connections + http::kReservedDescriptors);
  return fit.connections;
}

void BlockTerminationSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int Serve(Runtime& rt, const ServeOptions& options,
          const std::function<void(const std::string& url)>& on_ready) {
  spdlog::set_level(spdlog::level::from_str(rt.config.log_level));
  // A file-size limit (ulimit -f, systemd's LimitFSIZE) reached by the database must
  // fail that write, which the writer answers with 503, not kill the server.
  ::signal(SIGXFSZ, SIG_IGN);
  if (Status key = crypto::CheckPrivateFile(rt.dir.private_key(), "TLS private key"); !key) {
    std::cerr << "medvault serve: " << key.error().message << "\n";
    return 1;
  }
  auto listen = ParseListen(options.listen.value_or(rt.config.listen));
  if (!listen) {
    std::cerr << "medvault serve: " << listen.error().message << "\n";
    return 2;
  }
  // Shared with other servers; refused while an offline key operation runs.
  auto dir_lock = DataDirLock::ForServing(rt.dir);
  if (!dir_lock) {
    std::cerr << "medvault serve: " << dir_lock.error().message << "\n";
    return 1;
  }
  http::ServerOptions server_options;
  server_options.host = listen->first;
  server_options.port = listen->second;
  server_options.threads = options.threads.value_or(rt.config.threads);
  server_options.certificate_file = rt.dir.certificate();
  server_options.private_key_file = rt.dir.private_key();
  server_options.max_body_bytes = rt.config.max_body_bytes;
  server_options.max_header_bytes = rt.config.max_header_bytes;
  server_options.max_connections = FitConnectionsToOpenFilesLimit(rt.config.max_connections);
  server_options.max_connections_per_address = rt.config.max_connections_per_address;
  server_options.idle_timeout = std::chrono::seconds(rt.config.keep_alive_seconds);

  auto exporter = OpenAlertExport(rt);
  if (!exporter) {
    std::cerr << "medvault serve: alert export: " << exporter.error().message << "\n";
    return 1;
  }

  api::Services services = rt.services();
  // Several nodes on one database: this one follows the others' traffic.
  std::unique_ptr<api::PeerTraffic> peers;
  if (rt.store->SharedByNodes()) {
    peers = std::make_unique<api::PeerTraffic>(*rt.store, *rt.audit, rt.detector->budgets(),
                                               services.detection_events, rt.clock);
    if (Status following = peers->Start(); !following) {
      std::cerr << "medvault serve: " << following.error().message << "\n";
      return 1;
    }
    services.peer_traffic = peers.get();
    spdlog::info("node {}: following the other nodes' audit entries", rt.audit->node());
  }
  api::Pipeline pipeline(services);
  http::StaticSite site(pipeline, LoadWebApp(rt), ApiPrefixes());
  auto server = http::Server::Start(server_options, site);
  if (!server) {
    std::cerr << "medvault serve: " << server.error().message << "\n";
    return 1;
  }
  // A commit completes its whole group of requests in one task on an I/O thread.
  http::Server& server_ref = **server;
  rt.store->SetCompletionPoster(
      [&server_ref](std::function<void()> task) { server_ref.Post(std::move(task)); });
  audit::TreeHeadPublisher heads(*rt.store, *rt.audit, *rt.signing_key, rt.clock);
  heads.Start();
  rt.risk_feed->Start();
  if (*exporter) (*exporter)->Start();
  std::string host = server_options.host.find(':') != std::string::npos
                         ? "[" + server_options.host + "]"
                         : server_options.host;
  std::string url = "https://" + host + ":" + std::to_string((*server)->port());
  on_ready(url);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int signal_number = 0;
  sigwait(&set, &signal_number);
  spdlog::info("signal {} received: stopping", signal_number);
  rt.store->SetCompletionPoster(nullptr);
  (*server)->Stop();
  if (peers) peers->Stop();  // before the feed it pushes to
  rt.risk_feed->Stop();      // weighs the last requests; their escalations are committed
  heads.Stop();              // signs a last head over everything the server acknowledged
  rt.store->Close();         // drains the writer: every acknowledged request is committed
  // Exports the last alerts committed.
  if (*exporter) (*exporter)->Stop();
  return 0;
}

int RunServe(const ServeOptions& options) {
  // Before the keys are loaded, so that an offline key operation cannot slip in between.
  std::optional<DataDirLock> dir_lock;
  if (DataDir dir{options.data_dir}; CheckDataDir(dir)) {
    auto lock = DataDirLock::ForServing(dir);
    if (!lock) {
      std::cerr << "medvault serve: " << lock.error().message << "\n";
      return 1;
    }
    dir_lock.emplace(std::move(*lock));
  }
  auto rt = OpenRuntime(options.data_dir);
  if (!rt) {
    std::cerr << "medvault serve: " << rt.error().message << "\n";
    return 1;
  }
  // Damage found now stops start-up; found later, it would fail requests one by one.
  Runtime& opened = **rt;
  Status usable = opened.config.check_database_at_start ? opened.store->CheckIntegrity() : Ok();
  if (usable) usable = opened.audit->CheckKey(opened.store->reader());
  if (!usable) {
    std::cerr << "medvault serve: " << usable.error().message << "\n";
    return 1;
  }
  return Serve(**rt, options, [&](const std::string& url) {
    std::cout << "medvault: serving " << url << " (data " << options.data_dir << ")" << std::endl;
  });
}

}  // namespace medvault::cli
