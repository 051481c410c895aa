// The open-files limit (RLIMIT_NOFILE, `ulimit -n`, systemd's LimitNOFILE) against the
// connections the server may hold: each connection is a descriptor. Linux starts most
// processes with a soft limit of 1,024, below [server] max_connections plus what the
// database, its WAL, the readers and the logs hold; past it accept() fails and new
// clients wait in the listen queue, honest ones included, until they give up.
#pragma once

#include <cstddef>
#include <cstdint>

namespace medvault::http {

// Descriptors kept for everything but connections: the listener, the database and its
// WAL (writer and one reader per thread), the audit and server logs, the alert export,
// the data-directory lock, epoll and its eventfds, with room to spare.
inline constexpr uint64_t kReservedDescriptors = 128;

struct OpenFilesPlan {
  uint64_t soft = 0;       // the soft limit to set (unchanged when it already fits)
  size_t connections = 0;  // connections that fit: max_connections, or fewer (at least 1)
};

// What to set for `max_connections` given the current soft and hard limits: the soft
// limit raised as far as needed and the hard limit allows, never lowered.
OpenFilesPlan PlanOpenFiles(uint64_t soft, uint64_t hard, size_t max_connections,
                            uint64_t reserve = kReservedDescriptors);

struct OpenFilesFit {
  uint64_t soft_before = 0;
  uint64_t soft_after = 0;
  uint64_t hard = 0;
  size_t connections = 0;
};

// Applies PlanOpenFiles to this process. The caller caps the server's connections at
// `connections`, so that a connection past the limit is refused at once rather than
// left unaccepted.
OpenFilesFit FitOpenFilesLimit(size_t max_connections, uint64_t reserve = kReservedDescriptors);

}  // namespace medvault::http
