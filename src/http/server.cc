// The HTTPS server: the listening socket, the accept loop with its connection cap, the
// I/O threads and Stop(). Each accepted connection is served by connection.cc on a
// strand of its own; all strands share one io_context run by `threads` threads.
#include "http/server.h"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
// (kept apart so that include sorting cannot move it below the Boost headers)

#include <algorithm>
#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <cstdint>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "http/connection.h"
#include "http/response_head.h"
#include "http/tls_context.h"

namespace medvault::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// How long Stop() lets aborted connections unwind before it stops the I/O threads.
constexpr std::chrono::seconds kStopGrace{2};
// After a failed accept (e.g. out of file descriptors), wait instead of spinning.
constexpr std::chrono::milliseconds kAcceptBackoff{50};

std::string AddressText(const asio::ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).to_string();
  return address.to_string();
}

// Whose share of the connections a new one counts against: its IPv4 address, or its
// IPv6 /64 (one subscriber's prefix: an attacker holds all of it).
std::string PeerKey(const asio::ip::address& address) {
  if (!address.is_v6() || address.to_v6().is_v4_mapped()) return AddressText(address);
  asio::ip::address_v6::bytes_type bytes = address.to_v6().to_bytes();
  std::fill(bytes.begin() + 8, bytes.end(), 0);
  return asio::ip::address_v6(bytes).to_string() + "/64";
}

class ServerImpl final : public Server {
 public:
  ServerImpl(const ServerOptions& options, Handler& handler)
      : options_(options), handler_(handler), acceptor_(asio::make_strand(ioc_)) {}
  ~ServerImpl() override { Stop(); }

  Status Listen();
  void Run();

  uint16_t port() const override { return port_; }
  void Post(std::function<void()> task) override { asio::post(ioc_, std::move(task)); }
  void Stop() override;
  void Wait() override;

 private:
  // Membership in live_, held by the connection's coroutine frame: it ends when the
  // frame is destroyed, however the coroutine ends.
  class LiveConnection {
   public:
    LiveConnection(ServerImpl& server, Connection* connection)
        : server_(&server), connection_(connection) {}
    LiveConnection(LiveConnection&& other) noexcept
        : server_(std::exchange(other.server_, nullptr)), connection_(other.connection_) {}
    LiveConnection& operator=(LiveConnection&&) = delete;
    ~LiveConnection() {
      if (server_ != nullptr) server_->Forget(connection_);
    }

   private:
    ServerImpl* server_;
    Connection* connection_;
  };

  asio::awaitable<void> Accept();
  void Admit(tcp::socket socket);
  void Forget(Connection* connection);
  asio::awaitable<void> Serve(std::shared_ptr<Connection> c, LiveConnection live);

  const ServerOptions options_;
  Handler& handler_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  const ConnectionContext context_{options_, handler_, stopping_};

  // Declared before ioc_: frames that ioc_'s destructor destroys still unregister.
  std::mutex live_mutex_;
  std::condition_variable live_empty_;
  struct LiveEntry {
    std::weak_ptr<Connection> connection;
    std::string peer_key;  // PeerKey of its address
  };
  std::unordered_map<Connection*, LiveEntry> live_;
  std::unordered_map<std::string, size_t> live_per_peer_;

  std::once_flag stop_once_;
  std::mutex stopped_mutex_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;

  asio::ssl::context tls_{asio::ssl::context::tls_server};
  asio::io_context ioc_{options_.threads};
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
};

Status ServerImpl::Listen() {
  TRY(ConfigureServerTls(tls_.native_handle(), options_.certificate_file,
                         options_.private_key_file));
  error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.host, ec);
  if (ec) return Fail(ErrorCode::kInvalid, "not an IP address to listen on: " + options_.host);
  tcp::endpoint endpoint(address, options_.port);
  std::string where = options_.host + ":" + std::to_string(options_.port);
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor_.local_endpoint(ec).port();
  if (ec) return Fail(ErrorCode::kUnavailable, "cannot listen on " + where + ": " + ec.message());
  return Ok();
}

