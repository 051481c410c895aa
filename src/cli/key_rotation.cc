#include "cli/key_rotation.h"

#include <algorithm>
#include <ostream>
#include <thread>

#include "cli/key_files.h"
#include "cli/operator_audit.h"

namespace medvault::cli {
namespace {

using Steady = std::chrono::steady_clock;

double SecondsSince(Steady::time_point start) {
  return std::chrono::duration<double>(Steady::now() - start).count();
}

// Records a new random KEK version: its key file first, then its row.
Result<int> CreateKekVersion(Runtime& rt) {
  store::Reader& reader = rt.store->reader();
  ASSIGN_OR_RETURN(auto rows, reader.KeyVersions());
  const int version = NewestVersion(rows, store::kKekPurpose, rt.config.kek_version) + 1;
  crypto::SecretKey key = crypto::SecretKey::Random();
  TRY(WriteVersionKey(rt.dir, reader, store::kKekPurpose, version, key));
  store::KeyVersionRow row;
  row.purpose = store::kKekPurpose;
  row.version = version;
  row.origin = "file";
  crypto::KeyFingerprint fingerprint = crypto::FingerprintOf(key);
  row.fingerprint.assign(fingerprint.begin(), fingerprint.end());
  row.created_at_ms = ToUnixMillis(rt.clock.Now());
  rt.keyring->AddKek(version, std::move(key));
  TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
    TRY(txn.InsertKeyVersion(row));
    return AppendOperatorEvent(rt, txn, "key-rotation",
                               "key-encryption key version " + std::to_string(version) +
                                   " created; re-wrapping every data key under it");
  }));
  return version;
}

// One pass over the data keys not under `version`; returns how many it re-wrapped.
// Keys that fail to unwrap are counted in `failed` and left as they are.
Result<int64_t> RewrapPass(Runtime& rt, int version, const KekRotationOptions& options,
                           int64_t& total, int64_t& failed, Steady::time_point start,
                           Steady::time_point& last_report, std::ostream& progress) {
  store::Reader& reader = rt.store->reader();
  int64_t rewrapped = 0;
  std::string after;
  failed = 0;
  for (;;) {
    ASSIGN_OR_RETURN(auto rows, reader.DataKeysNotUnder(version, after, options.batch));
    if (rows.empty()) return rewrapped;
    after = rows.back().compartment;
    std::vector<std::pair<store::WrappedKeyRow, store::WrappedKeyRow>> swaps;
    swaps.reserve(rows.size());
    for (store::WrappedKeyRow& row : rows) {
      auto wrapped =
          rt.keyring->RewrapDataKey(row.compartment, {row.kek_version, row.wrapped_dek}, version);
      if (!wrapped) {
        ++failed;
        continue;
      }
      store::WrappedKeyRow to{row.compartment, version, std::move(wrapped->sealed)};
      swaps.emplace_back(std::move(row), std::move(to));
    }
    int64_t done = 0;
    TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
      done = 0;
      for (const auto& [from, to] : swaps) {
        ASSIGN_OR_RETURN(bool swapped, txn.RewrapDataKey(from, to));
        done += swapped ? 1 : 0;
      }
      return Ok();
    }));
    rewrapped += done;
    total += done;
    if (SecondsSince(last_report) >= 2.0) {
      last_report = Steady::now();
      progress << "re-wrapped " << total << " data keys ("
               << static_cast<int64_t>(static_cast<double>(total) /
                                       std::max(SecondsSince(start), 1e-9))
               << "/s)" << std::endl;
    }
    if (options.pause.count() > 0) std::this_thread::sleep_for(options.pause);
  }
}

}  // namespace

