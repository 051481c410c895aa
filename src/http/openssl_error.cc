#include "http/openssl_error.h"

#include <openssl/err.h>

namespace medvault::http {

std::string TakeOpenSslError() {
  unsigned long code = ERR_peek_last_error();
  std::string reason = "unknown OpenSSL error";
  if (code != 0) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    reason = buffer;
  }
  ERR_clear_error();
  return reason;
}

}  // namespace medvault::http
