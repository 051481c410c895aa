// Plain request and response types: everything outside http/ sees these, never
// Boost.Beast types.
#pragma once

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
  std::string method;          // "GET", "POST", … (as sent, upper case)
  std::string target;          // raw request target: "/fhir/Patient?family=x"
  std::string path;            // target before '?', still percent-encoded
  std::string query;           // target after '?', still percent-encoded; "" if none
  std::vector<Header> headers;
  std::string body;
  std::string client_address;  // peer IP address, e.g. "127.0.0.1"
  std::string host;            // Host header value ("" if absent)

  // First header with this name (case-insensitive), or "" when absent.
  std::string_view HeaderValue(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;  // e.g. Content-Type, ETag, Location
  std::string body;
  // When true (the default) the server adds `Cache-Control: no-store`. Everything
  // that can carry patient data keeps it true.
  bool no_store = true;

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
  virtual Response ProtocolError(int status, std::string_view message,
                                 std::string_view path) = 0;
};

}  // namespace medvault::http
