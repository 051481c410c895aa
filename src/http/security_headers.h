// The headers the server itself puts on every response, errors included. Private to
// http/; kept free of Boost so that it is tested and read on its own.
#pragma once

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

}  // namespace medvault::http
