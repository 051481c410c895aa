// The subcommands. Each returns the process exit code: 0 success, 1 failure (with a
// message on stderr), 2 usage error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace medvault::cli {

struct ServeOptions {
  std::string data_dir;
  std::optional<std::string> listen;
  std::optional<int> threads;
};

// `database`: empty for SQLite in DIR, or a postgresql:// URI.
int RunInit(const std::string& data_dir, const std::string& database);
int RunServe(const ServeOptions& options);
// `medvault demo`: init, a synthetic population of `patients` from `seed`, then serve.
struct DemoOptions {
  ServeOptions serve;
  int64_t patients = 5000;
  uint64_t seed = 1;
  int64_t practices = 0;  // 0: one per ~10,000 patients
};
int RunDemo(const DemoOptions& options);

// `medvault drill`: the breach drill (docs/DETECTION.md) in process, on simulated time.
struct DrillCommandOptions {
  int64_t patients = 5000;
  int64_t practices = 0;  // 0: one per ~10,000 patients
  double history = 1.0;   // the clinical history's volume (sim history_scale)
  int days = 5;
  uint64_t seed = 1;
  std::string json_file;            // "" writes none
  std::string data_dir;             // "" uses a temporary directory, removed at the end
  bool on_disk = false;             // the temporary directory on disk even when /dev/shm exists
  bool full_password_cost = false;  // hash the accounts' passwords at the OWASP cost
  // "in-process": requests handed to the Pipeline; "https": through TLS and the HTTP
  // server, started in process on the drill's clock.
  std::string transport = "in-process";
  // Risk-scorer features switched off (names as in [detection] features_off): what each
  // contributes is what the drill loses without it.
  std::vector<std::string> features_off;
};
int RunDrill(const DrillCommandOptions& options);

struct UserAddOptions {
  std::string data_dir;
  std::string username;
  std::string role;
  std::string organization;
  std::string practitioner;
  bool password_stdin = false;
  bool enroll_totp = false;
};

int RunUserAdd(const UserAddOptions& options);
int RunUserList(const std::string& data_dir);

// `medvault user suspend|reactivate|unlock|reset-mfa|reset-password`.
struct UserActionOptions {
  std::string action;
  std::string data_dir;
  std::string username;
};
int RunUserAction(const UserActionOptions& options);

// `medvault audit verify`: recomputes the audit log's Merkle tree from every entry and
// checks it against every signed tree head; names the first bad entry or head.
int RunAuditVerify(const std::string& data_dir);

// `medvault audit proof inclusion|consistency`: prints the proof as JSON, as GET
// /audit/proof/… serves it. Signed, so that a negative number is reported rather than
// wrapped around.
struct AuditProofOptions {
  std::string data_dir;
  int64_t index = 0;  // inclusion: leaf index, 0-based (entry sequence number - 1)
  int64_t size = 0;   // inclusion: tree size
  int64_t from = 0;   // consistency: the older tree size
  int64_t to = 0;     // consistency: the newer tree size
};
int RunAuditInclusionProof(const AuditProofOptions& options);
int RunAuditConsistencyProof(const AuditProofOptions& options);

// `medvault import`: FHIR NDJSON files and Bundles, in batches that commit whole or
// not at all, several batches to a transaction (cli/import_pipeline.h); exit 1 when any
// batch was rejected.
struct ImportOptions {
  std::string data_dir;
  std::vector<std::string> files;
  size_t batch_size = 1000;
  size_t group_resources = 200'000;  // resources per transaction, in whole batches
};
int RunImport(const ImportOptions& options);

// `medvault export`: every current resource as <Type>.ndjson files in a new directory.
struct ExportOptions {
  std::string data_dir;
  std::string out_dir;
};
int RunExport(const ExportOptions& options);

}  // namespace medvault::cli
