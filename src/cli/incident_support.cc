#include "cli/incident_support.h"

#include <fstream>
#include <iostream>

#include "cli/private_file.h"
#include "common/random.h"

namespace medvault::cli {

Result<store::AccountRow> ResolveAccount(store::Reader& reader, const std::string& reference) {
  ASSIGN_OR_RETURN(auto by_id, reader.AccountById(reference));
  if (by_id) return std::move(*by_id);
  ASSIGN_OR_RETURN(auto by_name, reader.AccountByUsername(reference));
  if (by_name) return std::move(*by_name);
  return Fail(ErrorCode::kNotFound,
              "there is no account with the id or username \"" + reference.substr(0, 64) + "\"");
}

Result<std::vector<std::string>> ReadListFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kInvalid, "cannot read " + path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    size_t begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos) continue;
    size_t end = line.find_last_not_of(" \t\r");
    lines.push_back(line.substr(begin, end - begin + 1));
  }
  if (in.bad()) return Fail(ErrorCode::kInvalid, "cannot read " + path);
  return lines;
}

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    std::cout.flush();
    if (!std::cout) return Fail(ErrorCode::kUnavailable, "cannot write to standard output");
    return Ok();
  }
  ASSIGN_OR_RETURN(std::ofstream out, CreatePrivateFile(path));
  out << text;
  out.flush();
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  return Ok();
}

Status AuditDisclosure(Runtime& rt, const std::string& interaction,
                       const std::vector<std::string>& patients, const std::string& detail) {
  constexpr size_t kPatientsPerEntry = 1000;
  return rt.store->Write([&](store::Transaction& txn) -> Status {
    for (size_t first = 0; first == 0 || first < patients.size(); first += kPatientsPerEntry) {
      audit::AuditEvent event;
      event.time_ms = ToUnixMillis(rt.clock.Now());
      event.request_id = NewUuid();
      event.username = "(command line)";
      event.interaction = interaction;
      size_t end = std::min(patients.size(), first + kPatientsPerEntry);
      event.patients.assign(patients.begin() + static_cast<ptrdiff_t>(first),
                            patients.begin() + static_cast<ptrdiff_t>(end));
      event.outcome = "success";
      event.detail = detail;
      TRY(rt.audit->Append(txn, event));
    }
    return Ok();
  });
}

}  // namespace medvault::cli
