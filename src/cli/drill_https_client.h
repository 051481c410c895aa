// The breach drill over the wire: every request goes through TLS and the HTTP server to
// a server running in the same process on the drill's simulated clock (time cannot be
// set by a request, so the server has to share the drill's clock to live through weeks
// in minutes). Slower than handing requests to the Pipeline, but it exercises what a
// real client meets: the TLS handshake, HTTP parsing, headers, limits, keep-alive.
#pragma once

#include <curl/curl.h>

#include <map>
#include <memory>
#include <string>

#include "cli/drill_client.h"

namespace medvault::cli {

class HttpsDrillClient : public DrillClient {
 public:
  // `base_url` is the server's "https://127.0.0.1:<port>"; `ca_file` its certificate.
  HttpsDrillClient(std::string base_url, std::string ca_file, ManualClock& clock);
  ~HttpsDrillClient() override;

  // TLS connections opened so far (keep-alive keeps it near the number of clients).
  int64_t connections() const { return connections_; }

 private:
  struct Connection {
    CURL* curl = nullptr;
    std::string interface;  // "host!127.0.x.y"
  };
  DrillResponse Transmit(const std::string& method, const std::string& target,
                         const std::string& token, const std::string& body,
                         const std::string& client_address) override;
  // The drill's client addresses are stand-ins ("10.0.0.3", "203.0.113.7"): each is
  // given a loopback address of its own (127.0.x.y) that its connections leave from, so
  // the server sees distinct clients exactly as it would on a network. A transport
  // failure answers status 0 with curl's message.
  Connection& ConnectionFor(const std::string& client_address);

  std::string base_url_;
  std::string ca_file_;
  std::map<std::string, Connection> connections_by_address_;
  int64_t connections_ = 0;
};

}  // namespace medvault::cli
