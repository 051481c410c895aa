// What the self-check needs to know about the server's certificate: when it expires,
// whether it is self-signed, and how strong its key and signature are.
#pragma once

#include <cstdint>
#include <string>

#include "common/result.h"

namespace medvault::http {

struct CertificateInfo {
  int64_t not_before_ms = 0;
  int64_t not_after_ms = 0;
  bool self_signed = false;
  std::string key_type;  // "EC", "RSA", "ED25519", …
  int key_bits = 0;
  std::string signature_algorithm;  // e.g. "ecdsa-with-SHA256"
  std::string subject;              // the subject name, one line
};

// Reads the first certificate of a PEM file.
Result<CertificateInfo> ReadCertificateInfo(const std::string& pem_file);

}  // namespace medvault::http
