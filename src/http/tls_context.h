// The server's TLS policy, applied to an OpenSSL context so that the server and the
// raw-Beast benchmark baseline speak exactly the same TLS. Private to http/ and bench/.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "common/result.h"

namespace medvault::http {

// TLS 1.2 minimum (1.3 preferred when offered); TLS 1.2 suites limited to ECDHE with an
// AEAD cipher (AES-GCM, ChaCha20-Poly1305); TLS 1.3 suites (all AEAD); no compression,
// no renegotiation, the server's cipher order wins. Loads the PEM certificate chain and
// private key and checks that they match.
// Errors: kInvalid (unreadable or mismatched certificate or key, with OpenSSL's reason).
Status ConfigureServerTls(SSL_CTX* context, const std::string& certificate_file,
                          const std::string& private_key_file);

}  // namespace medvault::http
