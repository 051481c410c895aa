#include "http/tls_context.h"

#include <openssl/err.h>

#include <string_view>

#include "http/openssl_error.h"

namespace medvault::http {
namespace {

// ECDHE for forward secrecy, AEAD for integrity: the CBC suites with HMAC are left
// out (Lucky13-style padding oracles), and so is plain RSA key exchange (no forward
// secrecy). ECDSA first because the certificate `medvault init` makes is P-256.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kTls13Suites =
    "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* kGroups = "X25519:P-256:P-384";

Status Invalid(std::string_view what) {
  return Fail(ErrorCode::kInvalid, std::string(what) + ": " + TakeOpenSslError());
}

}  // namespace

Status ConfigureServerTls(SSL_CTX* context, const std::string& certificate_file,
                          const std::string& private_key_file) {
  ERR_clear_error();
  if (SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) != 1)
    return Invalid("cannot set the minimum TLS version");
  SSL_CTX_set_options(
      context, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(context, kTls12Ciphers) != 1)
    return Invalid("cannot set the TLS 1.2 cipher list");
  if (SSL_CTX_set_ciphersuites(context, kTls13Suites) != 1)
    return Invalid("cannot set the TLS 1.3 cipher suites");
  if (SSL_CTX_set1_groups_list(context, kGroups) != 1)
    return Invalid("cannot set the key exchange groups");

  if (SSL_CTX_use_certificate_chain_file(context, certificate_file.c_str()) != 1)
    return Invalid("cannot load the TLS certificate " + certificate_file);
  if (SSL_CTX_use_PrivateKey_file(context, private_key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return Invalid("cannot load the TLS private key " + private_key_file);
  if (SSL_CTX_check_private_key(context) != 1)
    return Invalid("the TLS private key does not match the certificate");
  return Ok();
}

}  // namespace medvault::http
