#include "cli/index_rebuild.h"

#include <chrono>
#include <ostream>

#include "api/access_helpers.h"
#include "api/search_terms.h"
#include "audit/audit_event.h"
#include "cli/key_files.h"
#include "cli/operator_audit.h"
#include "crypto/key_file.h"

namespace medvault::cli {
namespace {

using Steady = std::chrono::steady_clock;
constexpr size_t kResourcesPerBatch = 1000;
constexpr int64_t kEntriesPerBatch = 10'000;

// The search index of every current resource of the indexed types, under `hashing`.
Result<int64_t> RebuildSearchIndex(Runtime& rt, const crypto::Keyring& hashing,
                                   std::ostream& progress) {
  store::Reader& reader = rt.store->reader();
  int64_t indexed = 0;
  for (fhir::ResourceType type : fhir::kAllResourceTypes) {
    if (!api::IsIndexedType(type)) continue;
    const std::string name(fhir::NameOf(type));
    std::string after;
    for (;;) {
      ASSIGN_OR_RETURN(auto ids, reader.IdsOfTypeAfter(name, after, kResourcesPerBatch));
      if (ids.empty()) break;
      after = ids.back();
      std::vector<std::pair<std::string, std::vector<int64_t>>> batch;
      for (const std::string& id : ids) {
        ASSIGN_OR_RETURN(auto found, reader.CurrentWithCompartment(name, id));
        if (!found) continue;
        // Read as an export reads: the operator's, with the key files, audited.
        auto decision = rt.policy->SystemExport(api::TargetOf(type, found->compartment));
        ASSIGN_OR_RETURN(auto opened,
                         rt.vault->OpenForSearch(decision, found->compartment, found->row));
        batch.emplace_back(id, api::IndexHashes(type, opened.values, hashing));
      }
      TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
        for (const auto& [id, hashes] : batch) TRY(txn.PutRebuiltIndex(name, id, hashes));
        return Ok();
      }));
      indexed += static_cast<int64_t>(batch.size());
    }
    progress << "re-indexed " << indexed << " resources" << std::endl;
  }
  return indexed;
}

// The audit index of entries 1..count, with `filing` (an AuditLog over the new key).
Result<int64_t> RebuildAuditIndex(Runtime& rt, const audit::AuditLog& filing,
                                  std::ostream& progress) {
  store::Reader& reader = rt.store->reader();
  ASSIGN_OR_RETURN(int64_t count, reader.AuditLastSequence());
  for (int64_t first = 1; first <= count; first += kEntriesPerBatch) {
    ASSIGN_OR_RETURN(auto rows, reader.AuditEntries(first, kEntriesPerBatch));
    std::vector<std::pair<int64_t, std::vector<int64_t>>> batch;
    batch.reserve(rows.size());
    for (const store::AuditRow& row : rows) {
      ASSIGN_OR_RETURN(std::string plain, rt.audit->OpenEntry(row));
      ASSIGN_OR_RETURN(audit::AuditEvent event, audit::ParseCanonicalJson(plain));
      std::vector<int64_t> terms;
      for (const std::string& patient : event.patients)
        terms.push_back(filing.PatientTerm(patient));
      if (!event.account_id.empty()) terms.push_back(filing.AgentTerm(event.account_id));
      batch.emplace_back(row.seq, std::move(terms));
    }
    TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
      for (const auto& [seq, terms] : batch) TRY(txn.PutRebuiltAuditIndex(seq, terms));
      return Ok();
    }));
    progress << "re-filed " << std::min(count, first + kEntriesPerBatch - 1) << " / " << count
             << " audit entries" << std::endl;
  }
  return count;
}

}  // namespace

Result<IndexRotationResult> RotateBlindIndexKey(Runtime& rt, std::ostream& progress) {
  const Steady::time_point start = Steady::now();
  IndexRotationResult result;
  store::Reader& reader = rt.store->reader();
  ASSIGN_OR_RETURN(auto rows, reader.KeyVersions());
  const store::KeyVersionRow* old = nullptr;
  for (const auto& row : rows) {
    if (row.purpose != store::kBlindIndexPurpose) continue;
    if (row.state == "active") old = &row;
    // A rotation that stopped before its swap: its key never indexed anything in use.
    if (row.state == "pending") {
      TRY(rt.store->Write([&](store::Transaction& txn) {
        return txn.SetKeyVersionState(store::kBlindIndexPurpose, row.version, "retired",
                                      ToUnixMillis(rt.clock.Now()));
      }));
      TRY(DestroyVersionKey(rt.dir, store::kBlindIndexPurpose, row.version));
    }
  }
  if (old == nullptr) return Fail(ErrorCode::kInvalid, "no blind-index key version is active");
  const int old_version = old->version;
  const bool old_has_file = old->origin == "file";
  result.version = NewestVersion(rows, store::kBlindIndexPurpose) + 1;

  crypto::SecretKey key = crypto::SecretKey::Random();
  TRY(WriteVersionKey(rt.dir, reader, store::kBlindIndexPurpose, result.version, key));
  store::KeyVersionRow row;
  row.purpose = store::kBlindIndexPurpose;
  row.version = result.version;
  row.origin = "file";
  crypto::KeyFingerprint fingerprint = crypto::FingerprintOf(key);
  row.fingerprint.assign(fingerprint.begin(), fingerprint.end());
  row.created_at_ms = ToUnixMillis(rt.clock.Now());
  row.state = "pending";
  TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
    TRY(txn.InsertKeyVersion(row));
    return txn.BeginIndexRebuild();
  }));
  progress << "created blind-index key version " << result.version << "; rebuilding the indexes"
           << std::endl;

  // The keyring that hashes under the new key: the same master key (for the audit key
  // and the rest), the new blind-index key.
  ASSIGN_OR_RETURN(crypto::SecretKey master, crypto::LoadMasterKey(rt.dir.master_key()));
  crypto::Keyring hashing(std::move(master), 0);
  hashing.UseBlindIndexKey(std::move(key));
  audit::AuditLog filing(hashing);
  ASSIGN_OR_RETURN(result.resources, RebuildSearchIndex(rt, hashing, progress));
  ASSIGN_OR_RETURN(result.audit_entries, RebuildAuditIndex(rt, filing, progress));

  const int64_t now = ToUnixMillis(rt.clock.Now());
  TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
    TRY(txn.SwapInRebuiltIndexes());
    TRY(txn.SetKeyVersionState(store::kBlindIndexPurpose, result.version, "active", now));
    TRY(txn.SetKeyVersionState(store::kBlindIndexPurpose, old_version, "retired", now));
    // Filed under the new key, in the index just swapped in.
    return AppendOperatorEvent(
        rt, txn, "key-rotation",
        "blind-index key version " + std::to_string(result.version) + " replaces version " +
            std::to_string(old_version) + "; " + std::to_string(result.resources) +
            " resources and " + std::to_string(result.audit_entries) + " audit entries re-indexed",
        {}, &filing);
  }));
  if (old_has_file) TRY(DestroyVersionKey(rt.dir, store::kBlindIndexPurpose, old_version));
  result.seconds = std::chrono::duration<double>(Steady::now() - start).count();
  return result;
}

}  // namespace medvault::cli
