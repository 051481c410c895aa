// The self-signed certificate `medvault init` creates so that the server speaks TLS
// from its first start. Operators replace it with their own (see OPERATIONS.md).
#pragma once

#include <string>
#include <vector>

#include "common/result.h"

namespace medvault::http {

struct CertificateRequest {
  std::string common_name = "medvault";
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
  int valid_days = 825;
};

// Writes an ECDSA P-256 key (mode 0600) and a self-signed X.509 v3 certificate
// (serverAuth, SANs) as PEM files.
Status WriteSelfSignedCertificate(const CertificateRequest& request,
                                  const std::string& certificate_file,
                                  const std::string& private_key_file);

}  // namespace medvault::http
