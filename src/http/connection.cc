#include "http/connection.h"

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "http/pending_reply.h"
#include "http/request_reader.h"
#include "http/response_head.h"
#include "http/stream_channel.h"

// GCC 12 reports the frame deallocation of asio::awaitable coroutines returning a value
// as mismatched: asio's promise defines its own operator new/delete (it recycles frame
// memory), and GCC pairs the promise's sized delete with the global new. False positive.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace medvault::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

// After `Connection: close`, how long the peer has to answer our TLS close_notify.
constexpr std::chrono::seconds kCloseTimeout{1};
// After refusing a request whose body may still be on its way, how long and how much
// of it we read and discard before closing (a "lingering close", as nginx does).
// Closing a socket with unread bytes makes the kernel send a reset, and a reset can
// destroy our answer in the client's receive queue before the client reads it.
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr size_t kLingerMaxBytes = 8 * 1024 * 1024;

class Session {
 public:
  explicit Session(const ConnectionContext& context)
      : options_(context.options), handler_(context.handler), stopping_(context.stopping) {}

  asio::awaitable<void> Run(std::shared_ptr<Connection> c);

 private:
  asio::awaitable<IncomingRequest> ReadRequest(Connection& c, beast::flat_buffer& buffer);
  static asio::awaitable<void> Drain(beast::tcp_stream& socket);
  asio::awaitable<std::optional<Response>> Dispatch(Connection& c, Request request);
  asio::awaitable<bool> Send(const std::shared_ptr<Connection>& c, Response response,
                             const IncomingRequest& in, bool keep_alive);
  asio::awaitable<bool> Stream(const std::shared_ptr<Connection>& c,
                               std::function<void(std::shared_ptr<StreamWriter>)> start,
                               bool chunked);
  static asio::awaitable<void> WatchPeer(std::shared_ptr<Connection> c, std::shared_ptr<bool> left);
  Response ProtocolError(int status, std::string_view message, std::string_view path);
  std::vector<Header> SendableHeaders(Response& response, std::string_view path);

  const ServerOptions& options_;
  Handler& handler_;
  const std::atomic<bool>& stopping_;
};

