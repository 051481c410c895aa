#include "cli/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace medvault::cli {
namespace {

Result<int> OpenLockFile(const DataDir& dir) {
  const std::string path = dir.root + "/medvault.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return Fail(ErrorCode::kUnavailable, "cannot open " + path + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

Result<DataDirLock> DataDirLock::ForServing(const DataDir& dir) {
  ASSIGN_OR_RETURN(int fd, OpenLockFile(dir));
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    ::close(fd);
    return Fail(ErrorCode::kConflict,
                "an offline operation (medvault keys rotate-index) is running on " + dir.root +
                    ": start the server when it has finished");
  }
  return DataDirLock(fd);
}

Result<DataDirLock> DataDirLock::ForOfflineOperation(const DataDir& dir, std::string_view what) {
  ASSIGN_OR_RETURN(int fd, OpenLockFile(dir));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Fail(ErrorCode::kConflict, std::string(what) + " needs the data directory alone: a " +
                                          "server (or another offline operation) is using " +
                                          dir.root + "; stop it first");
  }
  return DataDirLock(fd);
}

bool DataDirLock::InUse(const DataDir& dir) {
  auto fd = OpenLockFile(dir);
  if (!fd) return false;
  bool in_use = ::flock(*fd, LOCK_EX | LOCK_NB) != 0;
  ::close(*fd);
  return in_use;
}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

}  // namespace medvault::cli
