// `medvault audit verify` and `medvault audit proof`: the checks an auditor runs on a
// data directory (or a copy of one). Verification (audit/log_verifier.h) trusts only the
// audit key, which opens the entries, and the published signing key, which vouches for
// the tree heads.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "audit/log_verifier.h"
#include "audit/merkle.h"
#include "audit/stored_subtrees.h"
#include "cli/audit_verification.h"
#include "cli/commands.h"
#include "cli/runtime.h"
#include "cli/signing_keys.h"
#include "crypto/encoding.h"
#include "crypto/record_cipher.h"
#include "crypto/signing_key.h"

namespace medvault::cli {
namespace {

// Above this a run lasts long enough to report progress even into a log file.
constexpr int64_t kProgressAbove = 200'000;

// A stored subtree that is missing means the table was damaged.
audit::StoredSubtrees ReaderSubtrees(store::Reader& reader) {
  return audit::StoredSubtrees(
      reader, {ErrorCode::kNotFound, "a stored audit subtree hash is missing", {}});
}

// Heads are checked with the published signing.pub, the key outsiders hold, and the keys
// it replaced (signing-history.pub, after a rotation); a server signing with another seed
// would issue heads nobody else can check, so that is a failure too. Without signing.pub,
// the seed's own key is all there is.
Result<std::vector<crypto::PublicKey>> PublishedKeys(const Runtime& rt) {
  const crypto::PublicKey& seed_key = rt.signing_key->public_key();
  const std::string path = rt.dir.signing_public_key();
  std::ifstream in(path);
  if (!in) return std::vector<crypto::PublicKey>{seed_key};
  std::string text;
  in >> text;
  auto bytes = crypto::FromHex(text);
  crypto::PublicKey key{};
  if (!bytes || bytes->size() != key.size())
    return Fail(ErrorCode::kInvalid, path + " does not hold a hex Ed25519 public key");
  std::ranges::copy(*bytes, key.begin());
  if (key != seed_key)
    return Fail(ErrorCode::kInvalid, path + " is not the public key of signing.key");
  return LoadSigningKeys(rt.dir, key);
}

void WriteHexArray(rapidjson::Writer<rapidjson::StringBuffer>& w,
                   const std::vector<audit::Hash>& hashes) {
  w.StartArray();
  for (const audit::Hash& h : hashes) w.String(crypto::ToHex(h).c_str());
  w.EndArray();
}

// A tree of `size` leaves must exist in full for its proofs to mean anything.
Status CheckSize(store::Reader& reader, int64_t size, const char* option) {
  if (size < 0) return Fail(ErrorCode::kInvalid, std::string(option) + " must not be negative");
  ASSIGN_OR_RETURN(int64_t count, reader.AuditCount());
  if (size > count) {
    return Fail(ErrorCode::kInvalid, std::string(option) + " " + std::to_string(size) +
                                         " exceeds the log's " + std::to_string(count) +
                                         " entries");
  }
  return Ok();
}

Result<std::string> InclusionJson(Runtime& rt, const AuditProofOptions& options) {
  if (options.index < 0) return Fail(ErrorCode::kInvalid, "--index must not be negative");
  store::Reader& reader = rt.store->reader();
  auto snapshot = reader.BeginSnapshot();
  TRY(CheckSize(reader, options.size, "--size"));
  audit::StoredSubtrees source = ReaderSubtrees(reader);
  const auto index = static_cast<uint64_t>(options.index);
  ASSIGN_OR_RETURN(auto path,
                   audit::InclusionProof(index, static_cast<uint64_t>(options.size), source));
  ASSIGN_OR_RETURN(audit::Hash leaf, source.Subtree(0, index));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("leaf_hash");
  w.String(crypto::ToHex(leaf).c_str());
  w.Key("path");
  WriteHexArray(w, path);
  w.EndObject();
  return std::string(buffer.GetString());
}

Result<std::string> ConsistencyJson(Runtime& rt, const AuditProofOptions& options) {
  store::Reader& reader = rt.store->reader();
  auto snapshot = reader.BeginSnapshot();
  TRY(CheckSize(reader, options.from, "--from"));
  TRY(CheckSize(reader, options.to, "--to"));
  ASSIGN_OR_RETURN(auto path, audit::ConsistencyProof(static_cast<uint64_t>(options.from),
                                                      static_cast<uint64_t>(options.to),
                                                      ReaderSubtrees(reader)));
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("path");
  WriteHexArray(w, path);
  w.EndObject();
  return std::string(buffer.GetString());
}

int PrintProof(const char* command, const AuditProofOptions& options,
               Result<std::string> (*build)(Runtime&, const AuditProofOptions&)) {
  auto rt = OpenRuntime(options.data_dir);
  if (!rt) {
    std::cerr << command << ": " << rt.error().message << "\n";
    return 1;
  }
  auto json = build(**rt, options);
  if (!json) {
    std::cerr << command << ": " << json.error().message << "\n";
    return 1;
  }
  std::cout << *json << "\n";
  return 0;
}

}  // namespace

Result<audit::LogVerification> VerifyAuditLogFor(Runtime& rt, audit::EntryVisitor* visitor) {
  ASSIGN_OR_RETURN(std::vector<crypto::PublicKey> keys, PublishedKeys(rt));
  // Without the record cipher every entry sealed with it would look damaged; CheckKey
  // says why instead (it is not called otherwise: it would name damage less precisely
  // than the verification does).
  if (!crypto::RecordCipherAvailable()) TRY(rt.audit->CheckKey(rt.store->reader()));
  audit::VerifyOptions options;
  options.visitor = visitor;
  options.progress = [show = ::isatty(STDERR_FILENO) == 1](int64_t verified, int64_t total) {
    if (show || total > kProgressAbove)
      std::cerr << "verified " << verified << " / " << total << " entries" << std::endl;
  };
  ASSIGN_OR_RETURN(audit::LogVerification verified,
                   audit::VerifyLog(*rt.store, *rt.audit, keys, options));
  if (verified.covered < verified.entries) {
    std::cerr << "note: no signed tree head covers the last "
              << (verified.entries - verified.covered)
              << " entries yet; they were checked against the stored tree only (a server "
                 "signs a head every second while entries arrive, and at shutdown)"
              << std::endl;
  }
  return verified;
}

Result<std::string> VerifyAuditLog(Runtime& rt) {
  ASSIGN_OR_RETURN(audit::LogVerification verified, VerifyAuditLogFor(rt, nullptr));
  return audit::Summary(verified);
}

int RunAuditVerify(const std::string& data_dir) {
  constexpr const char* kCommand = "medvault audit verify";
  auto rt = OpenRuntime(data_dir);
  if (!rt) {
    std::cerr << kCommand << ": " << rt.error().message << "\n";
    return 1;
  }
  auto summary = VerifyAuditLog(**rt);
  if (!summary) {
    std::cerr << kCommand << ": " << summary.error().message << "\n";
    return 1;
  }
  std::cout << *summary << "\n";
  return 0;
}

int RunAuditInclusionProof(const AuditProofOptions& options) {
  return PrintProof("medvault audit proof inclusion", options, InclusionJson);
}

int RunAuditConsistencyProof(const AuditProofOptions& options) {
  return PrintProof("medvault audit proof consistency", options, ConsistencyJson);
}

}  // namespace medvault::cli
