// `medvault keys status|rotate|retire|rotate-index|rotate-signing`.
#include <unistd.h>

#include <iomanip>
#include <iostream>
#include <map>

#include "api/json_fields.h"
#include "cli/data_dir_lock.h"
#include "cli/index_rebuild.h"
#include "cli/key_command_options.h"
#include "cli/key_files.h"
#include "cli/key_rotation.h"
#include "cli/operator_audit.h"
#include "cli/runtime.h"
#include "cli/signing_keys.h"
#include "common/time_format.h"

namespace medvault::cli {
namespace {

std::string Date(int64_t ms) {
  return ms == 0 ? "-" : FormatInstant(FromUnixMillis(ms)).substr(0, 19) + "Z";
}

// Opens DIR or says why not, prefixed with the command's name.
std::unique_ptr<Runtime> Open(const std::string& command, const std::string& dir) {
  auto rt = OpenRuntime(dir);
  if (!rt) {
    std::cerr << command << ": " << rt.error().message << "\n";
    return nullptr;
  }
  return std::move(*rt);
}

int Failed(const std::string& command, const Error& e) {
  std::cerr << command << ": " << e.message << "\n";
  return 1;
}

// What `keys status` shows of one KEK version.
struct KekLine {
  int version = 0;
  std::string origin = "derived";
  std::string state = "active";
  int64_t created_at_ms = 0;
  int64_t retired_at_ms = 0;
  int64_t data_keys = 0;
  std::string key;  // where the key is, and whether it is usable
};

std::string KeyWhere(Runtime& rt, const store::KeyVersionRow& row) {
  const std::string path = KeyFilePath(rt.dir, row.purpose, row.version);
  const std::string relative = path.substr(rt.dir.root.size() + 1);
  if (row.origin == "derived") return "from the master key";
  bool present = ::access(path.c_str(), F_OK) == 0;
  if (row.state == "retired") return present ? relative + " LEFT OVER: retire again" : "destroyed";
  auto key = ReadVersionKey(rt.dir, row);
  return key ? relative : "UNUSABLE: " + key.error().message;
}

Result<std::vector<KekLine>> KekLines(Runtime& rt, const std::vector<store::KeyVersionRow>& rows) {
  ASSIGN_OR_RETURN(auto counts, rt.store->reader().DataKeysPerKekVersion());
  std::map<int, KekLine> lines;
  for (const auto& row : rows) {
    if (row.purpose != store::kKekPurpose) continue;
    lines[row.version] = {row.version,       row.origin, row.state,        row.created_at_ms,
                          row.retired_at_ms, 0,          KeyWhere(rt, row)};
  }
  for (const auto& [version, count] : counts) {
    KekLine& line = lines[version];
    if (line.version == 0)
      line = {version, "derived", "unrecorded", 0, 0, 0, "from the master key"};
    line.data_keys = count;
  }
  std::vector<KekLine> out;
  for (auto& [version, line] : lines) out.push_back(std::move(line));
  return out;
}

}  // namespace

int RunKeysStatus(const KeysOptions& options) {
  const std::string command = "medvault keys status";
  auto rt = Open(command, options.data_dir);
  if (!rt) return 1;
  auto rows = rt->store->reader().KeyVersions();
  if (!rows) return Failed(command, rows.error());
  auto keks = KekLines(*rt, *rows);
  if (!keks) return Failed(command, keks.error());
  auto current = rt->key_files->CurrentKekVersion();
  if (!current) return Failed(command, current.error());
  const store::KeyVersionRow* blind = nullptr;
  for (const auto& row : *rows)
    if (row.purpose == store::kBlindIndexPurpose && row.state == "active") blind = &row;
  auto signing = LoadSigningKeys(rt->dir, rt->signing_key->public_key());
  if (!signing) return Failed(command, signing.error());

  if (options.json) {
    std::cout << api::WriteJson([&](api::JsonWriter& w) {
      w.StartObject();
      w.Key("kek");
      w.StartObject();
      w.Key("current");
      w.Int(*current);
      w.Key("versions");
      w.StartArray();
      for (const KekLine& l : *keks) {
        w.StartObject();
        w.Key("version");
        w.Int(l.version);
        w.Key("origin");
        api::Str(w, l.origin);
        w.Key("state");
        api::Str(w, l.state);
        w.Key("created_at");
        api::Str(w, Date(l.created_at_ms));
        w.Key("data_keys");
        w.Int64(l.data_keys);
        w.Key("key");
        api::Str(w, l.key);
        w.EndObject();
      }
      w.EndArray();
      w.EndObject();
      w.Key("blind_index");
      w.StartObject();
      w.Key("version");
      w.Int(blind != nullptr ? blind->version : 1);
      w.Key("origin");
      api::Str(w, blind != nullptr ? blind->origin : "derived");
      w.EndObject();
      w.Key("signing");
      w.StartObject();
      w.Key("public_key");
      api::Str(w, crypto::ToHex(rt->signing_key->public_key()));
      w.Key("earlier_keys");
      w.StartArray();
      for (size_t i = 0; i + 1 < signing->size(); ++i) api::Str(w, crypto::ToHex((*signing)[i]));
      w.EndArray();
      w.EndObject();
      w.EndObject();
    }) << "\n";
    return 0;
  }
  std::cout << "key-encryption keys (new data keys are wrapped under version " << *current
            << "):\n";
  std::cout << "  " << std::left << std::setw(8) << "version" << std::setw(9) << "origin"
            << std::setw(11) << "state" << std::setw(22) << "created" << std::right << std::setw(10)
            << "data keys"
            << "  key\n";
  for (const KekLine& l : *keks)
    std::cout << "  " << std::left << std::setw(8) << l.version << std::setw(9) << l.origin
              << std::setw(11) << l.state << std::setw(22) << Date(l.created_at_ms) << std::right
              << std::setw(10) << l.data_keys << "  " << l.key << "\n";
  if (blind != nullptr)
    std::cout << "blind-index key: version " << blind->version << " (" << blind->origin
              << "), created " << Date(blind->created_at_ms) << "\n";
  std::cout << "audit signing key: " << crypto::ToHex(rt->signing_key->public_key()) << " ("
            << signing->size() - 1 << " earlier keys kept in signing-history.pub)\n";
  return 0;
}

int RunKeysRotate(const KeysOptions& options) {
  const std::string command = "medvault keys rotate";
  auto rt = Open(command, options.data_dir);
  if (!rt) return 1;
  KekRotationOptions rotation;
  rotation.batch = options.batch;
  rotation.pause = std::chrono::milliseconds(options.pause_ms);
  rotation.resume = options.resume;
  auto result = RotateKek(*rt, rotation, std::cerr);
  if (!result) return Failed(command, result.error());
  std::cout << "key-encryption key version " << result->version
            << " is current: " << result->rewrapped << " data keys re-wrapped in " << std::fixed
            << std::setprecision(1) << result->seconds << " s (" << result->passes
            << " passes); retire the older versions with `medvault keys retire --version N`\n";
  return 0;
}

int RunKeysRetire(const KeysOptions& options) {
  const std::string command = "medvault keys retire";
  auto rt = Open(command, options.data_dir);
  if (!rt) return 1;
  if (Status s = RetireKek(*rt, options.version); !s) return Failed(command, s.error());
  std::cout << "key-encryption key version " << options.version
            << " is retired and its key destroyed\n";
  return 0;
}

int RunKeysRotateIndex(const KeysOptions& options) {
  const std::string command = "medvault keys rotate-index";
  DataDir dir{options.data_dir};
  if (Status s = CheckDataDir(dir); !s) return Failed(command, s.error());
  auto lock = DataDirLock::ForOfflineOperation(dir, "rotating the blind-index key");
  if (!lock) return Failed(command, lock.error());
  auto rt = Open(command, options.data_dir);
  if (!rt) return 1;
  auto result = RotateBlindIndexKey(*rt, std::cerr);
  if (!result) return Failed(command, result.error());
  std::cout << "blind-index key version " << result->version << " is in use: " << result->resources
            << " resources and " << result->audit_entries << " audit entries re-indexed in "
            << std::fixed << std::setprecision(1) << result->seconds
            << " s; the old key is destroyed\n";
  return 0;
}

int RunKeysRotateSigning(const KeysOptions& options) {
  const std::string command = "medvault keys rotate-signing";
  auto rt = Open(command, options.data_dir);
  if (!rt) return 1;
  const int64_t now = ToUnixMillis(rt->clock.Now());
  const crypto::PublicKey old = rt->signing_key->public_key();
  auto next = RotateSigningKey(rt->dir, *rt->signing_key, now);
  if (!next) return Failed(command, next.error());
  Status audited = rt->store->Write([&](store::Transaction& txn) {
    return AppendOperatorEvent(
        *rt, txn, "key-rotation",
        "audit signing key " + crypto::ToHex(*next) + " replaces " + crypto::ToHex(old));
  });
  if (!audited) return Failed(command, audited.error());
  std::cout << "new audit signing key " << crypto::ToHex(*next)
            << " (signing.pub); the previous one is kept in signing-history.pub. Restart the "
               "server to sign with it; publish the new public key\n";
  return 0;
}

}  // namespace medvault::cli
