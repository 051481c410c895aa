// One request as the server reads it off a connection: parsed by Beast under the
// server's limits, then checked (version, method, target, Host, declared body size)
// before its body is read. Plain types only, so that tests and fuzz/ can drive the very
// code a connection runs without a socket (ParseIncomingRequest).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "http/message.h"
#include "http/server.h"

namespace medvault::http {

// A request read off the wire, or the reason it was refused, or nothing (the peer left
// or timed out, and there is nobody to answer).
struct IncomingRequest {
  enum class Outcome { kRequest, kRefused, kGone };
  Outcome outcome = Outcome::kGone;
  Request request;
  bool keep_alive = false;
  bool head = false;
  unsigned version = 11;  // of the request; 1.0 clients get 1.0 keep-alive semantics
  int status = 0;         // kRefused: the status to answer with
  std::string message;    // kRefused: why, for ProtocolError
  std::string path;       // "" until the request line was parsed
};

// The server's reading of the next request from a connection whose bytes arrive as
// `arrivals` (one element per read from the socket) and then end, under `options`'
// header and body limits. `consumed` is set to the bytes the request took; what follows
// them is the next request of a keep-alive connection. Running out of bytes mid-request
// is the peer leaving: kGone.
IncomingRequest ParseIncomingRequest(std::span<const std::string_view> arrivals,
                                     const ServerOptions& options, size_t& consumed);

}  // namespace medvault::http
