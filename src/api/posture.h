// The security posture, as `medvault selfcheck` and GET /security/selfcheck report it:
// findings, each with a severity, about accounts, alerts, keys, TLS, file permissions and
// the audit log. The checks themselves run where the data directory is known
// (cli/selfcheck.h); the API serves their report to the security officer.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace medvault::api {

enum class Severity { kInfo, kLow, kMedium, kHigh };
std::string_view NameOf(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);

struct Finding {
  Severity severity = Severity::kInfo;
  std::string check;    // e.g. "mfa", "tls-certificate", "file-permissions"
  std::string subject;  // what it is about: a username, a file, a key ("" for none)
  std::string message;  // what was found and what to do; never patient data or secrets
};

struct PostureReport {
  int64_t generated_at_ms = 0;
  std::vector<Finding> findings;  // most severe first

  // The most severe finding's severity (kInfo when there is none).
  Severity Highest() const;
  // Findings at or above `floor`.
  size_t CountAtLeast(Severity floor) const;
};

// {"generated_at","highest","counts":{"high","medium","low","info"},"findings":[{"severity",
// "check","subject","message"}]}
std::string PostureJson(const PostureReport& report);

// Runs the checks (set by the command line that opened the data directory). `thorough`
// also recomputes the whole audit log; the endpoint checks its last signed head only.
using PostureCheck = std::function<Result<PostureReport>(bool thorough)>;

}  // namespace medvault::api