asio::awaitable<void> Session::Run(std::shared_ptr<Connection> c) {
  beast::tcp_stream& socket = beast::get_lowest_layer(c->stream);
  error_code ec;
  socket.expires_after(options_.handshake_timeout);
  co_await c->stream.async_handshake(asio::ssl::stream_base::server,
                                     asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return;

  beast::flat_buffer buffer(RequestReader::BufferLimit(options_));
  // A new connection gets no idle grace: it has to start its request promptly.
  std::chrono::seconds wait = options_.header_timeout;
  bool linger = false;
  for (;;) {
    // Waiting for the first byte of the next request is idle time, not header time.
    if (buffer.size() == 0) {
      socket.expires_after(wait);
      size_t n = co_await c->stream.async_read_some(buffer.prepare(kReadChunk),
                                                    asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      buffer.commit(n);
    }
    wait = options_.idle_timeout;

    IncomingRequest in = co_await ReadRequest(*c, buffer);
    if (in.outcome == IncomingRequest::Outcome::kGone) co_return;
    std::optional<Response> response;
    if (in.outcome == IncomingRequest::Outcome::kRequest) {
      response = co_await Dispatch(*c, std::move(in.request));
      if (!response) co_return;  // Stop()
    } else {
      response = ProtocolError(in.status, in.message, in.path);
      response->stream = nullptr;  // a refused request gets a plain answer
    }
    // A stream is the connection's last response.
    bool keep_alive = in.outcome == IncomingRequest::Outcome::kRequest && in.keep_alive &&
                      !stopping_ && !response->stream;
    if (!co_await Send(c, std::move(*response), in, keep_alive)) co_return;
    if (!keep_alive) {
      linger = in.outcome == IncomingRequest::Outcome::kRefused;
      break;
    }
  }
  // `Connection: close` went out with the last response; close_notify follows it.
  socket.expires_after(kCloseTimeout);
  co_await c->stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
  if (linger && socket.socket().is_open()) {
    // The client may still be sending the body we refused (the TLS shutdown then fails
    // on its data), and may not read our answer until it has sent everything. Say we
    // are done writing and swallow what it sends, so that the close does not become a
    // reset that destroys the answer before the client reads it.
    socket.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    co_await Drain(socket);
  }
  socket.close();
}

asio::awaitable<void> Session::Drain(beast::tcp_stream& socket) {
  std::array<char, kReadChunk> sink;
  size_t drained = 0;
  socket.expires_after(kLingerTimeout);
  error_code ec;
  while (drained < kLingerMaxBytes) {
    size_t n = co_await socket.async_read_some(asio::buffer(sink),
                                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // the client closed, the time ran out, or Stop()
    drained += n;
  }
}

// ParseIncomingRequest (request_reader.cc) takes the same steps with reads from memory.
asio::awaitable<IncomingRequest> Session::ReadRequest(Connection& c, beast::flat_buffer& buffer) {
  beast::tcp_stream& socket = beast::get_lowest_layer(c.stream);
  error_code ec;
  RequestReader reader(options_);

  socket.expires_after(options_.header_timeout);
  reader.ParseBuffered(buffer, false, ec);
  if (!ec && !reader.parser().is_header_done()) {
    reader.AddHeaderBytes(co_await bhttp::async_read_header(
        c.stream, buffer, reader.parser(), asio::redirect_error(asio::use_awaitable, ec)));
  }
  if (std::optional<IncomingRequest> refused = reader.CheckHeader(ec)) co_return *refused;

  if (!reader.parser().is_done()) {
    socket.expires_after(options_.body_timeout);
    // A client that waits for permission before sending its body gets it only now,
    // after the declared size has been checked.
    if (reader.ExpectsContinue()) {
      constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      co_await asio::async_write(c.stream, asio::buffer(kContinue),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return IncomingRequest{};
    }
    reader.ParseBuffered(buffer, true, ec);
    while (!ec && !reader.parser().is_done()) {
      size_t room = RequestReader::ReadRoom(buffer);
      if (room == 0) {
        ec = bhttp::error::buffer_overflow;
        break;
      }
      size_t n = co_await c.stream.async_read_some(buffer.prepare(room),
                                                   asio::redirect_error(asio::use_awaitable, ec));
      buffer.commit(n);
      if (!ec && reader.ReadyToParse(buffer)) reader.ParseBuffered(buffer, true, ec);
    }
  }
  co_return reader.Finish(ec, c.client_address);
}

asio::awaitable<std::optional<Response>> Session::Dispatch(Connection& c, Request request) {
  auto reply = std::make_shared<PendingReply>(c.stream.get_executor(), c.wake);
  // However this frame ends (answer, Stop(), destruction), later answers are dropped.
  struct CloseOnExit {
    PendingReply& reply;
    ~CloseOnExit() { reply.Close(); }
  } close_on_exit{*reply};

  try {
    handler_.Handle(std::move(request), reply->MakeResponder());
  } catch (...) {
    // The Responder was destroyed while the exception unwound (unless the handler had
    // already handed it on), which answered 500; the server keeps serving.
  }
  for (;;) {
    if (std::optional<Response> response = reply->TakeOrArmWake()) co_return response;
    if (c.aborted) co_return std::nullopt;
    c.wake.expires_at(asio::steady_timer::time_point::max());
    error_code ec;  // operation_aborted is the expected wake-up
    co_await c.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

Response Session::ProtocolError(int status, std::string_view message, std::string_view path) {
  try {
    return handler_.ProtocolError(status, message, path);
  } catch (...) {
    Response fallback;
    fallback.status = status;
    fallback.body = std::string(message);
    fallback.headers.push_back({"Content-Type", "text/plain"});
    return fallback;
  }
}

// The headers to send with `response`, which a handler bug (a header that cannot go on
// the wire, a status that is not one) turns into a plain 500.
std::vector<Header> Session::SendableHeaders(Response& response, std::string_view path) {
  const std::string& csp = options_.content_security_policy;
  Result<std::vector<Header>> headers =
      WireHeaders(response, response.app_page ? options_.app_content_security_policy : csp);
  if (headers && IsSendableStatus(response.status)) return *std::move(headers);
  response = ProtocolError(500, "internal error: invalid response", path);
  headers = WireHeaders(response, csp);
  if (headers && IsSendableStatus(response.status)) return *std::move(headers);
  response = Response{};
  response.status = 500;
  return *WireHeaders(response, csp);
}

asio::awaitable<bool> Session::Send(const std::shared_ptr<Connection>& c, Response response,
                                    const IncomingRequest& in, bool keep_alive) {
  std::vector<Header> headers = SendableHeaders(response, in.path);
  // 204 and 304 carry neither a body nor (RFC 9110 8.6) a Content-Length of one; HEAD
  // gets the length of the body a GET would get, and no body. A streamed body has no
  // length: it is chunked on HTTP/1.1 and lasts until the connection closes on 1.0.
  bool bodyless = response.status == 204 || response.status == 304;
  bool streamed = response.stream && !bodyless;
  Framing framing;
  framing.version = in.version == 10 ? 10 : 11;
  framing.keep_alive = keep_alive && !streamed;
  framing.chunked = streamed && framing.version == 11;
  if (!bodyless && !streamed) framing.content_length = response.body.size();
  bhttp::status known = bhttp::int_to_status(static_cast<unsigned>(response.status));
  beast::string_view reason =
      known == bhttp::status::unknown ? beast::string_view() : bhttp::obsolete_reason(known);
  std::string head = ResponseHead(response.status, std::string_view(reason.data(), reason.size()),
                                  headers, framing);
  std::string_view body = bodyless || in.head || streamed ? std::string_view() : response.body;
  // Head and body in one contiguous buffer: small answers go out in one TLS record, and
  // Asio 1.74's TLS stream loses the tail of a multi-buffer write past one record (16
  // KiB): the client waited for bytes that never came (tests/http: LargeBodiesArriveWhole).
  beast::get_lowest_layer(c->stream).expires_after(options_.body_timeout);
  error_code ec;
  head.append(body);
  co_await asio::async_write(c->stream, asio::buffer(head),
                             asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return false;
  if (!streamed || in.head) co_return true;
  co_return co_await Stream(c, std::move(response.stream), framing.chunked);
}

// The body of a streamed response: what the handler's writer is given, as it comes,
// until the producer finishes, the client leaves, a write times out (a client that
// stopped reading) or Stop() aborts the connection. True when the producer finished
// and the connection can be shut down politely.
asio::awaitable<bool> Session::Stream(const std::shared_ptr<Connection>& c,
                                      std::function<void(std::shared_ptr<StreamWriter>)> start,
                                      bool chunked) {
  beast::tcp_stream& socket = beast::get_lowest_layer(c->stream);
  auto channel = std::make_shared<StreamChannel>(c->stream.get_executor(), c->wake);
  // However this frame ends, the producer's writes are refused from then on, and a
  // stream that did not finish leaves no socket behind for the watcher to wait on.
  struct EndOnExit {
    StreamChannel& channel;
    beast::tcp_stream& socket;
    bool clean = false;
    ~EndOnExit() {
      channel.Close();
      if (!clean) socket.close();
    }
  } end_on_exit{*channel, socket};
  try {
    start(channel);
  } catch (...) {
    co_return false;
  }
  start = nullptr;

  // The client of a stream sends nothing more: a read that completes means it left
  // (or closed its side), which ends the stream now rather than at the next write.
  socket.expires_never();
  auto left = std::make_shared<bool>(false);
  asio::co_spawn(c->stream.get_executor(), WatchPeer(c, left), asio::detached);
  error_code ec;
  for (;;) {
    if (*left || c->aborted) co_return false;
    StreamChannel::Next next = channel->TakeOrArmWake();
    if (next.bytes.empty() && !next.finished) {
      c->wake.expires_at(asio::steady_timer::time_point::max());
      co_await c->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    // All that is queued goes out as one chunk, in one buffer (see Send).
    std::string out = chunked && !next.bytes.empty() ? Chunk(next.bytes) : std::move(next.bytes);
    if (next.finished && chunked) out += kLastChunk;
    if (!out.empty()) {
      socket.expires_after(options_.body_timeout);  // the read keeps no deadline
      co_await asio::async_write(c->stream, asio::buffer(out),
                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return false;
    }
    if (next.finished) break;
  }
  // Only one read at a time on a TLS stream: the watcher's ends before the shutdown's.
  socket.cancel();
  while (!*left && !c->aborted) {
    c->wake.expires_at(asio::steady_timer::time_point::max());
    co_await c->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  end_on_exit.clean = !c->aborted;
  co_return end_on_exit.clean;
}

// Reads (and drops) whatever the client of a stream sends, until the read fails: the
// client left, Stream() cancelled the read, or the socket was closed. Then tells Stream().
asio::awaitable<void> Session::WatchPeer(std::shared_ptr<Connection> c,
                                         std::shared_ptr<bool> left) {
  std::array<char, 512> sink;
  error_code ec;
  while (!ec)
    co_await c->stream.async_read_some(asio::buffer(sink),
                                       asio::redirect_error(asio::use_awaitable, ec));
  *left = true;
  c->wake.cancel();
}

}  // namespace

asio::awaitable<void> ServeConnection(std::shared_ptr<Connection> c,
                                      const ConnectionContext& context) {
  Session session(context);
  co_await session.Run(std::move(c));
}

}  // namespace medvault::http
