// The whole-log check behind `medvault audit verify`, for other commands (the drill)
// to run on a runtime they already hold.
#pragma once

#include <string>

#include "cli/runtime.h"

namespace medvault::cli {

// Recomputes the audit log's Merkle tree from every entry and checks it against the
// stored tree and every signed tree head. Returns the one-line summary, or an error
// naming the first bad entry or head.
Result<std::string> VerifyAuditLog(Runtime& rt);

}  // namespace medvault::cli
