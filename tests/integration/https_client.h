// A small HTTPS client for integration tests (libcurl): verifies the server's
// certificate against the data directory's self-signed one and reuses its connection.
#pragma once

#include <curl/curl.h>

#include <map>
#include <string>
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

 private:
  std::string base_url_;
  std::string ca_file_;
  std::string bearer_;
  CURL* curl_;
  long connects_ = 0;
};

}  // namespace medvault::testing
