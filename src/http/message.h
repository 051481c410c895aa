// Plain request and response types: everything outside http/ sees these, never
// Boost.Beast types.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace medvault::http {

struct Header {
  std::string name;  // as received / as to be sent; lookups are case-insensitive
  std::string value;
};

struct Request {
  std::string method;  // "GET", "POST", … (as sent, upper case)
  std::string target;  // raw request target: "/fhir/Patient?family=x"
  std::string path;    // target before '?', still percent-encoded
  std::string query;   // target after '?', still percent-encoded; "" if none
  std::vector<Header> headers;
  std::string body;
  std::string client_address;  // peer IP address, e.g. "127.0.0.1"
  std::string host;            // Host header value ("" if absent)

  // First header with this name (case-insensitive), or "" when absent.
  std::string_view HeaderValue(std::string_view name) const;
};

// The handler's end of a response whose body is written over time (Response::stream):
// Server-Sent Events. Safe to use from any thread, for as long as the handler likes; the
// server holds the other end and sends what it is given in the order given.
class StreamWriter {
 public:
  virtual ~StreamWriter() = default;
  // Queues `bytes` for the client and returns at once. False once the stream has ended
  // (the client went away, a write to it timed out, the server is stopping, or Finish()
  // was called): the bytes are dropped, and so should the writer be.
  virtual bool Write(std::string bytes) = 0;
  // Ends the response after what is queued.
  virtual void Finish() = 0;
  // Whether the stream has ended; a producer that writes rarely polls this to learn
  // that the client went away.
  virtual bool ended() const = 0;
  // Bytes queued and not yet handed to the connection: a slow reader's backlog, for a
  // producer to hold back on.
  virtual size_t backlog() const = 0;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;  // e.g. Content-Type, ETag, Location
  std::string body;
  // When true (the default) the server adds `Cache-Control: no-store`. Everything
  // that can carry patient data keeps it true.
  bool no_store = true;
  // A file of the web application: sent with the app's Content-Security-Policy
  // (ServerOptions::app_content_security_policy), which lets the page load its own
  // scripts and styles, instead of the API's, which allows nothing.
  bool app_page = false;
  // Set for a streamed response: the server sends the status and headers without a
  // Content-Length (chunked on HTTP/1.1, to the end of the connection on 1.0) and then
  // calls `stream` once, on an I/O thread, with the writer of the body; `body` is not
  // sent. It must return promptly (hand the writer to a producer). The connection ends
  // with the stream. Never called for HEAD or when the head could not be sent.
  std::function<void(std::shared_ptr<StreamWriter>)> stream;

  Response& With(std::string name, std::string value) {
    headers.push_back({std::move(name), std::move(value)});
    return *this;
  }
};

// Completes one request. May be called from any thread, exactly once; a Responder
// destroyed without being called answers 500, so a bug cannot hang a connection.
class Responder {
 public:
  using Fn = std::function<void(Response)>;
  explicit Responder(Fn fn);
  Responder(Responder&&) noexcept = default;
  Responder& operator=(Responder&&) noexcept = default;
  Responder(const Responder&) = delete;
  Responder& operator=(const Responder&) = delete;
  ~Responder();

  void operator()(Response response);

 private:
  Fn fn_;
};

// What the server calls for every complete, well-formed request.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual void Handle(Request request, Responder respond) = 0;
  // Builds the answer for a request the server refuses before it reaches Handle
  // (malformed, header too large, body too large, unsupported method …). `path` is
  // the request path when it was parsed, "" otherwise.
  virtual Response ProtocolError(int status, std::string_view message, std::string_view path) = 0;
};

}  // namespace medvault::http
