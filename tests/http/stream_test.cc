// Streamed responses (Response::stream, for Server-Sent Events) over real TLS: the
// head goes out at once, each write arrives as it is made, Finish() ends the response,
// and a client that leaves, Stop(), or a hundred open streams neither hang nor starve
// the server.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "http/message.h"
#include "http/server.h"
#include "test_clients.h"
#include "test_server.h"

namespace medvault::http {
namespace {

using namespace std::chrono_literals;
using testing::CurlClient;
using testing::Eventually;
using testing::HttpResult;
using testing::RawTlsClient;
using testing::StatusOf;
using testing::TestServer;

// Serves /events as a stream whose writers the test collects; anything else as the
// default "hello" answer.
class Streams {
 public:
  explicit Streams(TestServer& t) {
    t.handler.on_request = [this](Request request, Responder respond) {
      if (request.path != "/events") {
        Response r;
        r.body = "hello " + request.path;
        return respond(std::move(r));
      }
      Response r;
      r.With("Content-Type", "text/event-stream");
      r.stream = [this](std::shared_ptr<StreamWriter> writer) {
        std::lock_guard lock(mutex_);
        writers_.push_back(std::move(writer));
      };
      respond(std::move(r));
    };
  }

  size_t count() {
    std::lock_guard lock(mutex_);
    return writers_.size();
  }
  std::shared_ptr<StreamWriter> at(size_t i) {
    std::lock_guard lock(mutex_);
    return writers_.at(i);
  }
  std::vector<std::shared_ptr<StreamWriter>> all() {
    std::lock_guard lock(mutex_);
    return writers_;
  }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<StreamWriter>> writers_;
};

// A raw client that asked for /events and has the head of the answer.
std::unique_ptr<RawTlsClient> OpenStream(const TestServer& t, std::string* head = nullptr,
                                         std::string_view version = "HTTP/1.1") {
  auto client = RawTlsClient::Connect(t.port());
  if (!client) return nullptr;
  if (!client->Send("GET /events " + std::string(version) + "\r\nHost: a\r\n\r\n")) return nullptr;
  std::string received = client->ReadUntil("\r\n\r\n");
  if (head != nullptr) *head = received;
  return StatusOf(received) == 200 ? std::move(client) : nullptr;
}

TEST(Stream, ChunksArriveAsTheyAreWrittenAndFinishEndsTheResponse) {
  TestServer t;
  Streams streams(t);
  std::string head;
  auto client = OpenStream(t, &head);
  ASSERT_TRUE(client) << head;
  EXPECT_NE(head.find("\r\nContent-Type: text/event-stream\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nTransfer-Encoding: chunked\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nConnection: close\r\n"), std::string::npos) << head;
  EXPECT_NE(head.find("\r\nCache-Control: no-store\r\n"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  ASSERT_TRUE(Eventually([&] { return streams.count() == 1; }));
  std::shared_ptr<StreamWriter> writer = streams.at(0);

  EXPECT_TRUE(writer->Write("data: one\n\n"));
  EXPECT_EQ(client->ReadUntil("one\n\n\r\n"), "b\r\ndata: one\n\n\r\n");
  EXPECT_TRUE(writer->Write("data: two\n\n"));
  EXPECT_TRUE(writer->Write("data: three\n\n"));
  std::string both = client->ReadUntil("three\n\n\r\n");
  EXPECT_NE(both.find("data: two\n\n"), std::string::npos) << both;
  EXPECT_NE(both.find("data: three\n\n"), std::string::npos) << both;

  writer->Finish();
  EXPECT_EQ(client->ReadToClose(), "0\r\n\r\n");
  EXPECT_TRUE(client->closed());
  EXPECT_TRUE(writer->ended());
  EXPECT_FALSE(writer->Write("data: too late\n\n"));
}

TEST(Stream, AClientThatLeavesEndsTheStreamAtOnce) {
  TestServer t;
  Streams streams(t);
  auto client = OpenStream(t);
  ASSERT_TRUE(client);
  ASSERT_TRUE(Eventually([&] { return streams.count() == 1; }));
  std::shared_ptr<StreamWriter> writer = streams.at(0);
  EXPECT_FALSE(writer->ended());
  client.reset();  // closes the socket without a word
  EXPECT_TRUE(Eventually([&] { return writer->ended(); }, 2s));
  EXPECT_FALSE(writer->Write("data: nobody\n\n"));
  EXPECT_EQ(writer->backlog(), 0u);
}

TEST(Stream, Http10StreamsRunToTheEndOfTheConnection) {
  TestServer t;
  Streams streams(t);
  std::string head;
  auto client = OpenStream(t, &head, "HTTP/1.0");
  ASSERT_TRUE(client) << head;
  EXPECT_EQ(head.find("Transfer-Encoding"), std::string::npos) << head;
  EXPECT_EQ(head.find("Content-Length"), std::string::npos) << head;
  ASSERT_TRUE(Eventually([&] { return streams.count() == 1; }));
  std::shared_ptr<StreamWriter> writer = streams.at(0);
  writer->Write("data: raw\n\n");
  writer->Finish();
  EXPECT_EQ(client->ReadToClose(), "data: raw\n\n");
}

TEST(Stream, HeadGetsTheHeadAndNoStream) {
  TestServer t;
  Streams streams(t);
  auto client = RawTlsClient::Connect(t.port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(client->Send("HEAD /events HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::string head = client->ReadToClose();
  EXPECT_EQ(StatusOf(head), 200) << head;
  EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
  EXPECT_EQ(streams.count(), 0u);
}

TEST(Stream, StopEndsOpenStreamsPromptly) {
  auto t = std::make_unique<TestServer>();
  Streams streams(*t);
  std::vector<std::unique_ptr<RawTlsClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(OpenStream(*t));
    ASSERT_TRUE(clients.back());
  }
  ASSERT_TRUE(Eventually([&] { return streams.count() == 3; }));
  auto start = std::chrono::steady_clock::now();
  t->server->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  for (const auto& writer : streams.all()) {
    EXPECT_TRUE(writer->ended());
    EXPECT_FALSE(writer->Write("data: after stop\n\n"));
  }
  for (const auto& client : clients) {
    client->ReadToClose(2s);
    EXPECT_TRUE(client->closed());
  }
  // A writer that outlives the server is harmless.
  t->server.reset();
  EXPECT_FALSE(streams.at(0)->Write("data: after the server\n\n"));
  streams.at(0)->Finish();
}

TEST(Stream, AHundredOpenStreamsLeaveTheIoThreadsFree) {
  TestServer t;  // two I/O threads
  Streams streams(t);
  std::vector<std::unique_ptr<RawTlsClient>> clients;
  for (int i = 0; i < 100; ++i) {
    clients.push_back(OpenStream(t));
    ASSERT_TRUE(clients.back()) << "stream " << i;
  }
  ASSERT_TRUE(Eventually([&] { return streams.count() == 100; }));
  CurlClient client(t.cert_file());
  auto start = std::chrono::steady_clock::now();
  std::optional<HttpResult> r = client.Fetch(t.Url("/quick"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello /quick");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  // And every stream still carries what is written to it.
  for (const auto& writer : streams.all()) EXPECT_TRUE(writer->Write("data: all\n\n"));
  for (const auto& c : clients)
    EXPECT_NE(c->ReadUntil("all\n\n\r\n").find("data: all"), std::string::npos);
}

}  // namespace
}  // namespace medvault::http
