#include "http/response_head.h"

#include <strings.h>

#include <algorithm>
#include <array>
#include <string>

namespace medvault::http {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// Headers whose value only the server may decide. Hop-by-hop and framing headers come
// from the connection state; the others are the security policy.
constexpr std::array<std::string_view, 13> kServerOwned = {
    "Content-Length",
    "Transfer-Encoding",
    "Connection",
    "Keep-Alive",
    "Upgrade",
    "Trailer",
    "Server",
    "Strict-Transport-Security",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Proxy-Connection",
};

bool IsServerOwned(std::string_view name, bool no_store) {
  if (no_store && SameName(name, "Cache-Control")) return true;
  return std::any_of(kServerOwned.begin(), kServerOwned.end(),
                     [&](std::string_view owned) { return SameName(name, owned); });
}

// RFC 9110 section 5.6.2: token = 1*tchar.
bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
  });
}

}  // namespace

Result<std::vector<Header>> WireHeaders(const Response& response,
                                        std::string_view content_security_policy) {
  std::vector<Header> headers;
  headers.reserve(response.headers.size() + 7);
  for (const Header& h : response.headers) {
    if (!IsToken(h.name) || !IsSafeHeaderValue(h.value))
      return Fail(ErrorCode::kInternal,
                  "the handler produced a response header that is not "
                  "valid on the wire");
    if (!IsServerOwned(h.name, response.no_store)) headers.push_back(h);
  }
  headers.push_back({"Strict-Transport-Security", "max-age=63072000; includeSubDomains"});
  headers.push_back({"Content-Security-Policy", std::string(content_security_policy)});
  headers.push_back({"X-Content-Type-Options", "nosniff"});
  headers.push_back({"X-Frame-Options", "DENY"});
  headers.push_back({"Referrer-Policy", "no-referrer"});
  if (response.no_store) headers.push_back({"Cache-Control", "no-store"});
  headers.push_back({"Server", "medvault"});
  return headers;
}

bool IsSendableStatus(int status) { return status >= 200 && status <= 599; }

std::string ResponseHead(int status, std::string_view reason, const std::vector<Header>& headers,
                         const Framing& framing) {
  std::string head;
  size_t size = 64 + reason.size();
  for (const Header& h : headers) size += h.name.size() + h.value.size() + 4;
  head.reserve(size);
  head += framing.version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  head += std::to_string(status);
  head += ' ';
  head += reason;
  head += "\r\n";
  for (const Header& h : headers) {
    head += h.name;
    head += ": ";
    head += h.value;
    head += "\r\n";
  }
  if (framing.content_length) {
    head += "Content-Length: ";
    head += std::to_string(*framing.content_length);
    head += "\r\n";
  }
  if (framing.chunked) head += "Transfer-Encoding: chunked\r\n";
  if (framing.version == 10 && framing.keep_alive) head += "Connection: keep-alive\r\n";
  if (framing.version != 10 && !framing.keep_alive) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

std::string Chunk(std::string_view data) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string size;
  for (size_t n = data.size(); n > 0; n /= 16) size.insert(size.begin(), kHex[n % 16]);
  std::string chunk;
  chunk.reserve(size.size() + data.size() + 4);
  chunk += size;
  chunk += "\r\n";
  chunk += data;
  chunk += "\r\n";
  return chunk;
}

bool IsSafeHeaderValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

}  // namespace medvault::http
