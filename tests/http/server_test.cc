// The server end to end over real TLS: exchanges, keep-alive, security headers, and
// Responders answered late, from other threads, or never.
#include "http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

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

void ExpectSecurityHeaders(const HttpResult& r) {
  EXPECT_EQ(r.Header("strict-transport-security"), "max-age=63072000; includeSubDomains");
  EXPECT_EQ(r.Header("content-security-policy"), ServerOptions{}.content_security_policy);
  EXPECT_EQ(r.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r.Header("x-frame-options"), "DENY");
  EXPECT_EQ(r.Header("referrer-policy"), "no-referrer");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  EXPECT_EQ(r.Header("server"), "medvault");
}

TEST(Server, GetRoundTripFillsTheRequest) {
  TestServer t;
  CurlClient client(t.cert_file());
  client.AddHeader("X-Trace: abc");
  std::optional<HttpResult> r = client.Fetch(t.Url("/fhir/Patient?family=Mart%C3%ADn&_count=2"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello /fhir/Patient");
  EXPECT_EQ(r->Header("content-type"), "text/plain");
  EXPECT_EQ(r->Header("content-length"), "19");

  std::vector<Request> seen = t.handler.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].target, "/fhir/Patient?family=Mart%C3%ADn&_count=2");
  EXPECT_EQ(seen[0].path, "/fhir/Patient");
  EXPECT_EQ(seen[0].query, "family=Mart%C3%ADn&_count=2");
  EXPECT_EQ(seen[0].client_address, "127.0.0.1");
  EXPECT_EQ(seen[0].host, "127.0.0.1:" + std::to_string(t.port()));
  EXPECT_EQ(seen[0].HeaderValue("x-trace"), "abc");
  EXPECT_EQ(seen[0].body, "");
}

// The web application's files get the app's policy (its own scripts and styles); every
// other response keeps the API's, which allows nothing.
TEST(Server, AppPagesGetTheAppsContentSecurityPolicy) {
  TestServer t;
  t.handler.on_request = [](Request request, Responder respond) {
    Response r;
    r.app_page = request.path == "/index.html";
    r.body = "page";
    respond(std::move(r));
  };
  CurlClient client(t.cert_file());
  std::optional<HttpResult> page = client.Fetch(t.Url("/index.html"));
  ASSERT_TRUE(page) << client.last_error();
  const std::string policy = page->Header("content-security-policy");
  EXPECT_EQ(policy, ServerOptions{}.app_content_security_policy);
  EXPECT_NE(policy.find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos);
  EXPECT_NE(policy.find("frame-ancestors 'none'"), std::string::npos);
  std::optional<HttpResult> api = client.Fetch(t.Url("/fhir/Patient"));
  ASSERT_TRUE(api) << client.last_error();
  ExpectSecurityHeaders(*api);
}

TEST(Server, PostBodyReachesTheHandler) {
  TestServer t;
  t.handler.on_request = [](Request request, Responder respond) {
    Response r;
    r.status = 201;
    r.body = request.method + ":" + request.body;
    respond(std::move(r));
  };
  CurlClient client(t.cert_file());
  std::optional<HttpResult> r = client.Fetch(t.Url("/fhir/Patient"), "POST", R"({"a":1})");
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, R"(POST:{"a":1})");
  EXPECT_TRUE(t.handler.requests()[0].query.empty());
}

// Bodies larger than one TLS record (16 KiB), and much larger, arrive whole, on a
// kept-alive connection too.
TEST(Server, LargeBodiesArriveWhole) {
  TestServer t;
  t.handler.on_request = [](Request request, Responder respond) {
    Response r;
    r.status = 200;
    size_t size = std::stoul(request.query);
    r.body.reserve(size);
    for (size_t i = 0; i < size; ++i) r.body.push_back(static_cast<char>('a' + i % 26));
    respond(std::move(r));
  };
  CurlClient client(t.cert_file());
  for (size_t size : {16'000u, 16'384u, 16'450u, 70'000u, 1'000'000u, 100u}) {
    std::optional<HttpResult> r = client.Fetch(t.Url("/big?" + std::to_string(size)));
    ASSERT_TRUE(r) << size << ": " << client.last_error();
    ASSERT_EQ(r->body.size(), size);
    EXPECT_EQ(r->body[size - 1], static_cast<char>('a' + (size - 1) % 26));
  }
}

