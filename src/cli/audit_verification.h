// The whole-log check behind `medvault audit verify`, for other commands (the drill)
// to run on a runtime they already hold.
#pragma once

#include <string>

#include "audit/log_verifier.h"
#include "cli/runtime.h"

namespace medvault::cli {

// Recomputes the audit log's Merkle tree from every entry and checks it against the
// stored tree and every signed tree head. Returns the one-line summary, or an error
// naming the first bad entry or head.
Result<std::string> VerifyAuditLog(Runtime& rt);

// The same verification, with the signing key in DIR/signing.pub, progress lines on
// stderr (on a terminal, or past 200,000 entries) and a note when signed heads do not
// cover the newest entries; `visitor` (may be null) reads every entry on the way.
Result<audit::LogVerification> VerifyAuditLogFor(Runtime& rt, audit::EntryVisitor* visitor);

}  // namespace medvault::cli
