// TLS between medvault and PostgreSQL: a cluster of the test's own that takes TCP
// connections over TLS only, with a certificate for "localhost" from a test CA. With
// `sslmode=verify-full` and that CA, `init` and `serve` work and every connection of the
// server is encrypted; another CA, another host name or no TLS at all are refused with a
// message that says so.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "practice_fixture.h"
#include "stored_database.h"
#include "support/throwaway_postgres.h"

namespace medvault::testing {
namespace {

// A port nobody listens on now (the kernel's choice for an ephemeral bind).
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

bool Run(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// A CA in `dir`/NAME-ca.{crt,key}; with `host`, a server certificate for it
// (subjectAltName) in `dir`/NAME-server.{crt,key}, signed by that CA.
bool MakeCertificates(const std::string& dir, const std::string& name, const std::string& host) {
  const std::string ca = dir + "/" + name + "-ca", server = dir + "/" + name + "-server";
  const std::string key = " -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
  std::ofstream(dir + "/san.ext") << "subjectAltName=DNS:" << host << "\n";
  return Run("openssl req -x509" + key + " -keyout " + ca + ".key -out " + ca +
             ".crt -days 2 -subj /CN=" + name + "-test-ca") &&
         Run("openssl req" + key + " -keyout " + server + ".key -out " + server +
             ".csr -subj /CN=" + host) &&
         Run("openssl x509 -req -in " + server + ".csr -CA " + ca + ".crt -CAkey " + ca +
             ".key -CAcreateserial -days 2 -out " + server + ".crt -extfile " + dir + "/san.ext");
}

class PostgresTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    const std::string& dir = tmp_->path();
    ASSERT_TRUE(MakeCertificates(dir, "right", "localhost"));
    ASSERT_TRUE(MakeCertificates(dir, "other", "localhost"));
    ThrowawayPostgres::TlsListener tls{FreePort(), dir + "/right-server.crt",
                                       dir + "/right-server.key"};
    ASSERT_NE(tls.port, 0);
    cluster_ = new ThrowawayPostgres();
    std::string error;
    ASSERT_TRUE(cluster_->Start(error, &tls)) << error;
    ASSERT_FALSE(cluster_->CreateDatabase("medvault", error).empty()) << error;
    port_ = tls.port;
  }
  static void TearDownTestSuite() {
    if (cluster_ != nullptr) cluster_->Stop();
    delete cluster_;
    delete tmp_;
  }

  // The database over TCP to `host`, with these libpq TLS parameters.
  static std::string TcpUri(const std::string& host, const std::string& tls) {
    return "postgresql://" + std::string(ThrowawayPostgres::kSuperuser) + "@" + host + ":" +
           std::to_string(port_) + "/medvault?" + tls;
  }
  static std::string VerifyFull(const std::string& ca) {
    return "sslmode=verify-full&sslrootcert=" + tmp_->path() + "/" + ca + "-ca.crt";
  }

  // `medvault init` of a new data directory on `uri`.
  static CommandResult Init(const std::string& name, const std::string& uri) {
    return RunMedvault({"init", "--data", tmp_->path() + "/" + name, "--database", uri});
  }

  static void ExpectRefused(const std::string& name, const std::string& uri,
                            const std::string& why) {
    auto r = Init(name, uri);
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_NE(r.err.find(why), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(tmp_->path() + "/" + name));
  }

  static TempDir* tmp_;
  static ThrowawayPostgres* cluster_;
  static int port_;
};
TempDir* PostgresTls::tmp_ = nullptr;
ThrowawayPostgres* PostgresTls::cluster_ = nullptr;
int PostgresTls::port_ = 0;

// Refusals first: they must leave the database empty for the test that initializes it.
// A refused init says why and leaves no data directory behind.
TEST_F(PostgresTls, AnotherCaIsRefused) {
  ExpectRefused("other-ca", TcpUri("localhost", VerifyFull("other")), "certificate verify failed");
}

TEST_F(PostgresTls, AnotherHostNameIsRefused) {
  // The certificate names localhost; 127.0.0.1 is the same server under another name.
  ExpectRefused("other-name", TcpUri("127.0.0.1", VerifyFull("right")), "does not match host name");
}

TEST_F(PostgresTls, NoTlsIsRefusedByTheServer) {
  ExpectRefused("plain", TcpUri("localhost", "sslmode=disable"), "no encryption");
}

TEST_F(PostgresTls, VerifyFullServesOverTls) {
  const std::string uri = TcpUri("localhost", VerifyFull("right"));
  auto init = Init("data", uri);
  ASSERT_EQ(init.exit_code, 0) << init.err;
  const std::string data = tmp_->path() + "/data";
  EXPECT_EQ(PostgresUriOf(data), uri);
  {
    ServerProcess server(data, tmp_->path() + "/server.log");
    HttpsClient client(server.url(), data + "/tls/server.crt");
    EXPECT_EQ(client.Get("/healthz").status, 200);
    // No connection to the database is unencrypted (pg_hba would not let one in), and
    // the server's are there beside psql's own: connections without TLS, all of them.
    std::string counts = Sql(data, "",
                             "SELECT count(*) FILTER (WHERE NOT ssl), count(*) FROM pg_stat_ssl "
                             "JOIN pg_stat_activity USING (pid) WHERE datname = 'medvault'");
    EXPECT_TRUE(counts.starts_with("0|")) << counts;
    EXPECT_GE(std::atoi(counts.substr(2).c_str()), 2) << counts;
    EXPECT_EQ(server.Stop(), 0);
  }
  EXPECT_GT(AuditEntriesVerified(data), 0);
}

}  // namespace
}  // namespace medvault::testing
