// Arbitrary bytes as what a client sends on a connection, read by the server's own
// request reader (ParseIncomingRequest: Beast's parser, the limits and the header
// checks of http/connection.cc), request after request as on a keep-alive connection,
// under the production limits and under tight ones. Checked on every request:
//  - whether and what it accepts does not depend on how the bytes were split into reads;
//  - an accepted request is one the router can trust: HTTP/1.0 or 1.1, a supported
//    method, an origin-form target split into path and query, exactly one Host on 1.1,
//    a body within the limit;
//  - written out again (with Content-Length framing) it reads back the same;
//  - a refusal carries one of the statuses the server documents.
#include <strings.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "http/incoming_request.h"

namespace {

using medvault::http::IncomingRequest;
using medvault::http::ParseIncomingRequest;
using medvault::http::ServerOptions;
using Outcome = IncomingRequest::Outcome;

[[noreturn]] void Broken(const char* property) {
  std::fprintf(stderr, "property broken: %s\n", property);
  std::abort();
}

bool Named(const medvault::http::Header& h, std::string_view name) {
  return h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0;
}

bool SameRequest(const IncomingRequest& a, const IncomingRequest& b) {
  if (a.outcome != b.outcome || a.status != b.status || a.message != b.message || a.path != b.path)
    return false;
  if (a.outcome != Outcome::kRequest) return true;
  const auto& x = a.request;
  const auto& y = b.request;
  if (a.keep_alive != b.keep_alive || a.head != b.head || a.version != b.version ||
      x.method != y.method || x.target != y.target || x.path != y.path || x.query != y.query ||
      x.host != y.host || x.body != y.body || x.headers.size() != y.headers.size())
    return false;
  for (size_t i = 0; i < x.headers.size(); ++i)
    if (x.headers[i].name != y.headers[i].name || x.headers[i].value != y.headers[i].value)
      return false;
  return true;
}

// The headers that do not frame the body, in order.
std::vector<medvault::http::Header> UnframedHeaders(const medvault::http::Request& r) {
  std::vector<medvault::http::Header> out;
  for (const auto& h : r.headers)
    if (!Named(h, "Content-Length") && !Named(h, "Transfer-Encoding")) out.push_back(h);
  return out;
}

void CheckAccepted(const IncomingRequest& in, const ServerOptions& options) {
  const medvault::http::Request& r = in.request;
  if (in.version != 10 && in.version != 11) Broken("version is 1.0 or 1.1");
  static constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                  "PATCH", "DELETE", "OPTIONS"};
  bool known = false;
  for (std::string_view m : kMethods) known = known || r.method == m;
  if (!known) Broken("method is supported");
  if (in.head != (r.method == "HEAD")) Broken("head flag matches the method");
  if (!r.target.starts_with('/')) Broken("target is origin-form");
  std::string rebuilt = r.path + (r.target.find('?') == std::string::npos ? "" : "?" + r.query);
  if (rebuilt != r.target || r.path.find('?') != std::string::npos || in.path != r.path)
    Broken("path and query split the target");
  size_t hosts = 0;
  for (const auto& h : r.headers) hosts += Named(h, "Host") ? 1 : 0;
  if (hosts > 1 || (hosts == 0 && in.version == 11)) Broken("one Host header on 1.1");
  if (r.host != r.HeaderValue("Host")) Broken("host is the Host header");
  if (r.body.size() > options.max_body_bytes) Broken("body within the limit");
  size_t header_bytes = 0;
  for (const auto& h : r.headers) header_bytes += h.name.size() + h.value.size();
  if (header_bytes > options.max_header_bytes) Broken("header within the limit");
}

// `in`, accepted, written as a client would send it with Content-Length framing.
std::string Rewritten(const IncomingRequest& in) {
  const medvault::http::Request& r = in.request;
  std::string out =
      r.method + " " + r.target + (in.version == 10 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  for (const auto& h : UnframedHeaders(r)) out += h.name + ": " + h.value + "\r\n";
  if (!r.body.empty()) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  return out + "\r\n" + r.body;
}

void CheckRewritten(const IncomingRequest& in, const ServerOptions& options) {
  ServerOptions roomy = options;
  roomy.max_header_bytes += 64;  // room for the Content-Length line
  std::string text = Rewritten(in);
  std::string_view arrival = text;
  size_t consumed = 0;
  IncomingRequest again = ParseIncomingRequest({&arrival, 1}, roomy, consumed);
  if (again.outcome != Outcome::kRequest) Broken("a rewritten request is accepted");
  if (consumed != text.size()) Broken("a rewritten request is read whole");
  const auto& x = in.request;
  const auto& y = again.request;
  auto xh = UnframedHeaders(x), yh = UnframedHeaders(y);
  bool same_headers = xh.size() == yh.size();
  for (size_t i = 0; same_headers && i < xh.size(); ++i)
    same_headers = xh[i].name == yh[i].name && xh[i].value == yh[i].value;
  if (!same_headers || x.method != y.method || x.target != y.target || x.body != y.body ||
      in.keep_alive != again.keep_alive || in.version != again.version)
    Broken("a rewritten request reads back the same");
}

// Reads the requests of one connection, as the server would, and checks each.
void Connection(std::string_view bytes, const ServerOptions& options, size_t split) {
  for (int requests = 0; requests < 8 && !bytes.empty(); ++requests) {
    size_t consumed = 0;
    IncomingRequest whole = ParseIncomingRequest({&bytes, 1}, options, consumed);
    if (consumed > bytes.size()) Broken("consumed within the input");

    std::vector<std::string_view> pieces;
    for (size_t at = 0; at < bytes.size(); at += split) pieces.push_back(bytes.substr(at, split));
    size_t consumed_in_pieces = 0;
    IncomingRequest piecewise = ParseIncomingRequest(pieces, options, consumed_in_pieces);
    // Beast may find a malformed header before its end when it has it all, and only
    // at the peer's end of stream when it comes in pieces: refused or gone, either way
    // not accepted. Whether and what it accepts must not depend on the pieces.
    bool accepted = whole.outcome == Outcome::kRequest || piecewise.outcome == Outcome::kRequest;
    if (accepted && (!SameRequest(whole, piecewise) || consumed != consumed_in_pieces))
      Broken("an accepted request does not depend on how the bytes arrive");

    switch (whole.outcome) {
      case Outcome::kGone: return;
      case Outcome::kRefused:
        if (whole.status != 400 && whole.status != 413 && whole.status != 431 &&
            whole.status != 501 && whole.status != 505)
          Broken("a refusal has a documented status");
        return;  // the server answers and closes
      case Outcome::kRequest:
        CheckAccepted(whole, options);
        CheckRewritten(whole, options);
        if (!whole.keep_alive || consumed == 0) return;
        bytes.remove_prefix(consumed);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  // How the bytes are cut into reads is taken from the input, so that a crash
  // reproduces from the input alone.
  size_t split = size == 0 ? 1 : 1 + data[size / 2] % 61;
  Connection(input, ServerOptions{}, split);
  // Tight limits reach the header and body limits with small inputs.
  ServerOptions tight;
  tight.max_header_bytes = 256;
  tight.max_body_bytes = 64;
  Connection(input, tight, split);
  return 0;
}
