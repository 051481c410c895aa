// Clients for the server tests: libcurl for ordinary HTTPS exchanges (it verifies the
// certificate against the generated one), and a raw OpenSSL client that sends any bytes
// at all and chooses its own TLS versions and ciphers.
#pragma once

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace medvault::http::testing {

struct HttpResult {
  long status = 0;
  std::string body;
  std::multimap<std::string, std::string> headers;  // names lower-cased
  long new_connections = 0;                         // CURLINFO_NUM_CONNECTS

  bool Has(const std::string& name) const { return headers.count(name) > 0; }
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One libcurl easy handle: requests made with it reuse its connection when they can.
class CurlClient {
 public:
  explicit CurlClient(const std::string& ca_file) : curl_(curl_easy_init()) {
    curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_file.c_str());
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &CurlClient::OnBody);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, &CurlClient::OnHeader);
  }
  ~CurlClient() {
    curl_slist_free_all(extra_headers_);
    curl_easy_cleanup(curl_);
  }
  CurlClient(const CurlClient&) = delete;
  CurlClient& operator=(const CurlClient&) = delete;

  void AddHeader(const std::string& line) {
    extra_headers_ = curl_slist_append(extra_headers_, line.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, extra_headers_);
  }

  // method "GET", "HEAD", "POST", …; `body` is sent for POST and PUT.
  std::optional<HttpResult> Fetch(const std::string& url, const std::string& method = "GET",
                                  const std::string& body = "") {
    HttpResult result;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &result);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &result);
    curl_easy_setopt(curl_, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST,
                     method == "GET" || method == "HEAD" ? nullptr : method.c_str());
    if (method == "POST" || method == "PUT") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.c_str());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    } else {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, method == "HEAD" ? 0L : 1L);
    }
    CURLcode code = curl_easy_perform(curl_);
    if (code != CURLE_OK) {
      last_error_ = curl_easy_strerror(code);
      return std::nullopt;
    }
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &result.status);
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &result.new_connections);
    return result;
  }

  const std::string& last_error() const { return last_error_; }

 private:
  static size_t OnBody(char* data, size_t size, size_t count, void* user) {
    static_cast<HttpResult*>(user)->body.append(data, size * count);
    return size * count;
  }
  static size_t OnHeader(char* data, size_t size, size_t count, void* user) {
    std::string_view line(data, size * count);
    size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
      std::string name(line.substr(0, colon));
      for (char& c : name) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && (value.front() == ' ')) value.remove_prefix(1);
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n'))
        value.remove_suffix(1);
      static_cast<HttpResult*>(user)->headers.emplace(std::move(name), std::string(value));
    }
    return size * count;
  }

  CURL* curl_;
  curl_slist* extra_headers_ = nullptr;
  std::string last_error_;
};

// A client writing to a connection the server has closed gets EPIPE, not a signal that
// ends the test binary (OpenSSL writes with plain write()).
inline const bool kSigpipeIgnored = [] {
  signal(SIGPIPE, SIG_IGN);
  return true;
}();

// A TCP connection to 127.0.0.1:port, with receive timeouts so that no test can hang.
// A TCP connection to the loopback server; `source`, when given, is the client's own
// address (any of 127.0.0.0/8 on Linux), so that tests can be several clients.
inline int ConnectTcp(uint16_t port, const char* source = nullptr) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (source != nullptr) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    if (inet_pton(AF_INET, source, &local.sin_addr) != 1 ||
        bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      close(fd);
      return -1;
    }
  }
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Which TLS the raw client offers. The defaults are a modern client.
struct ClientTls {
  int min_version = TLS1_2_VERSION;
  int max_version = 0;  // 0: the highest OpenSSL knows
  std::string tls12_ciphers = "DEFAULT";
  const char* source_address = nullptr;  // see ConnectTcp
};