TEST(Server, KeepAliveReusesTheConnection) {
  TestServer t;
  CurlClient client(t.cert_file());
  for (int i = 0; i < 4; ++i) {
    std::optional<HttpResult> r = client.Fetch(t.Url("/n" + std::to_string(i)));
    ASSERT_TRUE(r) << client.last_error();
    EXPECT_EQ(r->body, "hello /n" + std::to_string(i));
    EXPECT_EQ(r->new_connections, i == 0 ? 1 : 0) << "request " << i;
    EXPECT_FALSE(r->Has("connection")) << "HTTP/1.1 keeps alive without saying so";
  }
}

TEST(Server, ConnectionCloseIsHonoured) {
  TestServer t;
  CurlClient client(t.cert_file());
  client.AddHeader("Connection: close");
  for (int i = 0; i < 2; ++i) {
    std::optional<HttpResult> r = client.Fetch(t.Url("/"));
    ASSERT_TRUE(r) << client.last_error();
    EXPECT_EQ(r->Header("connection"), "close");
    EXPECT_EQ(r->new_connections, 1);
  }
}

TEST(Server, Http10ClientsKeepAliveOnlyWhenTheyAsk) {
  TestServer t;
  auto client = RawTlsClient::Connect(t.port());
  ASSERT_TRUE(client);
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(client->Send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    std::string answer = client->ReadResponse();
    EXPECT_TRUE(answer.starts_with("HTTP/1.0 200 OK\r\n")) << answer;
    EXPECT_NE(answer.find("Connection: keep-alive\r\n"), std::string::npos) << answer;
  }
  ASSERT_TRUE(client->Send("GET /old HTTP/1.0\r\n\r\n"));
  std::string last = client->ReadToClose(2s);
  EXPECT_TRUE(last.starts_with("HTTP/1.0 200 OK\r\n")) << last;
  EXPECT_TRUE(client->closed());
}

TEST(Server, SecurityHeadersOnEveryResponse) {
  TestServer t;
  t.handler.on_request = [](Request request, Responder respond) {
    Response r;
    r.status = request.path == "/missing" ? 404 : 200;
    // Attempts to weaken the policy are overridden.
    r.With("X-Frame-Options", "ALLOWALL").With("Server", "nginx/1.0");
    respond(std::move(r));
  };
  CurlClient client(t.cert_file());
  for (const char* path : {"/", "/missing"}) {
    std::optional<HttpResult> r = client.Fetch(t.Url(path));
    ASSERT_TRUE(r) << client.last_error();
    ExpectSecurityHeaders(*r);
    EXPECT_EQ(r->headers.count("x-frame-options"), 1u);
    EXPECT_EQ(r->headers.count("server"), 1u);
  }
  // And on the server's own refusals.
  CurlClient bad(t.cert_file());
  std::optional<HttpResult> r = bad.Fetch(t.Url("/x"), "BREW");
  ASSERT_TRUE(r) << bad.last_error();
  EXPECT_EQ(r->status, 501);
  ExpectSecurityHeaders(*r);
}

TEST(Server, CacheableResponseHasNoNoStore) {
  TestServer t;
  t.handler.on_request = [](Request, Responder respond) {
    Response r;
    r.no_store = false;
    r.With("Cache-Control", "public, max-age=60");
    respond(std::move(r));
  };
  CurlClient client(t.cert_file());
  std::optional<HttpResult> r = client.Fetch(t.Url("/app.js"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->Header("cache-control"), "public, max-age=60");
}

TEST(Server, HeadGetsTheLengthButNoBody) {
  TestServer t;
  auto client = RawTlsClient::Connect(t.port());
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->Send("HEAD /abc HTTP/1.1\r\nHost: a\r\n\r\nGET /z HTTP/1.1\r\nHost: a\r\n\r\n"));
  std::string both = client->ReadUntil("hello /z");
  // The HEAD response ends at its blank line: the next bytes are the GET's response.
  EXPECT_TRUE(both.starts_with("HTTP/1.1 200 OK\r\n")) << both;
  EXPECT_NE(both.find("Content-Length: 10\r\n"), std::string::npos) << both;
  EXPECT_EQ(both.find("hello /abc"), std::string::npos) << both;
  EXPECT_NE(both.find("\r\n\r\nHTTP/1.1 200 OK\r\n"), std::string::npos) << both;
}

