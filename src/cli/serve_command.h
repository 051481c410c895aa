// Running the HTTPS server on an opened data directory until SIGINT or SIGTERM.
#pragma once

#include <cstddef>
#include <functional>

#include "cli/commands.h"
#include "cli/runtime.h"

namespace medvault::cli {

// Blocks SIGINT and SIGTERM in the calling thread (and so in every thread it starts):
// call first thing in main, so that only the serve loop's sigwait receives them.
void BlockTerminationSignals();

// Raises the open-files limit for `max_connections` connections as far as the hard limit
// allows (logging what it did) and returns the connections that fit: the server's cap.
size_t FitConnectionsToOpenFilesLimit(size_t max_connections);

// Starts the server on `rt` with `options` overrides, calls `on_ready(url)` once it
// listens, and returns the exit code after a termination signal.
int Serve(Runtime& rt, const ServeOptions& options,
          const std::function<void(const std::string& url)>& on_ready);

}  // namespace medvault::cli
