// A real medvault::http::Server on an ephemeral port, with a fresh self-signed
// certificate in a temporary directory and a handler each test programs.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http/message.h"
#include "http/server.h"
#include "http/tls_certificate.h"

namespace medvault::http::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "medvault-http-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// Answers `200 hello <path>` unless a test sets `on_request`; protocol errors get a
// text body that names the status, so that tests can tell who answered.
class TestHandler : public Handler {
 public:
  std::function<void(Request, Responder)> on_request;

  ~TestHandler() override {
    // Joined here, after the server is gone: a late Responder then answers a
    // connection that no longer exists, which must be harmless.
    for (std::thread& t : threads_) t.join();
  }

  void Handle(Request request, Responder respond) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    if (on_request) {
      on_request(std::move(request), std::move(respond));
      return;
    }
    Response r;
    r.body = "hello " + request.path;
    r.With("Content-Type", "text/plain");
    respond(std::move(r));
  }

  Response ProtocolError(int status, std::string_view message, std::string_view path) override {
    Response r;
    r.status = status;
    r.body = "protocol error " + std::to_string(status) + ": " + std::string(message) + " at '" +
             std::string(path) + "'";
    r.With("Content-Type", "text/plain");
    return r;
  }

  // Runs `fn` on a thread of its own (joined when the handler is destroyed).
  void Spawn(std::function<void()> fn) {
    std::lock_guard lock(mutex_);
    threads_.emplace_back(std::move(fn));
  }

  std::vector<Request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  std::mutex mutex_;
  std::vector<Request> requests_;
  std::vector<std::thread> threads_;
};

// Short timeouts so that timeout tests stay fast, long enough for a TLS handshake
// under AddressSanitizer.
inline ServerOptions TestOptions() {
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.handshake_timeout = std::chrono::seconds(3);
  options.header_timeout = std::chrono::seconds(3);
  options.body_timeout = std::chrono::seconds(3);
  options.idle_timeout = std::chrono::seconds(3);
  return options;
}

class TestServer {
 public:
  explicit TestServer(ServerOptions options = TestOptions()) {
    Status made = WriteSelfSignedCertificate({}, cert_file(), dir_.File("key.pem"));
    if (!made) throw std::runtime_error("certificate: " + made.error().message);
    options.certificate_file = cert_file();
    options.private_key_file = dir_.File("key.pem");
    Result<std::unique_ptr<Server>> started = Server::Start(options, handler);
    if (!started) throw std::runtime_error("server: " + started.error().message);
    server = std::move(*started);
  }

  std::string cert_file() const { return dir_.File("cert.pem"); }
  uint16_t port() const { return server->port(); }
  std::string Url(const std::string& target) const {
    return "https://127.0.0.1:" + std::to_string(port()) + target;
  }

 private:
  TempDir dir_;  // first: outlives the server that reads its files

 public:
  TestHandler handler;  // before `server`: destroyed after it
  std::unique_ptr<Server> server;
};

// Polls `condition` for up to `timeout`.
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

}  // namespace medvault::http::testing