// A TLS client over a plain blocking socket that sends exactly the bytes it is given.
class RawTlsClient {
 public:
  // Connects and completes the handshake; on failure, returns nullptr and sets
  // `error_reason` to OpenSSL's reason code (e.g. SSL_R_TLSV1_ALERT_PROTOCOL_VERSION
  // when the server refused the version) when there is one.
  static std::unique_ptr<RawTlsClient> Connect(uint16_t port, const ClientTls& tls = {},
                                               int* error_reason = nullptr) {
    auto client = std::unique_ptr<RawTlsClient>(new RawTlsClient());
    client->ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(client->ctx_, tls.min_version);
    SSL_CTX_set_max_proto_version(client->ctx_, tls.max_version);
    // Security level 0 lets this client offer what the server must refuse.
    std::string ciphers = tls.tls12_ciphers + ":@SECLEVEL=0";
    SSL_CTX_set_cipher_list(client->ctx_, ciphers.c_str());
    client->fd_ = ConnectTcp(port, tls.source_address);
    if (client->fd_ < 0) return nullptr;
    client->ssl_ = SSL_new(client->ctx_);
    SSL_set_fd(client->ssl_, client->fd_);
    ERR_clear_error();
    if (SSL_connect(client->ssl_) != 1) {
      if (error_reason != nullptr) *error_reason = ERR_GET_REASON(ERR_peek_error());
      ERR_clear_error();
      return nullptr;
    }
    return client;
  }

  ~RawTlsClient() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    if (fd_ >= 0) close(fd_);
    if (ctx_ != nullptr) SSL_CTX_free(ctx_);
  }
  RawTlsClient(const RawTlsClient&) = delete;
  RawTlsClient& operator=(const RawTlsClient&) = delete;

  bool Send(std::string_view bytes) {
    while (!bytes.empty()) {
      int n = SSL_write(ssl_, bytes.data(), static_cast<int>(bytes.size()));
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Sends close_notify: the server sees the end of the stream.
  void CloseWrite() { SSL_shutdown(ssl_); }

  // Reads until `marker` has arrived, the server closes, or `timeout` passes.
  std::string ReadUntil(std::string_view marker,
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(4000)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (received_.find(marker) == std::string::npos && ReadChunk(deadline)) {
    }
    return std::exchange(received_, {});
  }

  // Everything until the server closes the connection (or `timeout`).
  std::string ReadToClose(std::chrono::milliseconds timeout = std::chrono::milliseconds(4000)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (ReadChunk(deadline)) {
    }
    return std::exchange(received_, {});
  }

  // One response with a Content-Length body, leaving the connection open.
  std::string ReadResponse(std::chrono::milliseconds timeout = std::chrono::milliseconds(4000)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      size_t end = received_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::string head = received_.substr(0, end);
        for (char& c : head) c = static_cast<char>(tolower(static_cast<unsigned char>(c)));
        size_t length = 0;
        if (size_t at = head.find("\r\ncontent-length:"); at != std::string::npos)
          length = std::stoul(head.substr(at + 17));
        if (received_.size() >= end + 4 + length) break;
      }
      if (!ReadChunk(deadline)) break;
    }
    return std::exchange(received_, {});
  }

  // Asks for a new handshake on this connection; true when one completed.
  bool Renegotiate() {
    if (SSL_renegotiate(ssl_) != 1) return false;
    bool done = SSL_do_handshake(ssl_) == 1;
    ERR_clear_error();
    return done;
  }

  bool closed() const { return closed_; }
  std::string cipher() const { return SSL_get_cipher_name(ssl_); }
  std::string version() const { return SSL_get_version(ssl_); }

 private:
  RawTlsClient() = default;

  // Appends what arrives before `deadline`; false once the server closed or time is up.
  bool ReadChunk(std::chrono::steady_clock::time_point deadline) {
    if (closed_) return false;
    if (SSL_pending(ssl_) == 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{fd_, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    }
    char buffer[16384];
    int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n > 0) {
      received_.append(buffer, static_cast<size_t>(n));
    } else if (SSL_get_error(ssl_, n) != SSL_ERROR_WANT_READ) {
      closed_ = true;
      ERR_clear_error();
    }
    return !closed_;
  }

  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  int fd_ = -1;
  std::string received_;
  bool closed_ = false;
};

// The status code of the first response in `bytes`, 0 when there is none.
inline int StatusOf(std::string_view bytes) {
  if (!(bytes.starts_with("HTTP/1.1 ") || bytes.starts_with("HTTP/1.0 ")) || bytes.size() < 12)
    return 0;
  return std::stoi(std::string(bytes.substr(9, 3)));
}

}  // namespace medvault::http::testing
