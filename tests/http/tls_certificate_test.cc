#include "http/tls_certificate.h"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <string>

#include "test_server.h"

namespace medvault::http {
namespace {

using testing::TempDir;

template <typename T, T* (*Read)(FILE*, T**, pem_password_cb*, void*)>
T* ReadPem(const std::string& path) {
  FILE* f = fopen(path.c_str(), "r");
  if (f == nullptr) return nullptr;
  T* object = Read(f, nullptr, nullptr, nullptr);
  fclose(f);
  return object;
}
X509* ReadCertificate(const std::string& path) { return ReadPem<X509, PEM_read_X509>(path); }
EVP_PKEY* ReadKey(const std::string& path) { return ReadPem<EVP_PKEY, PEM_read_PrivateKey>(path); }

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

std::set<std::string> SubjectAltNames(X509* cert) {
  std::set<std::string> out;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_DNS) {
      const unsigned char* data = ASN1_STRING_get0_data(name->d.dNSName);
      out.insert("DNS:" + std::string(reinterpret_cast<const char*>(data),
                                      static_cast<size_t>(ASN1_STRING_length(name->d.dNSName))));
    } else if (name->type == GEN_IPADD) {
      out.insert("IP bytes:" + std::to_string(ASN1_STRING_length(name->d.iPAddress)));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

TEST(TlsCertificate, WritesAP256KeyAndAServerCertificateThatMatch) {
  TempDir dir;
  ASSERT_TRUE(WriteSelfSignedCertificate({}, dir.File("cert.pem"), dir.File("key.pem")));

  X509* cert = ReadCertificate(dir.File("cert.pem"));
  EVP_PKEY* key = ReadKey(dir.File("key.pem"));
  ASSERT_NE(cert, nullptr);
  ASSERT_NE(key, nullptr);

  EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
  EXPECT_TRUE(EVP_PKEY_is_a(key, "EC"));
  char group[64] = {};
  size_t group_length = 0;
  EVP_PKEY_get_group_name(key, group, sizeof group, &group_length);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_EQ(X509_check_private_key(cert, key), 1);
  // Self-signed with SHA-256, and the signature verifies with its own key.
  EXPECT_EQ(X509_get_signature_nid(cert), NID_ecdsa_with_SHA256);
  EXPECT_EQ(X509_verify(cert, key), 1);

  // Server use only: not a CA (critical), digitalSignature, serverAuth.
  int critical = -1;
  auto* constraints = static_cast<BASIC_CONSTRAINTS*>(
      X509_get_ext_d2i(cert, NID_basic_constraints, &critical, nullptr));
  ASSERT_NE(constraints, nullptr);
  EXPECT_EQ(constraints->ca, 0);
  EXPECT_EQ(critical, 1);
  BASIC_CONSTRAINTS_free(constraints);
  EXPECT_EQ(X509_get_key_usage(cert), static_cast<uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_get_extended_key_usage(cert), static_cast<uint32_t>(XKU_SSL_SERVER));

  // The default request names localhost, 127.0.0.1 (4 bytes) and ::1 (16 bytes).
  EXPECT_EQ(SubjectAltNames(cert),
            (std::set<std::string>{"DNS:localhost", "IP bytes:4", "IP bytes:16"}));
  EXPECT_EQ(X509_check_host(cert, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert, "::1", 0), 1);
  EXPECT_EQ(X509_check_host(cert, "example.org", 0, 0, nullptr), 0);

  // Valid now, for about the requested 825 days.
  EXPECT_EQ(X509_cmp_current_time(X509_get0_notBefore(cert)), -1);
  int days = 0, seconds = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert), X509_get0_notAfter(cert)),
            1);
  EXPECT_EQ(days, 825);

  X509_free(cert);
  EVP_PKEY_free(key);
}

TEST(TlsCertificate, SerialNumbersAreRandomAndLong) {
  TempDir dir;
  std::set<std::string> serials;
  for (int i = 0; i < 2; ++i) {
    std::string cert_file = dir.File("cert" + std::to_string(i) + ".pem");
    ASSERT_TRUE(WriteSelfSignedCertificate({}, cert_file, dir.File("key" + std::to_string(i))));
    X509* cert = ReadCertificate(cert_file);
    ASSERT_NE(cert, nullptr);
    BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
    EXPECT_GE(BN_num_bits(serial), 120);
    EXPECT_FALSE(BN_is_negative(serial));
    char* hex = BN_bn2hex(serial);
    serials.insert(hex);
    OPENSSL_free(hex);
    BN_free(serial);
    X509_free(cert);
  }
  EXPECT_EQ(serials.size(), 2u);
}

TEST(TlsCertificate, KeyIsOwnerOnlyAndCertificateWorldReadable) {
  TempDir dir;
  mode_t old_umask = umask(0);  // the modes must come from open(), not from the umask
  Status written = WriteSelfSignedCertificate({}, dir.File("cert.pem"), dir.File("key.pem"));
  umask(old_umask);
  ASSERT_TRUE(written);
  EXPECT_EQ(ModeOf(dir.File("key.pem")), 0600u);
  EXPECT_EQ(ModeOf(dir.File("cert.pem")), 0644u);
}

// Neither file is ever written through: an existing one stays as it was, and a
// half-done pair (a key without its certificate) is not left behind.
TEST(TlsCertificate, NeverOverwritesAnExistingFile) {
  for (const char* existing : {"key.pem", "cert.pem"}) {
    TempDir dir;
    { std::ofstream(dir.File(existing)) << "precious"; }
    Status written = WriteSelfSignedCertificate({}, dir.File("cert.pem"), dir.File("key.pem"));
    ASSERT_FALSE(written) << existing;
    EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
    EXPECT_NE(written.error().message.find(existing), std::string::npos);
    std::ifstream in(dir.File(existing));
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(content, "precious") << existing;
    const char* other = std::string_view(existing) == "key.pem" ? "cert.pem" : "key.pem";
    EXPECT_EQ(ModeOf(dir.File(other)), 0u) << other << " was left behind";
  }
}

TEST(TlsCertificate, MissingDirectoryIsUnavailable) {
  TempDir dir;
  Status written = WriteSelfSignedCertificate({}, dir.File("no/cert.pem"), dir.File("no/key.pem"));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kUnavailable);
}

TEST(TlsCertificate, RefusesNamesThatAreNotNames) {
  struct Case {
    const char* what;
    CertificateRequest request;
  };
  CertificateRequest bad_ip;
  bad_ip.ip_addresses = {"127.0.0.300"};
  CertificateRequest injected_dns;
  injected_dns.dns_names = {"localhost,IP:10.0.0.1"};
  CertificateRequest no_names;
  no_names.dns_names = {};
  no_names.ip_addresses = {};
  CertificateRequest no_validity;
  no_validity.valid_days = 0;
  for (const Case& c : {Case{"bad ip", bad_ip}, Case{"injected dns", injected_dns},
                        Case{"no names", no_names}, Case{"no validity", no_validity}}) {
    TempDir dir;
    Status written =
        WriteSelfSignedCertificate(c.request, dir.File("cert.pem"), dir.File("key.pem"));
    ASSERT_FALSE(written) << c.what;
    EXPECT_EQ(written.error().code, ErrorCode::kInvalid) << c.what;
    EXPECT_EQ(ModeOf(dir.File("key.pem")), 0u) << c.what << ": nothing is written";
  }
}

}  // namespace
}  // namespace medvault::http
