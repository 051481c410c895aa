// Who may use a data directory at once: servers share it; an offline operation (a
// blind-index key rotation rebuilds every index) needs it alone. An advisory lock
// (flock) on DIR/medvault.lock, released when the process ends, however it ends.
#pragma once

#include <string_view>

#include "cli/data_dir.h"
#include "common/result.h"

namespace medvault::cli {

class DataDirLock {
 public:
  // Shared: any number of servers. Fails (kConflict) while an offline operation runs.
  static Result<DataDirLock> ForServing(const DataDir& dir);
  // Exclusive, for `what` (named in the message). Fails (kConflict) while a server runs.
  static Result<DataDirLock> ForOfflineOperation(const DataDir& dir, std::string_view what);

  // Whether a server (or an offline operation) is using the directory now.
  static bool InUse(const DataDir& dir);

  DataDirLock(DataDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  DataDirLock& operator=(DataDirLock&&) = delete;
  DataDirLock(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace medvault::cli