Result<KekRotationResult> RotateKek(Runtime& rt, const KekRotationOptions& options,
                                    std::ostream& progress) {
  const Steady::time_point start = Steady::now();
  KekRotationResult result;
  store::Reader& reader = rt.store->reader();
  ASSIGN_OR_RETURN(auto rows, reader.KeyVersions());
  int64_t created_at_ms = 0;
  if (options.resume) {
    ASSIGN_OR_RETURN(result.version, rt.key_files->CurrentKekVersion());
    for (const auto& row : rows)
      if (row.purpose == store::kKekPurpose && row.version == result.version)
        created_at_ms = row.created_at_ms;
    progress << "resuming: re-wrapping every data key under key-encryption key version "
             << result.version << std::endl;
  } else {
    ASSIGN_OR_RETURN(result.version, CreateKekVersion(rt));
    created_at_ms = ToUnixMillis(rt.clock.Now());
    progress << "created key-encryption key version " << result.version << " ("
             << KeyFilePath(rt.dir, store::kKekPurpose, result.version) << ")" << std::endl;
  }
  TRY(rt.keyring->SetKekVersion(result.version));
  int64_t failed = 0;
  Steady::time_point last_report = start;
  const auto settled_at = FromUnixMillis(created_at_ms) + options.settle;
  // Pass after pass until one finds nothing left after the settle time: keys written by
  // a server that had not yet adopted the version are taken by the next pass.
  for (;;) {
    ++result.passes;
    ASSIGN_OR_RETURN(int64_t n, RewrapPass(rt, result.version, options, result.rewrapped, failed,
                                           start, last_report, progress));
    bool settled = rt.clock.Now() >= settled_at;
    if (n == 0 && settled) break;
    // Each pass scans every compartment: while settling, one a second is plenty.
    if (n == 0) std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  result.seconds = SecondsSince(start);
  if (failed > 0)
    return Fail(ErrorCode::kInternal,
                std::to_string(failed) +
                    " data keys could not be unwrapped and were left as they are (their key "
                    "version is missing or they are damaged): see `medvault keys status`");
  TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
    return AppendOperatorEvent(rt, txn, "key-rotation",
                               "every data key is wrapped under key-encryption key version " +
                                   std::to_string(result.version) + " (" +
                                   std::to_string(result.rewrapped) + " re-wrapped)");
  }));
  return result;
}

Status RetireKek(Runtime& rt, int version) {
  ASSIGN_OR_RETURN(auto rows, rt.store->reader().KeyVersions());
  const store::KeyVersionRow* row = nullptr;
  for (const auto& r : rows)
    if (r.purpose == store::kKekPurpose && r.version == version) row = &r;
  if (row == nullptr && version >= 1 && version <= rt.config.kek_version)
    return Fail(ErrorCode::kInvalid, "version " + std::to_string(version) +
                                         " is set by medvault.toml ([keys] kek_version): "
                                         "lower that setting instead");
  if (row == nullptr)
    return Fail(ErrorCode::kNotFound,
                "there is no key-encryption key version " + std::to_string(version));
  ASSIGN_OR_RETURN(int current, rt.key_files->CurrentKekVersion());
  if (row->state != "retired") {
    if (version >= current)
      return Fail(ErrorCode::kConflict,
                  "version " + std::to_string(version) + " is the current version: rotate first");
    const int64_t now = ToUnixMillis(rt.clock.Now());
    TRY(rt.store->Write([&](store::Transaction& txn) -> Status {
      // Checked in the commit that retires it: no data key can slip in between.
      ASSIGN_OR_RETURN(int64_t in_use, txn.CountDataKeysUnder(version));
      if (in_use > 0)
        return Fail(ErrorCode::kConflict,
                    std::to_string(in_use) + " data keys are still wrapped under version " +
                        std::to_string(version) + ": run `medvault keys rotate --resume` first");
      TRY(txn.SetKeyVersionState(store::kKekPurpose, version, "retired", now));
      return AppendOperatorEvent(
          rt, txn, "key-retirement",
          "key-encryption key version " + std::to_string(version) + " retired");
    }));
  }
  // A retired version's file is destroyed (again, if a crash left it behind).
  return DestroyVersionKey(rt.dir, store::kKekPurpose, version);
}

}  // namespace medvault::cli
