// What the incident commands share: naming accounts by id or username, reading lists
// from files, writing an output file, and auditing what the command line disclosed.
#pragma once

#include <string>
#include <vector>

#include "cli/runtime.h"
#include "common/result.h"
#include "store/records.h"

namespace medvault::cli {

// The account with this id, else with this username; kNotFound naming the reference.
Result<store::AccountRow> ResolveAccount(store::Reader& reader, const std::string& reference);

// The non-empty lines of a file, trimmed, without # comments; kInvalid when it cannot
// be read.
Result<std::vector<std::string>> ReadListFile(const std::string& path);

// `text` to standard output, or to a new private file (0600, never over an existing one).
Status WriteOutput(const std::string& path, const std::string& text);

// Appends, in one commit, the audit entries of a command-line disclosure: one entry per
// 1,000 patients named (at least one entry), interaction `interaction`, `detail` saying
// what left and where to.
Status AuditDisclosure(Runtime& rt, const std::string& interaction,
                       const std::vector<std::string>& patients, const std::string& detail);

}  // namespace medvault::cli
