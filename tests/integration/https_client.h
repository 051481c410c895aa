// A small HTTPS client for integration tests (libcurl): verifies the server's
// certificate against the data directory's self-signed one and reuses its connection.
#pragma once

#include <curl/curl.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace medvault::testing {

struct HttpResponse {
  long status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  std::string Header(const std::string& lower_name) const;
};

class HttpsClient {
 public:
  HttpsClient(std::string base_url, std::string ca_file);
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  HttpResponse Request(const std::string& method, const std::string& path,
                       const std::string& body = "", const std::vector<std::string>& headers = {});
  HttpResponse Get(const std::string& path, const std::vector<std::string>& headers = {}) {
    return Request("GET", path, "", headers);
  }
  // Number of TCP connections opened so far (keep-alive check).
  long connects() const { return connects_; }

  void set_bearer(std::string token) { bearer_ = std::move(token); }
  const std::string& bearer() const { return bearer_; }
  const std::string& base_url() const { return base_url_; }
  const std::string& ca_file() const { return ca_file_; }

 private:
  std::string base_url_;
  std::string ca_file_;
  std::string bearer_;
  CURL* curl_;
  long connects_ = 0;
};

// A GET whose body keeps coming (Server-Sent Events), read by a thread of its own on a
// connection of its own until the server ends the response or the client hangs up.
class EventStream {
 public:
  // GET `path` with `like`'s base URL, certificate and bearer token, plus `headers`.
  EventStream(const HttpsClient& like, const std::string& path,
              const std::vector<std::string>& headers = {});
  ~EventStream();  // Close()
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // The response's status once its head has arrived (waiting up to `timeout`), or 0.
  long WaitForStatus(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Whether the body holds `text` within `timeout`.
  bool WaitFor(const std::string& text, std::chrono::milliseconds timeout);
  // Whether the server ended the response (or the connection) within `timeout`.
  bool WaitForEnd(std::chrono::milliseconds timeout);
  std::string body() const;
  std::string Header(const std::string& lower_name) const;
  // Hangs up (within about a second: libcurl checks between reads) and joins.
  void Close();
  // Asks to hang up without waiting: closing many streams in parallel.
  void Hangup() { hangup_ = true; }

 private:
  static size_t OnBody(char* data, size_t size, size_t n, void* self);
  static size_t OnHeader(char* data, size_t size, size_t n, void* self);
  static int OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
  template <typename Predicate>
  bool Wait(std::chrono::milliseconds timeout, Predicate done);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  long status_ = 0;
  bool head_done_ = false;
  bool ended_ = false;
  std::string body_;
  std::multimap<std::string, std::string> headers_;
  std::atomic<bool> hangup_{false};
  std::thread thread_;
};

}  // namespace medvault::testing
