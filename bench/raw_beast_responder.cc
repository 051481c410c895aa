// The ceiling for medvault's HTTPS throughput on a given machine: the least a Beast
// server can do per request — same TLS policy (ConfigureServerTls), same compiled
// Asio/Beast, same thread count and per-connection strands, keep-alive — and nothing
// else: no limits, no timeouts, no handler, no authentication, no storage. Every GET
// (every request, in fact) gets the same ~1 KB JSON body.
//
//   raw_beast_responder --cert cert.pem --key key.pem [--port 8444|0] [--threads 2]
//                       [--host 127.0.0.1]
//
// Runs until SIGINT or SIGTERM. bench/wrk_compare.sh measures medvault against it.

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
// (kept apart so that include sorting cannot move it below the Boost headers)

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/tls_context.h"

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

struct Options {
  std::string host = "127.0.0.1";
  unsigned short port = 8444;
  int threads = 2;
  std::string cert;
  std::string key;
};

// A FHIR Patient of about the size medvault answers a read with.
std::string MakeBody() {
  std::string body =
      R"({"resourceType":"Patient","id":"3f6c1d2e-8a4b-4c7e-9f10-2b3c4d5e6f70",)"
      R"("meta":{"versionId":"3","lastUpdated":"2025-03-14T09:26:53.589Z"},)"
      R"("identifier":[{"system":"urn:oid:1.2.250.1.213.1.4.8","value":"2850375123456"}],)"
      R"("active":true,"name":[{"use":"official","family":"Martin",)"
      R"("given":["Camille","Marie"]}],"telecom":[{"system":"phone",)"
      R"("value":"+33 6 12 34 56 78","use":"mobile"},{"system":"email",)"
      R"("value":"camille.martin@example.org"}],"gender":"female",)"
      R"("birthDate":"1985-03-07","address":[{"use":"home",)"
      R"("line":["12 rue des Lilas"],"city":"Lyon","postalCode":"69003",)"
      R"("country":"FR"}],"note":")";
  body.append(1024 - 2 - body.size(), 'x');  // pad to exactly 1 KiB
  body += R"("})";
  return body;
}

asio::awaitable<void> Serve(beast::ssl_stream<beast::tcp_stream> stream, const std::string& body) {
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  co_await stream.async_handshake(asio::ssl::stream_base::server, token);
  beast::flat_buffer buffer;
  while (!ec) {
    bhttp::request<bhttp::string_body> request;  // a fresh message (and parser) each time
    co_await bhttp::async_read(stream, buffer, request, token);
    if (ec) break;
    bhttp::response<bhttp::string_body> response{bhttp::status::ok, 11};
    response.set(bhttp::field::content_type, "application/fhir+json");
    response.keep_alive(request.keep_alive());
    response.body() = body;
    response.prepare_payload();
    co_await bhttp::async_write(stream, response, token);
    if (!response.keep_alive()) break;
  }
}

asio::awaitable<void> Accept(asio::io_context& ioc, tcp::acceptor& acceptor,
                             asio::ssl::context& tls, const std::string& body) {
  for (;;) {
    tcp::socket socket(asio::make_strand(ioc));
    error_code ec;
    co_await acceptor.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
    if (!acceptor.is_open()) co_return;
    if (ec) continue;
    socket.set_option(tcp::no_delay(true), ec);
    auto executor = socket.get_executor();
    asio::co_spawn(executor,
                   Serve(beast::ssl_stream<beast::tcp_stream>(std::move(socket), tls), body),
                   asio::detached);
  }
}

bool ParseArguments(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    const char* value = argv[i + 1];
    if (flag == "--port") {
      options.port = static_cast<unsigned short>(std::atoi(value));
    } else if (flag == "--threads") {
      options.threads = std::atoi(value);
    } else if (flag == "--cert") {
      options.cert = value;
    } else if (flag == "--key") {
      options.key = value;
    } else if (flag == "--host") {
      options.host = value;
    } else {
      return false;
    }
  }
  return argc % 2 == 1 && !options.cert.empty() && !options.key.empty() && options.threads > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!ParseArguments(argc, argv, options)) {
    std::fprintf(stderr, "usage: %s --cert FILE --key FILE [--port N] [--threads N] [--host IP]\n",
                 argv[0]);
    return 2;
  }
  asio::ssl::context tls(asio::ssl::context::tls_server);
  if (auto configured =
          medvault::http::ConfigureServerTls(tls.native_handle(), options.cert, options.key);
      !configured) {
    std::fprintf(stderr, "%s\n", configured.error().message.c_str());
    return 1;
  }

  asio::io_context ioc(options.threads);
  tcp::acceptor acceptor(asio::make_strand(ioc));
  error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address(options.host, ec), options.port);
  if (!ec) acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    std::fprintf(stderr, "cannot listen on %s:%u: %s\n", options.host.c_str(), options.port,
                 ec.message().c_str());
    return 1;
  }

  const std::string body = MakeBody();
  asio::co_spawn(acceptor.get_executor(), Accept(ioc, acceptor, tls, body), asio::detached);
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](const error_code&, int) { ioc.stop(); });

  // One line on stdout with the port actually bound (--port 0 picks a free one), for
  // scripts that start the responder.
  std::printf("listening on https://%s:%u/ with %d thread(s)\n", options.host.c_str(),
              acceptor.local_endpoint(ec).port(), options.threads);
  std::fflush(stdout);
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&] { ioc.run(); });
  ioc.run();
  for (std::thread& t : threads) t.join();
  return 0;
}
