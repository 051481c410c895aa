#include "cli/key_files.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/key_file.h"

namespace medvault::cli {
namespace {

std::string Label(std::string_view purpose, int version) {
  std::string what = purpose == store::kKekPurpose ? "key-encryption key" : "blind-index key";
  return "medvault " + what + " v" + std::to_string(version);
}

// MEDVAULT_KEK_<N> or MEDVAULT_BLIND_INDEX_<N>.
std::string EnvironmentName(std::string_view purpose, int version) {
  return std::string(purpose == store::kKekPurpose ? "MEDVAULT_KEK_" : "MEDVAULT_BLIND_INDEX_") +
         std::to_string(version);
}

std::optional<store::KeyVersionRow> Find(const std::vector<store::KeyVersionRow>& rows,
                                         std::string_view purpose, int version) {
  for (const auto& row : rows)
    if (row.purpose == purpose && row.version == version) return row;
  return std::nullopt;
}

}  // namespace

Status SyncDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Fail(ErrorCode::kUnavailable, "cannot open " + path);
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cannot sync " + path);
  return Ok();
}

std::string KeysDir(const DataDir& dir) { return dir.root + "/keys"; }

std::string KeyFilePath(const DataDir& dir, std::string_view purpose, int version) {
  return KeysDir(dir) + "/" + std::string(purpose) + "-" + std::to_string(version) + ".key";
}

Result<crypto::SecretKey> ReadVersionKey(const DataDir& dir, const store::KeyVersionRow& row) {
  const std::string what = std::string(row.purpose) + " version " + std::to_string(row.version);
  crypto::SecretKey key;
  const std::string env = EnvironmentName(row.purpose, row.version);
  if (const char* hex = std::getenv(env.c_str()); hex != nullptr && *hex != '\0') {
    auto bytes = crypto::FromHex(hex);
    if (!bytes || bytes->size() != crypto::kKeyBytes)
      return Fail(ErrorCode::kInvalid, env + " is not 64 hexadecimal digits");
    key = crypto::SecretKey::FromBytes(*bytes);
    sodium_memzero(bytes->data(), bytes->size());
  } else {
    const std::string path = KeyFilePath(dir, row.purpose, row.version);
    auto read = crypto::ReadKeyFile(path, Label(row.purpose, row.version));
    if (!read)
      return Fail(ErrorCode::kInvalid,
                  "the key of " + what + " cannot be read: " + read.error().message);
    key = std::move(*read);
  }
  crypto::KeyFingerprint fingerprint = crypto::FingerprintOf(key);
  if (!std::ranges::equal(fingerprint, row.fingerprint))
    return Fail(ErrorCode::kInvalid, "the key file of " + what +
                                         " holds another key than the one the database "
                                         "recorded (restored from elsewhere?)");
  return key;
}

Status WriteVersionKey(const DataDir& dir, store::Reader& reader, std::string_view purpose,
                       int version, const crypto::SecretKey& key) {
  const std::string keys = KeysDir(dir);
  if (::mkdir(keys.c_str(), 0700) != 0 && errno != EEXIST)
    return Fail(ErrorCode::kUnavailable, "cannot create " + keys + ": " + std::strerror(errno));
  if (::chmod(keys.c_str(), 0700) != 0)
    return Fail(ErrorCode::kUnavailable, "cannot restrict " + keys + " to mode 0700");
  TRY(SyncDirectory(dir.root));
  const std::string path = KeyFilePath(dir, purpose, version);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    ASSIGN_OR_RETURN(auto rows, reader.KeyVersions());
    if (Find(rows, purpose, version))
      return Fail(ErrorCode::kConflict, path + " belongs to a recorded key version");
    // Left by a rotation that stopped before recording its version: no data uses it.
    if (::unlink(path.c_str()) != 0)
      return Fail(ErrorCode::kUnavailable, "cannot remove the leftover " + path);
  }
  TRY(crypto::WriteKeyFile(path, Label(purpose, version), key));
  return SyncDirectory(keys);
}

