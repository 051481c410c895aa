// The security self-check behind `medvault selfcheck` and GET /security/selfcheck: what
// an auditor would look at first, each finding with a severity (api/posture.h).
//
//   accounts       no second factor, dormant, locked
//   alerts         open alerts; break-the-glass grants of the last 30 days
//   keys           KEK versions (age, data keys left under old ones, leftover files), the
//                  blind-index and signing keys' age, the master key kept in DIR
//   tls            certificate expiry, self-signed, key and signature strength; the
//                  server's fixed TLS policy; settings weaker than the defaults
//   files          modes and owners of DIR, the key files, the database and its WAL
//   audit          the log verifies (recomputed in full, or from its last signed head),
//                  and how old the last signed head is
#pragma once

#include <vector>

#include "api/posture.h"
#include "cli/config.h"
#include "cli/runtime.h"

namespace medvault::cli {

struct SelfCheckOptions {
  int dormant_days = 90;
  int kek_max_age_days = 365;
  int signing_key_max_age_days = 730;
  int certificate_warn_days = 30;
  // Recompute the whole audit log (`audit verify`); otherwise check its last signed head.
  bool thorough = true;
};

// Every check on an opened data directory.
Result<api::PostureReport> CheckPosture(Runtime& rt, const SelfCheckOptions& options);

// The checks that need no opened runtime (a loose key file keeps the runtime from
// opening): modes and owners of the data directory's files. `config` when it could be
// read (database and alert-export paths).
void CheckFiles(const DataDir& dir, const Config* config, std::vector<api::Finding>& out);
// The certificate and the TLS settings.
void CheckTls(const DataDir& dir, const Config& config, int64_t now_ms, int warn_days,
              std::vector<api::Finding>& out);

// Most severe first, then by check and subject.
void SortFindings(std::vector<api::Finding>& findings);

}  // namespace medvault::cli