void ServerImpl::Run() {
  asio::co_spawn(acceptor_.get_executor(), Accept(), asio::detached);
  threads_.reserve(static_cast<size_t>(options_.threads));
  for (int i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

// Not from an I/O thread (a handler): it joins them.
void ServerImpl::Stop() {
  std::call_once(stop_once_, [this] {
    {
      std::lock_guard lock(live_mutex_);
      stopping_ = true;
      for (auto& [raw, entry] : live_) {
        if (std::shared_ptr<Connection> c = entry.connection.lock())
          asio::post(c->stream.get_executor(), [c] { c->Abort(); });
      }
    }
    asio::post(acceptor_.get_executor(), [this] {
      error_code ignored;
      acceptor_.close(ignored);
    });
    {
      std::unique_lock lock(live_mutex_);
      live_empty_.wait_for(lock, kStopGrace, [this] { return live_.empty(); });
    }
    // Whatever has not unwound by now (behind a handler that blocks an I/O thread, say)
    // is destroyed with the io_context.
    ioc_.stop();
    for (std::thread& t : threads_) t.join();
    std::lock_guard lock(stopped_mutex_);
    stopped_ = true;
    stopped_cv_.notify_all();
  });
}

void ServerImpl::Wait() {
  std::unique_lock lock(stopped_mutex_);
  stopped_cv_.wait(lock, [this] { return stopped_; });
}

asio::awaitable<void> ServerImpl::Accept() {
  while (acceptor_.is_open()) {
    tcp::socket socket(asio::make_strand(ioc_));
    error_code ec;
    co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (!acceptor_.is_open() || stopping_) co_return;
    if (ec) {
      asio::steady_timer pause(acceptor_.get_executor(), kAcceptBackoff);
      co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    Admit(std::move(socket));
  }
}

void ServerImpl::Admit(tcp::socket socket) {
  error_code ec;
  tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return;  // the peer is already gone
  // Responses are written whole; Nagle would only delay the last segment.
  socket.set_option(tcp::no_delay(true), ec);
  std::string peer_key = PeerKey(peer.address());
  std::lock_guard lock(live_mutex_);
  // Over a cap the socket closes here, before any TLS work is spent on it. The cap per
  // address keeps one client (slow-loris from a single host) from taking every slot.
  if (stopping_ || live_.size() >= options_.max_connections) return;
  size_t& of_peer = live_per_peer_[peer_key];
  if (of_peer >= options_.max_connections_per_address) return;  // (the cap is at least 1)
  ++of_peer;
  auto c = std::make_shared<Connection>(std::move(socket), tls_, AddressText(peer.address()));
  live_.emplace(c.get(), LiveEntry{c, std::move(peer_key)});
  asio::co_spawn(c->stream.get_executor(), Serve(c, LiveConnection(*this, c.get())),
                 asio::detached);
}

void ServerImpl::Forget(Connection* connection) {
  std::lock_guard lock(live_mutex_);
  auto entry = live_.find(connection);
  if (entry == live_.end()) return;
  auto of_peer = live_per_peer_.find(entry->second.peer_key);
  if (of_peer != live_per_peer_.end() && --of_peer->second == 0) live_per_peer_.erase(of_peer);
  live_.erase(entry);
  if (live_.empty()) live_empty_.notify_all();
}

asio::awaitable<void> ServerImpl::Serve(std::shared_ptr<Connection> c,
                                        [[maybe_unused]] LiveConnection live) {
  co_await ServeConnection(std::move(c), context_);
}

Status ValidateOptions(const ServerOptions& options) {
  if (options.threads < 1 || options.threads > 256)
    return Fail(ErrorCode::kInvalid, "threads must be between 1 and 256");
  if (options.max_connections < 1)
    return Fail(ErrorCode::kInvalid, "max_connections must be at least 1");
  if (options.max_connections_per_address < 1)
    return Fail(ErrorCode::kInvalid, "max_connections_per_address must be at least 1");
  if (options.max_header_bytes < 256 ||
      options.max_header_bytes > std::numeric_limits<uint32_t>::max() / 2)
    return Fail(ErrorCode::kInvalid, "max_header_bytes is out of range");
  for (std::chrono::seconds timeout : {options.handshake_timeout, options.header_timeout,
                                       options.body_timeout, options.idle_timeout}) {
    if (timeout.count() < 1)
      return Fail(ErrorCode::kInvalid, "every timeout must be at least one second");
  }
  if (!IsSafeHeaderValue(options.content_security_policy) ||
      !IsSafeHeaderValue(options.app_content_security_policy))
    return Fail(ErrorCode::kInvalid, "a Content-Security-Policy has a line break");
  return Ok();
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler& handler) {
  TRY(ValidateOptions(options));
  auto server = std::make_unique<ServerImpl>(options, handler);
  TRY(server->Listen());
  server->Run();
  return server;
}

}  // namespace medvault::http
