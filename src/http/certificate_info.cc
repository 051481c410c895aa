#include "http/certificate_info.h"

#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

namespace medvault::http {
namespace {

std::optional<int64_t> Millis(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

}  // namespace

Result<CertificateInfo> ReadCertificateInfo(const std::string& pem_file) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(pem_file.c_str(), "r"), &std::fclose);
  if (!file) return Fail(ErrorCode::kInvalid, "cannot read the certificate " + pem_file);
  std::unique_ptr<X509, void (*)(X509*)> cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr),
                                              &X509_free);
  if (!cert) return Fail(ErrorCode::kInvalid, pem_file + " holds no PEM certificate");
  CertificateInfo info;
  auto before = Millis(X509_get0_notBefore(cert.get()));
  auto after = Millis(X509_get0_notAfter(cert.get()));
  if (!before || !after) return Fail(ErrorCode::kInvalid, pem_file + " has unreadable dates");
  info.not_before_ms = *before;
  info.not_after_ms = *after;
  info.self_signed = (X509_get_extension_flags(cert.get()) & EXFLAG_SS) != 0;
  if (EVP_PKEY* key = X509_get0_pubkey(cert.get()); key != nullptr) {
    const int id = EVP_PKEY_get_base_id(key);
    const char* type = OBJ_nid2sn(id);
    info.key_type = id == EVP_PKEY_EC ? "EC" : id == EVP_PKEY_RSA ? "RSA" : type ? type : "unknown";
    info.key_bits = EVP_PKEY_get_bits(key);
  }
  const char* signature = OBJ_nid2ln(X509_get_signature_nid(cert.get()));
  info.signature_algorithm = signature != nullptr ? signature : "unknown";
  if (char* subject = X509_NAME_oneline(X509_get_subject_name(cert.get()), nullptr, 0)) {
    info.subject = subject;
    OPENSSL_free(subject);
  }
  return info;
}

}  // namespace medvault::http
