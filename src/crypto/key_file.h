// Key files on disk: created with mode 0600 (never widened), and refused at load when
// their mode lets the group or others read them.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "crypto/secret.h"

namespace medvault::crypto {

// Writes "<label>\n<hex key>\n" to a new file (O_EXCL, mode 0600, fsync'ed).
// Fails (kConflict) when the file exists.
Status WriteKeyFile(const std::string& path, std::string_view label, const SecretKey& key);

// Reads a key file written by WriteKeyFile with the same label. Fails (kInvalid) when
// the file is missing, malformed, has another label, or its mode is wider than 0600.
Result<SecretKey> ReadKeyFile(const std::string& path, std::string_view label);

// Checks that a file holding a secret (`what`: "key file", "TLS private key") exists
// and that neither group nor others can read it; kInvalid saying what to fix otherwise.
Status CheckPrivateFile(const std::string& path, std::string_view what);

// The master key: from the environment variable MEDVAULT_MASTER_KEY (64 hex digits)
// when set, otherwise from `path`.
Result<SecretKey> LoadMasterKey(const std::string& path);

inline constexpr std::string_view kMasterKeyLabel = "medvault master key v1";
inline constexpr std::string_view kSigningKeyLabel = "medvault ed25519 signing seed v1";

}  // namespace medvault::crypto
