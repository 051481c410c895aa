// The HTTPS server: TLS 1.2/1.3 with AEAD suites only, HTTP/1.1 keep-alive, limits on
// header size, body size, timeouts and connection count, security headers on every
// response. There is no plaintext listener.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/message.h"

namespace medvault::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8443;  // 0: an ephemeral port, see Server::port()
  int threads = 2;
  std::string certificate_file;  // PEM
  std::string private_key_file;  // PEM
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  size_t max_connections = 1024;
  // Of those, how many one client may hold: an IPv4 address, or an IPv6 /64. A practice
  // behind one NAT address needs a few per browser; a slow-loris host gets no more.
  size_t max_connections_per_address = 256;
  std::chrono::seconds handshake_timeout{10};
  std::chrono::seconds header_timeout{10};  // from first byte of a request to its end
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{60};  // keep-alive wait between requests
  // Content-Security-Policy sent on every response.
  std::string content_security_policy =
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
  // Content-Security-Policy sent with the web application's files (Response::app_page):
  // its own scripts, styles and images, requests to its own origin, nothing inline,
  // nothing from elsewhere, no frames.
  std::string app_content_security_policy =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
      "font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; "
      "form-action 'none'; frame-ancestors 'none'";
};

class Server {
 public:
  // Binds, loads the certificate, starts `options.threads` I/O threads.
  // Errors: kUnavailable (cannot bind), kInvalid (bad certificate or key).
  static Result<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler& handler);
  virtual ~Server() = default;

  virtual uint16_t port() const = 0;
  // Runs `task` on one of the I/O threads. Work that completes many requests at once
  // (a database commit) hands their completions over in one task: one thread wake-up
  // for the group instead of one per request. After Stop() the task may never run.
  virtual void Post(std::function<void()> task) = 0;
  // Stops accepting, closes connections, joins the threads. Idempotent.
  virtual void Stop() = 0;
  // Blocks until Stop() is called (from another thread or a signal handler path).
  virtual void Wait() = 0;
};

}  // namespace medvault::http
