#include "cli/data_dir.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "access/policy.h"
#include "access/record_vault.h"
#include "cli/config.h"
#include "cli/directory_writer.h"
#include "crypto/key_file.h"
#include "crypto/keyring.h"
#include "crypto/signing_key.h"
#include "http/tls_certificate.h"
#include "store/store.h"

namespace medvault::cli {
namespace fs = std::filesystem;

std::string DataDir::File(const std::string& configured) const {
  if (!configured.empty() && configured.front() == '/') return configured;
  return root + "/" + configured;
}

namespace {

Status WriteNewFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::out | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return Fail(ErrorCode::kUnavailable, "cannot write " + path);
  return Ok();
}

// The config file's text for `database` (empty: the default SQLite file).
Result<std::string> ConfigText(const std::string& database) {
  std::string text = DefaultConfigText();
  if (database.empty()) return text;
  if (!store::IsPostgresLocation(database))
    return Fail(ErrorCode::kInvalid, "--database must be a postgresql:// URI");
  // Written into a TOML basic string: a quote, a backslash or a control character would
  // end it or change it.
  for (char c : database)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
      return Fail(ErrorCode::kInvalid,
                  "--database: quotes, backslashes and control characters are not accepted "
                  "(percent-encode them)");
  const std::string from = "database = \"medvault.db\"";
  auto at = text.find(from);
  if (at == std::string::npos) return Fail(ErrorCode::kInternal, "no [storage] database line");
  text.replace(at, from.size(), "database = \"" + database + "\"");
  return text;
}

Status Populate(const DataDir& dir, const std::string& database) {
  if (::mkdir(dir.tls_dir().c_str(), 0700) != 0)
    return Fail(ErrorCode::kUnavailable,
                "cannot create " + dir.tls_dir() + ": " + std::strerror(errno));
  crypto::SecretKey master = crypto::SecretKey::Random();
  TRY(crypto::WriteKeyFile(dir.master_key(), crypto::kMasterKeyLabel, master));
  TRY(crypto::WriteSigningKey(crypto::SigningKey::Generate(), dir.signing_key(),
                              dir.signing_public_key()));
  TRY(http::WriteSelfSignedCertificate(http::CertificateRequest{}, dir.certificate(),
                                       dir.private_key()));
  ASSIGN_OR_RETURN(std::string config_text, ConfigText(database));
  TRY(WriteNewFile(dir.config(), config_text));
  Config defaults;
  ASSIGN_OR_RETURN(auto store,
                   OpenConfiguredStore(dir, database.empty() ? defaults.database : database, true));
  crypto::Keyring keyring(std::move(master), defaults.kek_version);
  access::NoCareRelationships no_care;  // init makes only system decisions
  access::Policy policy(no_care);
  access::RecordVault vault(keyring);
  SystemClock clock;
  TRY(CreateDirectoryCompartment(*store, policy, vault, clock));
  store->Close();
  return Ok();
}

}  // namespace

Result<std::unique_ptr<store::Store>> OpenConfiguredStore(const DataDir& dir,
                                                          const std::string& database, bool create,
                                                          const store::StoreOptions& options) {
  if (store::IsPostgresLocation(database))
    return store::OpenPostgresStore(database, create, options);
  return store::OpenSqliteStore(dir.database(database), create, options);
}

Status InitializeDataDir(const DataDir& dir, const std::string& database) {
  std::error_code ec;
  bool existed = fs::exists(dir.root, ec);
  if (existed && !fs::is_empty(dir.root, ec))
    return Fail(ErrorCode::kConflict,
                dir.root + " already exists and is not empty: refusing to overwrite it");
  if (!existed && ::mkdir(dir.root.c_str(), 0700) != 0)
    return Fail(ErrorCode::kUnavailable, "cannot create " + dir.root + ": " + std::strerror(errno));
  if (existed && ::chmod(dir.root.c_str(), 0700) != 0)
    return Fail(ErrorCode::kUnavailable, "cannot restrict " + dir.root + " to mode 0700");
  Status populated = Populate(dir, database);
  if (!populated) {
    // Leave nothing half-made behind: a partial data directory is worse than none.
    for (const auto& entry : fs::directory_iterator(dir.root, ec)) fs::remove_all(entry, ec);
    if (!existed) fs::remove(dir.root, ec);
  }
  return populated;
}

Status CheckDataDir(const DataDir& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir.root, ec))
    return Fail(ErrorCode::kInvalid,
                dir.root + " is not a medvault data directory (run `medvault init` first)");
  if (!fs::exists(dir.config(), ec))
    return Fail(ErrorCode::kInvalid, dir.root + " has no medvault.toml: is it a data directory?");
  struct stat st {};
  if (::stat(dir.root.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    return Fail(ErrorCode::kInvalid, dir.root + " is accessible to group or others: chmod 700 it");
  return Ok();
}

}  // namespace medvault::cli
