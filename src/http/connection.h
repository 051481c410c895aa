// One TLS connection, served by one coroutine on the connection's strand. Private to
// http/ (it carries Boost types); server.cc accepts connections and hands them here.
#pragma once

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>
// (kept apart so that include sorting cannot move it below the Boost headers)

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <memory>
#include <string>

#include "http/message.h"
#include "http/server.h"

namespace medvault::http {

struct Connection {
  Connection(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls, std::string peer)
      : stream(std::move(socket), tls),
        wake(stream.get_executor()),
        client_address(std::move(peer)) {}

  // On the connection's strand (Server::Stop posts it there): every pending operation
  // ends, and so does the coroutine serving the connection.
  void Abort() {
    aborted = true;
    wake.cancel();
    boost::beast::get_lowest_layer(stream).close();
  }

  boost::beast::ssl_stream<boost::beast::tcp_stream> stream;
  boost::asio::steady_timer wake;  // a Responder's answer cancels the wait on it
  std::string client_address;
  bool aborted = false;  // on the strand only
};

// What a connection needs from the server that accepted it; outlives every connection.
struct ConnectionContext {
  const ServerOptions& options;
  Handler& handler;
  const std::atomic<bool>& stopping;  // set by Stop(): answer with Connection: close
};

// TLS handshake, then requests one at a time (keep-alive) until the peer leaves, a
// limit or a timeout ends the connection, or Abort() is called. Runs on the strand that
// is `c->stream`'s executor.
boost::asio::awaitable<void> ServeConnection(std::shared_ptr<Connection> c,
                                             const ConnectionContext& context);

}  // namespace medvault::http
