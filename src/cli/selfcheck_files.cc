// The self-check's file, TLS and settings checks.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/key_files.h"
#include "cli/selfcheck.h"
#include "common/time_format.h"
#include "http/certificate_info.h"
#include "store/store.h"

namespace medvault::cli {
namespace {

using api::Finding;
using api::Severity;

std::string Mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// `path` must not be open to others (`secret`: not to the group either).
void CheckMode(const std::string& path, const std::string& what, bool secret, bool required,
               std::vector<Finding>& out) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (required) out.push_back({Severity::kHigh, "file-permissions", path, what + " is missing"});
    return;
  }
  if (S_ISLNK(st.st_mode)) {
    out.push_back({Severity::kMedium, "file-permissions", path,
                   what + " is a symbolic link: keep the real file in the data directory"});
    return;
  }
  const mode_t loose = secret ? 077 : 007;
  if ((st.st_mode & loose) != 0)
    out.push_back({Severity::kHigh, "file-permissions", path,
                   what + " has mode " + Mode(st.st_mode) + ": " +
                       (secret ? "chmod 600 it (700 for a directory)" : "chmod o-rwx it")});
  if (st.st_uid != ::geteuid())
    out.push_back({Severity::kMedium, "file-permissions", path,
                   what + " belongs to user " + std::to_string(st.st_uid) +
                       ", not to the user medvault runs as"});
}

}  // namespace

void CheckFiles(const DataDir& dir, const Config* config, std::vector<Finding>& out) {
  CheckMode(dir.root, "the data directory", true, true, out);
  const bool master_in_env = std::getenv("MEDVAULT_MASTER_KEY") != nullptr;
  CheckMode(dir.master_key(), "the master key", true, !master_in_env, out);
  CheckMode(dir.signing_key(), "the audit signing key", true, true, out);
  CheckMode(dir.private_key(), "the TLS private key", true, true, out);
  CheckMode(dir.tls_dir(), "the TLS directory", false, true, out);
  CheckMode(dir.config(), "medvault.toml", true, true, out);
  CheckMode(KeysDir(dir), "the directory of rotated keys", true, false, out);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(KeysDir(dir), ec))
    CheckMode(entry.path().string(), "the rotated key " + entry.path().filename().string(), true,
              true, out);
  const std::string configured = config != nullptr ? config->database : "medvault.db";
  if (!store::IsPostgresLocation(configured)) {  // PostgreSQL's files are its server's
    const std::string db = dir.database(configured);
    CheckMode(db, "the database", true, true, out);
    CheckMode(db + "-wal", "the database's WAL", true, false, out);
    CheckMode(db + "-shm", "the database's shared memory", true, false, out);
  }
  if (config != nullptr && !config->alerts_export_file.empty())
    CheckMode(dir.File(config->alerts_export_file), "the alert export file", true, false, out);
  if (!master_in_env && std::filesystem::exists(dir.master_key(), ec))
    out.push_back({Severity::kLow, "keys", dir.master_key(),
                   "the master key is kept in the data directory: a copy of the directory is "
                   "enough to read everything; keep it in a secrets manager "
                   "(MEDVAULT_MASTER_KEY) and an offline escrow"});
}

void CheckTls(const DataDir& dir, const Config& config, int64_t now_ms, int warn_days,
              std::vector<Finding>& out) {
  const std::string path = dir.certificate();
  auto cert = http::ReadCertificateInfo(path);
  if (!cert) {
    out.push_back({Severity::kHigh, "tls-certificate", path, cert.error().message});
  } else {
    const int64_t days_left = (cert->not_after_ms - now_ms) / 86'400'000;
    const std::string expiry = "expires " + FormatInstant(FromUnixMillis(cert->not_after_ms));
    if (cert->not_after_ms <= now_ms) {
      out.push_back({Severity::kHigh, "tls-certificate", path,
                     "the certificate has expired (" + expiry + "): clients refuse the server"});
    } else if (days_left < 14) {
      out.push_back({Severity::kHigh, "tls-certificate", path,
                     "the certificate " + expiry + ", in " + std::to_string(days_left) +
                         " days: renew it now"});
    } else if (days_left < warn_days) {
      out.push_back(
          {Severity::kMedium, "tls-certificate", path,
           "the certificate " + expiry + ", in " + std::to_string(days_left) + " days: renew it"});
    } else {
      out.push_back({Severity::kInfo, "tls-certificate", path,
                     "the certificate " + expiry + " (" + std::to_string(days_left) + " days); " +
                         cert->key_type + " " + std::to_string(cert->key_bits) + " bits, " +
                         cert->signature_algorithm});
    }
    if (cert->self_signed)
      out.push_back({Severity::kLow, "tls-certificate", path,
                     "the certificate is self-signed: clients must pin it; use one from your "
                     "CA (docs/OPERATIONS.md)"});
    const bool weak_key = (cert->key_type == "RSA" && cert->key_bits < 2048) ||
                          (cert->key_type == "EC" && cert->key_bits < 256);
    if (weak_key)
      out.push_back({Severity::kHigh, "tls-certificate", path,
                     "the certificate's " + cert->key_type + " key has only " +
                         std::to_string(cert->key_bits) + " bits"});
    std::string algorithm = cert->signature_algorithm;
    std::ranges::transform(algorithm, algorithm.begin(), [](char c) { return std::tolower(c); });
    if (algorithm.find("sha1") != std::string::npos || algorithm.find("md5") != std::string::npos)
      out.push_back({Severity::kHigh, "tls-certificate", path,
                     "the certificate is signed with " + cert->signature_algorithm});
  }
  out.push_back({Severity::kInfo, "tls-settings", "",
                 "TLS 1.2 and 1.3 only, AEAD suites with ECDHE, no compression or "
                 "renegotiation, HSTS on every response, no plaintext listener (fixed by the "
                 "server)"});
  auto weaker = [&](bool weak, Severity severity, const char* setting, std::string message) {
    if (weak) out.push_back({severity, "settings", setting, std::move(message)});
  };
  weaker(!config.bind_sessions_to_client, Severity::kMedium, "[sessions] bind_to_client",
         "is off: a stolen session token works from any device");
  weaker(config.session_idle_minutes > 30, Severity::kLow, "[sessions] idle_timeout_minutes",
         "is " + std::to_string(config.session_idle_minutes) + " (default 15)");
  weaker(config.session_absolute_hours > 12, Severity::kLow, "[sessions] absolute_timeout_hours",
         "is " + std::to_string(config.session_absolute_hours) + " (default 12)");
  weaker(config.login_lockout_after > 20, Severity::kLow, "[login] lockout_after_failures",
         "is " + std::to_string(config.login_lockout_after) + " (default 10)");
  weaker(config.break_glass_per_day > 5, Severity::kLow, "[access] break_glass_per_day",
         "is " + std::to_string(config.break_glass_per_day) + " (default 3)");
  weaker(config.alerts_export_file.empty() && !config.alerts_syslog, Severity::kLow, "[alerts]",
         "no SIEM feed (export_file, syslog): alerts are seen only in the console");
}

void SortFindings(std::vector<Finding>& findings) {
  std::ranges::stable_sort(findings, [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.check != b.check) return a.check < b.check;
    return a.subject < b.subject;
  });
}

}  // namespace medvault::cli
