#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "crypto/encoding.h"

namespace medvault::crypto {
namespace {

Result<SecretKey> KeyFromHex(std::string_view hex, std::string_view what) {
  auto bytes = FromHex(hex);
  if (!bytes || bytes->size() != kKeyBytes)
    return Fail(ErrorCode::kInvalid, std::string(what) + " is not 64 hexadecimal digits");
  SecretKey key = SecretKey::FromBytes(*bytes);
  sodium_memzero(bytes->data(), bytes->size());
  return key;
}

}  // namespace

Status WriteKeyFile(const std::string& path, std::string_view label, const SecretKey& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Fail(ErrorCode::kConflict, "key file " + path + " already exists");
    return Fail(ErrorCode::kUnavailable,
                "cannot create key file " + path + ": " + std::strerror(errno));
  }
  std::string text = std::string(label) + "\n" + ToHex({key.data(), key.size()}) + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  sodium_memzero(text.data(), text.size());
  ::close(fd);
  if (!ok) return Fail(ErrorCode::kUnavailable, "cannot write key file " + path);
  return Ok();
}

Status CheckPrivateFile(const std::string& path, std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return Fail(ErrorCode::kInvalid, std::string(what) + " " + path + " is missing");
  if ((st.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return Fail(ErrorCode::kInvalid, std::string(what) + " " + path + " has mode " + mode +
                                         ": it must not be readable by group or others "
                                         "(chmod 600 it)");
  }
  return Ok();
}

Result<SecretKey> ReadKeyFile(const std::string& path, std::string_view label) {
  TRY(CheckPrivateFile(path, "key file"));
  std::ifstream in(path);
  std::string first, second, rest;
  std::getline(in, first);
  std::getline(in, second);
  std::getline(in, rest);
  if (!in.eof() && !rest.empty())
    return Fail(ErrorCode::kInvalid, "key file " + path + " is malformed");
  if (first != label)
    return Fail(ErrorCode::kInvalid, "key file " + path + " is not a " + std::string(label));
  auto key = KeyFromHex(second, "key file " + path);
  sodium_memzero(second.data(), second.size());
  return key;
}

Result<SecretKey> LoadMasterKey(const std::string& path) {
  if (const char* env = std::getenv("MEDVAULT_MASTER_KEY"); env != nullptr && *env != '\0')
    return KeyFromHex(env, "MEDVAULT_MASTER_KEY");
  return ReadKeyFile(path, kMasterKeyLabel);
}

}  // namespace medvault::crypto
