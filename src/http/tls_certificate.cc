#include "http/tls_certificate.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string_view>

#include "http/openssl_error.h"

namespace medvault::http {
namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, Deleter<GENERAL_NAME_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;

std::unexpected<Error> OpenSslFailure(std::string_view what) {
  return Fail(ErrorCode::kInternal, std::string(what) + ": " + TakeOpenSslError());
}

// DNS names are written into the certificate as they are, so only the characters a
// host name (or a leading wildcard label) can hold are accepted.
bool IsDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '*';
    if (!ok) return false;
  }
  return true;
}

Result<NamesPtr> SubjectAltNames(const CertificateRequest& request) {
  NamesPtr names(GENERAL_NAMES_new());
  if (!names) return OpenSslFailure("cannot allocate the subject alternative names");
  for (const std::string& dns : request.dns_names) {
    if (!IsDnsName(dns))
      return Fail(ErrorCode::kInvalid, "not a DNS name for the certificate: '" + dns + "'");
    GeneralNamePtr name(GENERAL_NAME_new());
    ASN1_IA5STRING* value = ASN1_IA5STRING_new();
    if (!name || !value || ASN1_STRING_set(value, dns.data(), static_cast<int>(dns.size())) != 1) {
      ASN1_IA5STRING_free(value);
      return OpenSslFailure("cannot encode a DNS name");
    }
    GENERAL_NAME_set0_value(name.get(), GEN_DNS, value);
    if (sk_GENERAL_NAME_push(names.get(), name.get()) == 0)
      return OpenSslFailure("cannot add a DNS name");
    name.release();  // now owned by `names`
  }
  for (const std::string& ip : request.ip_addresses) {
    ASN1_OCTET_STRING* value = a2i_IPADDRESS(ip.c_str());
    if (value == nullptr) {
      ERR_clear_error();
      return Fail(ErrorCode::kInvalid, "not an IP address for the certificate: '" + ip + "'");
    }
    GeneralNamePtr name(GENERAL_NAME_new());
    if (!name) {
      ASN1_OCTET_STRING_free(value);
      return OpenSslFailure("cannot encode an IP address");
    }
    GENERAL_NAME_set0_value(name.get(), GEN_IPADD, value);
    if (sk_GENERAL_NAME_push(names.get(), name.get()) == 0)
      return OpenSslFailure("cannot add an IP address");
    name.release();
  }
  return names;
}

// Adds an extension written in OpenSSL's configuration syntax; only fixed strings from
// this file come here, never caller input.
Status AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1)
    return OpenSslFailure(std::string("cannot add the extension ") + value);
  return Ok();
}

Status SetRandomSerial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return OpenSslFailure("cannot draw a serial number");
  bytes[0] &= 0x7f;  // DER INTEGER: keep it positive, as RFC 5280 requires
  bytes[0] |= 0x40;  // and 127 bits long, so that its encoding never shrinks
  BignumPtr serial(BN_bin2bn(bytes, sizeof bytes, nullptr));
  if (!serial || BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) == nullptr)
    return OpenSslFailure("cannot set the serial number");
  return Ok();
}

Result<X509Ptr> SelfSign(const CertificateRequest& request, EVP_PKEY* key) {
  if (request.common_name.empty() || request.valid_days <= 0)
    return Fail(ErrorCode::kInvalid, "the certificate needs a common name and a validity");
  if (request.dns_names.empty() && request.ip_addresses.empty())
    return Fail(ErrorCode::kInvalid, "the certificate needs at least one DNS name or IP address");
  ASSIGN_OR_RETURN(NamesPtr names, SubjectAltNames(request));

  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1)
    return OpenSslFailure("cannot create the certificate");
  TRY(SetRandomSerial(cert.get()));
  // A few minutes in the past, so that a client whose clock lags a little does not
  // reject a certificate made a moment ago.
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), request.valid_days, 0, nullptr) == nullptr)
    return OpenSslFailure("cannot set the validity period");

  X509_NAME* name = X509_get_subject_name(cert.get());
  const auto* cn = reinterpret_cast<const unsigned char*>(request.common_name.c_str());
  if (X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8, cn, -1, -1, 0) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key) != 1)
    return OpenSslFailure("cannot set the certificate's names and key");

  if (X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1)
    return OpenSslFailure("cannot add the subject alternative names");
  TRY(AddExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  TRY(AddExtension(cert.get(), NID_key_usage, "critical,digitalSignature"));
  TRY(AddExtension(cert.get(), NID_ext_key_usage, "serverAuth"));
  TRY(AddExtension(cert.get(), NID_subject_key_identifier, "hash"));

  if (X509_sign(cert.get(), key, EVP_sha256()) == 0)
    return OpenSslFailure("cannot sign the certificate");
  return cert;
}

// Writes `bytes` to a file that must not exist yet, created with `mode` from the start
// (O_EXCL: never through an existing file or link, never a chmod after the secret is
// already on disk), and flushed to disk.
Status WriteNewFile(const std::string& path, std::string_view bytes, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0)
    return Fail(ErrorCode::kUnavailable, "cannot create " + path + ": " + std::strerror(errno));
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int error = errno;
      ::close(fd);
      ::unlink(path.c_str());
      return Fail(ErrorCode::kUnavailable, "cannot write " + path + ": " + std::strerror(error));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    int error = errno;
    ::unlink(path.c_str());
    return Fail(ErrorCode::kUnavailable, "cannot flush " + path + ": " + std::strerror(error));
  }
  return Ok();
}

// PEM text from one of OpenSSL's PEM writers. `secure` keeps the text in OpenSSL's
// secure heap when one is set up, and clears it when the BIO is freed.
template <typename Write>
Result<std::string> Pem(bool secure, Write write) {
  BioPtr bio(BIO_new(secure ? BIO_s_secmem() : BIO_s_mem()));
  if (!bio || !write(bio.get())) return OpenSslFailure("cannot encode PEM");
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

Status WriteSelfSignedCertificate(const CertificateRequest& request,
                                  const std::string& certificate_file,
                                  const std::string& private_key_file) {
  ERR_clear_error();
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) return OpenSslFailure("cannot generate the P-256 key");
  ASSIGN_OR_RETURN(X509Ptr cert, SelfSign(request, key.get()));

  ASSIGN_OR_RETURN(std::string cert_pem,
                   Pem(false, [&](BIO* bio) { return PEM_write_bio_X509(bio, cert.get()) == 1; }));
  ASSIGN_OR_RETURN(std::string key_pem, Pem(true, [&](BIO* bio) {
                     return PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr,
                                                     nullptr) == 1;
                   }));
  Status written = WriteNewFile(private_key_file, key_pem, 0600);
  OPENSSL_cleanse(key_pem.data(), key_pem.size());
  TRY(written);
  Status cert_written = WriteNewFile(certificate_file, cert_pem, 0644);
  // A key without its certificate would block the next attempt (O_EXCL) for nothing.
  if (!cert_written) ::unlink(private_key_file.c_str());
  return cert_written;
}

}  // namespace medvault::http
