#include "cli/private_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace medvault::cli {

Result<std::ofstream> CreatePrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST)
      return Fail(ErrorCode::kConflict, path + " exists; it is never overwritten");
    return Fail(ErrorCode::kUnavailable, "cannot create " + path + ": " + std::strerror(errno));
  }
  ::close(fd);
  // The file exists, empty, with its final mode: the stream only reopens it.
  std::ofstream out(path, std::ios::binary);
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot open " + path);
  return out;
}

}  // namespace medvault::cli
