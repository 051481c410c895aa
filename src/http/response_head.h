// The head of every response (status line and header block): the security headers the
// server adds to each one, errors included, and the framing. Private to http/; kept free
// of Boost so that it is tested and read on its own.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "http/message.h"

namespace medvault::http {

// The header list to send for `response`: the handler's headers, except those the
// server owns (framing: Content-Length, Transfer-Encoding, Connection…; identity:
// Server; and every security header, so that a handler cannot weaken one), followed by
// Strict-Transport-Security, Content-Security-Policy, X-Content-Type-Options,
// X-Frame-Options, Referrer-Policy, `Server: medvault` and, when response.no_store,
// `Cache-Control: no-store` (otherwise the handler's Cache-Control is kept).
// Errors: kInternal when a handler header cannot go on the wire as it is (a name that
// is not an RFC 9110 token, a value with CR, LF or NUL): sending it would let a value
// that came from a request split the response.
Result<std::vector<Header>> WireHeaders(const Response& response,
                                        std::string_view content_security_policy);

// Whether the server can send `status` as a final response.
bool IsSendableStatus(int status);

// Whether `value` can be sent as a header value as it is (no CR, LF or NUL).
bool IsSafeHeaderValue(std::string_view value);

struct Framing {
  unsigned version = 11;  // 10 or 11: the request's (1.0 keep-alive must be spelled out)
  bool keep_alive = true;
  std::optional<size_t> content_length;  // nullopt for 204 and 304, which have none
  bool chunked = false;                  // a streamed body on HTTP/1.1
};

// "HTTP/1.1 200 OK\r\n", the headers (from WireHeaders), Content-Length, Connection
// when the version's default does not apply, and the blank line. The server writes this
// and the body as one buffer pair instead of using Beast's serializer, which presents the
// head as a chain of per-field buffers that the TLS stream wrapper walks and copies: with
// a dozen header fields that cost about a quarter of the throughput on 1 KB responses
// (wrk against bench/raw_beast_responder with and without the security headers).
std::string ResponseHead(int status, std::string_view reason, const std::vector<Header>& headers,
                         const Framing& framing);

// One chunk of a chunked body (RFC 9112 7.1): the size in hex, CRLF, `data`, CRLF.
// `data` must not be empty: an empty chunk is the last one.
std::string Chunk(std::string_view data);

// The last chunk, with no trailer: the end of a chunked body.
inline constexpr std::string_view kLastChunk = "0\r\n\r\n";

}  // namespace medvault::http