TEST(Server, NoContentHasNoContentLength) {
  TestServer t;
  t.handler.on_request = [](Request, Responder respond) {
    Response r;
    r.status = 204;
    r.body = "ignored";
    respond(std::move(r));
  };
  CurlClient client(t.cert_file());
  std::optional<HttpResult> r = client.Fetch(t.Url("/fhir/Patient/1"), "DELETE");
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 204);
  EXPECT_FALSE(r->Has("content-length"));
  EXPECT_EQ(r->body, "");
  // The connection is still in a state to serve the next request.
  r = client.Fetch(t.Url("/fhir/Patient/2"), "DELETE");
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->new_connections, 0);
}

TEST(Server, ResponderCalledLaterFromAnotherThread) {
  TestServer t;
  t.handler.on_request = [&t](Request request, Responder respond) {
    auto shared = std::make_shared<Responder>(std::move(respond));
    t.handler.Spawn([shared, path = request.path] {
      std::this_thread::sleep_for(150ms);
      Response r;
      r.body = "late " + path;
      (*shared)(std::move(r));
    });
  };
  CurlClient client(t.cert_file());
  auto start = std::chrono::steady_clock::now();
  std::optional<HttpResult> r = client.Fetch(t.Url("/slow"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "late /slow");
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
  // Keep-alive survives a late answer.
  r = client.Fetch(t.Url("/again"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->body, "late /again");
  EXPECT_EQ(r->new_connections, 0);
}

TEST(Server, IoThreadsStayFreeWhileAResponderWaits) {
  TestServer t;  // two I/O threads, and four requests parked at once
  std::atomic<int> parked{0};
  std::mutex mutex;
  std::vector<Responder> waiting;
  t.handler.on_request = [&](Request request, Responder respond) {
    if (request.path == "/park") {
      std::lock_guard lock(mutex);
      waiting.push_back(std::move(respond));
      ++parked;
      return;
    }
    respond(Response{});
  };
  std::vector<std::thread> parkers;
  std::atomic<int> answered{0};
  for (int i = 0; i < 4; ++i) {
    parkers.emplace_back([&] {
      CurlClient c(t.cert_file());
      std::optional<HttpResult> r = c.Fetch(t.Url("/park"));
      if (r && r->status == 202) ++answered;
    });
  }
  ASSERT_TRUE(Eventually([&] { return parked == 4; }));
  CurlClient client(t.cert_file());
  std::optional<HttpResult> r = client.Fetch(t.Url("/quick"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 200);
  {
    std::lock_guard lock(mutex);
    for (Responder& respond : waiting) {
      Response accepted;
      accepted.status = 202;
      respond(std::move(accepted));
    }
  }
  for (std::thread& p : parkers) p.join();
  EXPECT_EQ(answered, 4);
}

TEST(Server, DroppedResponderAnswers500) {
  TestServer t;
  t.handler.on_request = [&t](Request request, Responder respond) {
    if (request.path == "/drop-later") {
      auto shared = std::make_shared<Responder>(std::move(respond));
      t.handler.Spawn([shared]() mutable {
        std::this_thread::sleep_for(50ms);
        shared.reset();
      });
    }
    // Otherwise `respond` dies here, unanswered.
  };
  CurlClient client(t.cert_file());
  for (const char* path : {"/drop", "/drop-later"}) {
    std::optional<HttpResult> r = client.Fetch(t.Url(path));
    ASSERT_TRUE(r) << client.last_error();
    EXPECT_EQ(r->status, 500) << path;
    ExpectSecurityHeaders(*r);
  }
}

TEST(Server, ThrowingHandlerAnswers500AndKeepsServing) {
  TestServer t;
  t.handler.on_request = [](Request request, Responder respond) {
    if (request.path == "/throw") throw std::runtime_error("handler bug");
    respond(Response{});
  };
  CurlClient client(t.cert_file());
  std::optional<HttpResult> r = client.Fetch(t.Url("/throw"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 500);
  r = client.Fetch(t.Url("/ok"));
  ASSERT_TRUE(r) << client.last_error();
  EXPECT_EQ(r->status, 200);
}

TEST(Server, InvalidResponseFromHandlerBecomes500) {
  TestServer t;
  t.handler.on_request = [](Request request, Responder respond) {
    Response r;
    if (request.path == "/split") r.With("Location", "/a\r\nSet-Cookie: stolen=1");
    if (request.path == "/status") r.status = 1000;
    respond(std::move(r));
  };
  CurlClient client(t.cert_file());
  for (const char* path : {"/split", "/status"}) {
    std::optional<HttpResult> r = client.Fetch(t.Url(path));
    ASSERT_TRUE(r) << client.last_error();
    EXPECT_EQ(r->status, 500) << path;
    EXPECT_FALSE(r->Has("set-cookie"));
    EXPECT_FALSE(r->Has("location"));
    EXPECT_NE(r->body.find("protocol error 500"), std::string::npos) << r->body;
  }
}

TEST(Server, StopWithOpenConnectionsIsPromptAndLateRespondersAreHarmless) {
  auto t = std::make_unique<TestServer>();
  std::mutex mutex;
  std::vector<Responder> parked;
  t->handler.on_request = [&](Request, Responder respond) {
    std::lock_guard lock(mutex);
    parked.push_back(std::move(respond));
  };
  auto idle = RawTlsClient::Connect(t->port());
  auto waiting1 = RawTlsClient::Connect(t->port());
  auto waiting2 = RawTlsClient::Connect(t->port());
  ASSERT_TRUE(idle && waiting1 && waiting2);
  ASSERT_TRUE(waiting1->Send("GET /a HTTP/1.1\r\nHost: a\r\n\r\n"));
  ASSERT_TRUE(waiting2->Send("GET /b HTTP/1.1\r\nHost: a\r\n\r\n"));
  ASSERT_TRUE(Eventually([&] {
    std::lock_guard lock(mutex);
    return parked.size() == 2;
  }));

  std::thread waiter([&] { t->server->Wait(); });
  auto start = std::chrono::steady_clock::now();
  t->server->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  waiter.join();
  t->server->Stop();  // idempotent

  for (RawTlsClient* c : {idle.get(), waiting1.get(), waiting2.get()}) {
    EXPECT_EQ(c->ReadToClose(2s), "");
    EXPECT_TRUE(c->closed());
  }
  // A Responder called after Stop(), and one after the server is destroyed.
  parked[0](Response{});
  t->server.reset();
  parked[1](Response{});
  parked.clear();
}

TEST(Server, StartFailuresAreValues) {
  TestServer running;
  testing::TempDir dir;
  ASSERT_TRUE(WriteSelfSignedCertificate({}, dir.File("c.pem"), dir.File("k.pem")));
  testing::TestHandler handler;

  ServerOptions options = testing::TestOptions();
  options.certificate_file = dir.File("c.pem");
  options.private_key_file = dir.File("k.pem");

  ServerOptions taken = options;
  taken.port = running.port();
  auto r = Server::Start(taken, handler);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find(std::to_string(running.port())), std::string::npos);

  ServerOptions missing = options;
  missing.certificate_file = dir.File("nope.pem");
  r = Server::Start(missing, handler);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);

  ServerOptions mismatched = options;
  ASSERT_TRUE(WriteSelfSignedCertificate({}, dir.File("c2.pem"), dir.File("k2.pem")));
  mismatched.private_key_file = dir.File("k2.pem");
  r = Server::Start(mismatched, handler);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);

  ServerOptions bad_host = options;
  bad_host.host = "not-an-address";
  r = Server::Start(bad_host, handler);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);

  ServerOptions no_threads = options;
  no_threads.threads = 0;
  ServerOptions no_timeout = options;
  no_timeout.idle_timeout = std::chrono::seconds(0);
  ServerOptions split_csp = options;
  split_csp.content_security_policy = "default-src 'none'\r\nSet-Cookie: a=b";
  ServerOptions split_app_csp = options;
  split_app_csp.app_content_security_policy = "default-src 'self'\nSet-Cookie: a=b";
  for (const ServerOptions& bad : {no_threads, no_timeout, split_csp, split_app_csp}) {
    r = Server::Start(bad, handler);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
  }
}

}  // namespace
}  // namespace medvault::http
