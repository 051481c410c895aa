// Slow-loris in miniature (the full attack, 500 connections against the real server, is
// bench/hostile_benchmark.sh): a hundred connections that hold the server's attention as
// long as it lets them, while an honest client keeps asking. Correctness, not timing:
// every honest request is answered, and every slow connection is closed by a deadline.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "test_clients.h"
#include "test_server.h"

namespace medvault::http {
namespace {

using namespace std::chrono_literals;
using testing::ConnectTcp;
using testing::CurlClient;
using testing::RawTlsClient;
using testing::StatusOf;
using testing::TestOptions;
using testing::TestServer;

// The start of a TLS ClientHello (record header, handshake header, version): a handshake
// that is under way and never completes.
constexpr char kClientHelloStart[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";

// True when the peer closed `fd` (a read returns 0 or fails) within `timeout`.
bool ClosedByPeer(int fd, std::chrono::milliseconds timeout) {
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>(timeout.count() % 1000 * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  char sink[256];
  for (;;) {
    ssize_t n = recv(fd, sink, sizeof sink, 0);
    if (n <= 0) return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
  }
}

TEST(SlowClients, AHundredSlowConnectionsDoNotStarveAnHonestClient) {
  ServerOptions options = TestOptions();  // every timeout 3 s
  TestServer t(options);

  // 50 connections that never finish the TLS handshake: half send nothing, half a
  // ClientHello that stops after a few bytes.
  std::vector<int> no_handshake;
  for (int i = 0; i < 50; ++i) {
    int fd = ConnectTcp(t.port());
    ASSERT_GE(fd, 0) << "connection " << i;
    if (i % 2 == 1) {
      ASSERT_EQ(send(fd, kClientHelloStart, 11, MSG_NOSIGNAL), 11);
    }
    no_handshake.push_back(fd);
  }
  // 50 connections that complete the handshake, then send a request header one byte at
  // a time, each byte well within any per-read timeout.
  std::vector<std::unique_ptr<RawTlsClient>> slow_headers;
  for (int i = 0; i < 50; ++i) {
    auto client = RawTlsClient::Connect(t.port());
    ASSERT_TRUE(client) << "slow client " << i;
    ASSERT_TRUE(client->Send("GET /slow HTTP/1.1\r\nHost: a\r\n"));
    slow_headers.push_back(std::move(client));
  }

  // An honest client, on a fresh connection and on a kept-alive one, every 100 ms for
  // longer than the slow clients' deadlines, while they drip. Each honest request gets
  // curl's 5 s: a server busy with the slow ones would miss it.
  CurlClient keep_alive(t.cert_file());
  int honest = 0, answered = 0;
  const std::string drip = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
  auto start = std::chrono::steady_clock::now();
  for (size_t step = 0; std::chrono::steady_clock::now() - start < 4s; ++step) {
    for (auto& client : slow_headers) client->Send(drip.substr(step % drip.size(), 1));
    CurlClient fresh(t.cert_file());
    for (CurlClient* client : {&fresh, &keep_alive}) {
      ++honest;
      std::optional<testing::HttpResult> r = client->Fetch(t.Url("/honest"));
      if (r && r->status == 200 && r->body == "hello /honest") {
        ++answered;
      } else {
        ADD_FAILURE() << "honest request " << honest << " not answered: "
                      << (r ? std::to_string(r->status) : client->last_error());
      }
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GT(honest, 8);
  EXPECT_EQ(answered, honest);

  // By now (4 s) every slow connection has outlived its 3 s deadline: the server has
  // closed them all, the half-finished handshakes included, without a response to the
  // headers that never ended.
  for (size_t i = 0; i < no_handshake.size(); ++i) {
    EXPECT_TRUE(ClosedByPeer(no_handshake[i], 2s)) << "handshake " << i << " still open";
    close(no_handshake[i]);
  }
  for (size_t i = 0; i < slow_headers.size(); ++i) {
    EXPECT_EQ(slow_headers[i]->ReadToClose(2s), "") << "slow header " << i;
    EXPECT_TRUE(slow_headers[i]->closed()) << "slow header " << i << " still open";
  }
  for (const Request& r : t.handler.requests()) EXPECT_EQ(r.path, "/honest");
}

// Header floods: endless header lines, a huge header, thousands of small ones, each on
// many connections at once; each flood is cut off at the header limit (431) and the
// honest client is served between them.
TEST(SlowClients, HeaderFloodsAreCutOffAndHonestRequestsServed) {
  TestServer t;  // 16 KiB header limit
  std::vector<std::thread> floods;
  std::atomic<int> cut_off{0}, floods_sent{0};
  for (int i = 0; i < 12; ++i) {
    floods.emplace_back([&, i] {
      auto client = RawTlsClient::Connect(t.port());
      if (!client) return;
      ++floods_sent;
      std::string start = "GET /flood HTTP/1.1\r\nHost: a\r\n";
      if (i % 3 == 0) {
        client->Send(start + "X-Huge: " + std::string(1 << 20, 'h') + "\r\n\r\n");
      } else if (i % 3 == 1) {
        std::string many = start;
        for (int h = 0; h < 5000; ++h) many += "X-" + std::to_string(h) + ": v\r\n";
        client->Send(many + "\r\n");
      } else {
        client->Send(start);
        // Lines until the server stops taking them (a failed write), 20,000 at most: 30
        // times the header limit.
        for (int line = 0; line < 20'000; ++line)
          if (!client->Send("X-Line-" + std::to_string(line) + ": endless\r\n")) break;
      }
      if (StatusOf(client->ReadToClose(4s)) == 431) ++cut_off;
    });
  }
  CurlClient honest(t.cert_file());
  for (int i = 0; i < 10; ++i) {
    std::optional<testing::HttpResult> r = honest.Fetch(t.Url("/honest"));
    ASSERT_TRUE(r) << honest.last_error();
    EXPECT_EQ(r->status, 200);
  }
  for (std::thread& f : floods) f.join();
  EXPECT_EQ(floods_sent.load(), 12);
  // A flood that the server cut off mid-write may lose the 431 to the reset; most see it.
  EXPECT_GE(cut_off.load(), 6);
  for (const Request& r : t.handler.requests()) EXPECT_EQ(r.path, "/honest");
}

}  // namespace
}  // namespace medvault::http
