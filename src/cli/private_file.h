// Files that hold secrets or patient data, written by the command line (demo accounts,
// exports): created new (never over an existing file, never through a symlink) with mode
// 0600 from the start, so there is no moment at which others could open them.
#pragma once

#include <fstream>
#include <string>

#include "common/result.h"

namespace medvault::cli {

// A new, empty file at `path`, mode 0600, opened for writing. Fails (kConflict) when
// the path exists.
Result<std::ofstream> CreatePrivateFile(const std::string& path);

}  // namespace medvault::cli