Status DestroyVersionKey(const DataDir& dir, std::string_view purpose, int version) {
  const std::string path = KeyFilePath(dir, purpose, version);
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return Ok();
    return Fail(ErrorCode::kUnavailable, "cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  std::vector<char> zeros(static_cast<size_t>(ok ? st.st_size : 0), '\0');
  ok = ok && ::pwrite(fd, zeros.data(), zeros.size(), 0) == static_cast<ssize_t>(zeros.size()) &&
       ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cannot overwrite " + path);
  if (::unlink(path.c_str()) != 0)
    return Fail(ErrorCode::kUnavailable, "cannot remove " + path + ": " + std::strerror(errno));
  return SyncDirectory(KeysDir(dir));
}

int NewestVersion(const std::vector<store::KeyVersionRow>& rows, std::string_view purpose,
                  int floor) {
  int newest = floor;
  for (const auto& row : rows)
    if (row.purpose == purpose) newest = std::max(newest, row.version);
  return newest;
}

Result<std::optional<crypto::SecretKey>> KeyFiles::KekOf(int version) const {
  ASSIGN_OR_RETURN(auto rows, store_.reader().KeyVersions());
  auto row = Find(rows, store::kKekPurpose, version);
  if (!row) {
    if (version >= 1 && version <= configured_) return std::nullopt;  // derived, unrecorded
    return Fail(ErrorCode::kInternal, "data key wrapped with an unknown key version");
  }
  if (row->state == "retired")
    return Fail(ErrorCode::kInternal, "data key wrapped with a retired key version");
  if (row->origin == "derived") return std::nullopt;
  ASSIGN_OR_RETURN(crypto::SecretKey key, ReadVersionKey(dir_, *row));
  return std::optional<crypto::SecretKey>(std::move(key));
}

Result<int> KeyFiles::CurrentKekVersion() const {
  ASSIGN_OR_RETURN(auto rows, store_.reader().KeyVersions());
  int current = configured_;
  for (const auto& row : rows)
    if (row.purpose == store::kKekPurpose && row.state == "active")
      current = std::max(current, row.version);
  return current;
}

Status LoadKeyVersions(const DataDir& dir, store::Store& store, int configured_kek_version,
                       crypto::Keyring& keyring) {
  ASSIGN_OR_RETURN(auto rows, store.reader().KeyVersions());
  int current = 0;
  for (int v = 1; v <= configured_kek_version; ++v) {
    auto row = Find(rows, store::kKekPurpose, v);
    if (row && row->state == "retired") continue;
    if (!row || row->origin == "derived") {
      keyring.AddKek(v, std::nullopt);
      current = std::max(current, v);
    }
  }
  const store::KeyVersionRow* blind = nullptr;
  for (const auto& row : rows) {
    if (row.state != "active") continue;
    if (row.purpose == store::kBlindIndexPurpose) {
      if (blind == nullptr || row.version > blind->version) blind = &row;
      continue;
    }
    if (row.purpose != store::kKekPurpose) continue;
    if (row.origin == "derived") {
      keyring.AddKek(row.version, std::nullopt);
    } else {
      ASSIGN_OR_RETURN(crypto::SecretKey key, ReadVersionKey(dir, row));
      keyring.AddKek(row.version, std::move(key));
    }
    current = std::max(current, row.version);
  }
  if (current == 0) return Fail(ErrorCode::kInvalid, "no key-encryption key version is active");
  TRY(keyring.SetKekVersion(current));
  if (blind != nullptr && blind->origin == "file") {
    ASSIGN_OR_RETURN(crypto::SecretKey key, ReadVersionKey(dir, *blind));
    keyring.UseBlindIndexKey(std::move(key));
  }
  return Ok();
}

}  // namespace medvault::cli
