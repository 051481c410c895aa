// The TLS the server accepts: 1.2 with ECDHE + AEAD suites, 1.3, and nothing else; no
// plaintext at all.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "test_clients.h"
#include "test_server.h"

namespace medvault::http {
namespace {

using testing::ClientTls;
using testing::RawTlsClient;
using testing::StatusOf;
using testing::TestServer;

ClientTls Tls12Only(const std::string& ciphers) {
  ClientTls tls;
  tls.min_version = TLS1_2_VERSION;
  tls.max_version = TLS1_2_VERSION;
  tls.tls12_ciphers = ciphers;
  return tls;
}

TEST(TlsPolicy, Tls13IsPreferred) {
  TestServer t;
  auto client = RawTlsClient::Connect(t.port());
  ASSERT_TRUE(client);
  EXPECT_EQ(client->version(), "TLSv1.3");
  ASSERT_TRUE(client->Send("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_EQ(StatusOf(client->ReadResponse()), 200);
}

TEST(TlsPolicy, Tls12WithEcdheAndAeadIsAccepted) {
  TestServer t;
  for (const char* cipher : {"ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
                             "ECDHE-ECDSA-CHACHA20-POLY1305"}) {
    auto client = RawTlsClient::Connect(t.port(), Tls12Only(cipher));
    ASSERT_TRUE(client) << cipher;
    EXPECT_EQ(client->version(), "TLSv1.2");
    EXPECT_EQ(client->cipher(), cipher);
  }
}

TEST(TlsPolicy, ServerPicksTheCipherOrder) {
  TestServer t;
  // The client prefers CBC; the server's list has no CBC and its own order decides.
  auto client = RawTlsClient::Connect(
      t.port(), Tls12Only("ECDHE-ECDSA-AES256-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
                          "ECDHE-ECDSA-AES128-GCM-SHA256"));
  ASSERT_TRUE(client);
  EXPECT_EQ(client->cipher(), "ECDHE-ECDSA-AES128-GCM-SHA256");
}

TEST(TlsPolicy, Tls12WithoutAeadIsRefused) {
  TestServer t;
  for (const char* cipher : {"ECDHE-ECDSA-AES128-SHA256", "ECDHE-ECDSA-AES256-SHA384",
                             "ECDHE-ECDSA-AES128-SHA", "AES128-GCM-SHA256"}) {
    int reason = 0;
    EXPECT_FALSE(RawTlsClient::Connect(t.port(), Tls12Only(cipher), &reason)) << cipher;
    // Refused by the server (its handshake_failure alert), not by this client.
    EXPECT_EQ(reason, SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE) << cipher;
  }
}

TEST(TlsPolicy, OldProtocolVersionsAreRefused) {
  TestServer t;
  for (int version : {TLS1_VERSION, TLS1_1_VERSION}) {
    ClientTls tls;
    tls.min_version = version;
    tls.max_version = version;
    int reason = 0;
    EXPECT_FALSE(RawTlsClient::Connect(t.port(), tls, &reason)) << version;
    EXPECT_EQ(reason, SSL_R_TLSV1_ALERT_PROTOCOL_VERSION) << version;
  }
}

TEST(TlsPolicy, PlaintextHttpIsRefused) {
  TestServer t;
  int fd = testing::ConnectTcp(t.port());
  ASSERT_GE(fd, 0);
  std::string request = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
  ASSERT_EQ(send(fd, request.data(), request.size(), 0), static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[1024];
  ssize_t n;
  while ((n = recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, size_t(n));
  close(fd);
  EXPECT_EQ(n, 0) << "the server closes the connection (rather than the recv timing out)";
  EXPECT_FALSE(answer.starts_with("HTTP/")) << answer;
  EXPECT_TRUE(t.handler.requests().empty());
}

TEST(TlsPolicy, RenegotiationIsRefused) {
  TestServer t;
  ClientTls tls;
  tls.max_version = TLS1_2_VERSION;  // TLS 1.3 has no renegotiation at all
  auto client = RawTlsClient::Connect(t.port(), tls);
  ASSERT_TRUE(client);
  ASSERT_EQ(client->version(), "TLSv1.2");
  // OpenSSL 3 already refuses client-initiated renegotiation unless told otherwise
  // (SSL_OP_ALLOW_CLIENT_RENEGOTIATION); the server's SSL_OP_NO_RENEGOTIATION keeps it
  // refused even then. This fails if renegotiation is ever allowed.
  EXPECT_FALSE(client->Renegotiate()) << "a second handshake completed";
}

}  // namespace
}  // namespace medvault::http
