#include "http/response_head.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace medvault::http {
namespace {

constexpr std::string_view kCsp = "default-src 'none'";

std::multimap<std::string, std::string> AsMap(const std::vector<Header>& headers) {
  std::multimap<std::string, std::string> out;
  for (const Header& h : headers) out.emplace(h.name, h.value);
  return out;
}

TEST(WireHeaders, AddsTheSecurityHeadersToAPlainResponse) {
  Response r;
  r.With("Content-Type", "application/fhir+json").With("ETag", "W/\"3\"");
  Result<std::vector<Header>> headers = WireHeaders(r, kCsp);
  ASSERT_TRUE(headers);
  EXPECT_EQ(AsMap(*headers),
            (std::multimap<std::string, std::string>{
                {"Content-Type", "application/fhir+json"},
                {"ETag", "W/\"3\""},
                {"Strict-Transport-Security", "max-age=63072000; includeSubDomains"},
                {"Content-Security-Policy", "default-src 'none'"},
                {"X-Content-Type-Options", "nosniff"},
                {"X-Frame-Options", "DENY"},
                {"Referrer-Policy", "no-referrer"},
                {"Cache-Control", "no-store"},
                {"Server", "medvault"},
            }));
}

TEST(WireHeaders, AHandlerCannotWeakenOrDuplicateWhatTheServerOwns) {
  Response r;
  r.With("x-frame-options", "ALLOWALL")
      .With("Content-Security-Policy", "default-src *")
      .With("SERVER", "Apache/2.2")
      .With("Content-Length", "999")
      .With("Transfer-Encoding", "chunked")
      .With("Connection", "keep-alive")
      .With("Cache-Control", "public, max-age=3600");
  Result<std::vector<Header>> headers = WireHeaders(r, kCsp);
  ASSERT_TRUE(headers);
  auto map = AsMap(*headers);
  EXPECT_EQ(map.count("x-frame-options"), 0u);
  EXPECT_EQ(map.count("SERVER"), 0u);
  EXPECT_EQ(map.count("Content-Length"), 0u);
  EXPECT_EQ(map.count("Transfer-Encoding"), 0u);
  EXPECT_EQ(map.count("Connection"), 0u);
  EXPECT_EQ(map.count("Content-Security-Policy"), 1u);
  EXPECT_EQ(map.find("Content-Security-Policy")->second, kCsp);
  EXPECT_EQ(map.count("Cache-Control"), 1u);
  EXPECT_EQ(map.find("Cache-Control")->second, "no-store");
}

TEST(WireHeaders, CacheableResponsesKeepTheirOwnCacheControl) {
  Response r;
  r.no_store = false;
  r.With("Cache-Control", "public, max-age=3600");
  Result<std::vector<Header>> headers = WireHeaders(r, kCsp);
  ASSERT_TRUE(headers);
  auto map = AsMap(*headers);
  ASSERT_EQ(map.count("Cache-Control"), 1u);
  EXPECT_EQ(map.find("Cache-Control")->second, "public, max-age=3600");

  Response bare;
  bare.no_store = false;
  EXPECT_EQ(AsMap(*WireHeaders(bare, kCsp)).count("Cache-Control"), 0u);
}

TEST(WireHeaders, RefusesHeadersThatWouldSplitTheResponse) {
  const std::vector<Header> bad = {
      {"Location", "/x\r\nSet-Cookie: a=b"},
      {"Location", "/x\nX: y"},
      {"Location", std::string("/x\0y", 4)},
      {"Bad Name", "v"},
      {"Bad:Name", "v"},
      {"", "v"},
      {"Name\r\n", "v"},
  };
  for (const Header& h : bad) {
    Response r;
    r.headers.push_back(h);
    Result<std::vector<Header>> headers = WireHeaders(r, kCsp);
    ASSERT_FALSE(headers) << h.name << ": " << h.value;
    EXPECT_EQ(headers.error().code, ErrorCode::kInternal);
  }
  Response fine;
  fine.With("X-Token_name.1~!#$%&'*+^`|", "any text, even \"quotes\" and \t tabs");
  EXPECT_TRUE(WireHeaders(fine, kCsp));
}

TEST(ResponseHead, FramesTheStatusLineHeadersLengthAndConnection) {
  std::vector<Header> headers = {{"Content-Type", "text/plain"}, {"Server", "medvault"}};
  Framing framing;
  framing.content_length = 5;
  EXPECT_EQ(ResponseHead(200, "OK", headers, framing),
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nServer: medvault\r\n"
            "Content-Length: 5\r\n\r\n");

  framing.keep_alive = false;
  EXPECT_EQ(ResponseHead(413, "Payload Too Large", {}, framing),
            "HTTP/1.1 413 Payload Too Large\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");

  Framing no_content;
  no_content.content_length.reset();
  EXPECT_EQ(ResponseHead(204, "No Content", {}, no_content), "HTTP/1.1 204 No Content\r\n\r\n");
  EXPECT_EQ(ResponseHead(299, "", {}, no_content), "HTTP/1.1 299 \r\n\r\n");
}

TEST(ResponseHead, Http10KeepAliveIsSpelledOut) {
  Framing framing;
  framing.version = 10;
  framing.content_length = 0;
  EXPECT_EQ(ResponseHead(200, "OK", {}, framing),
            "HTTP/1.0 200 OK\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  framing.keep_alive = false;
  EXPECT_EQ(ResponseHead(200, "OK", {}, framing), "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n");
}

TEST(ResponseHead, AStreamIsChunkedWithoutALength) {
  Framing framing;
  framing.keep_alive = false;
  framing.chunked = true;
  EXPECT_EQ(ResponseHead(200, "OK", {{"Content-Type", "text/event-stream"}}, framing),
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
}

TEST(Chunk, SizeInHexThenTheDataThenTheLastChunk) {
  EXPECT_EQ(Chunk("a"), "1\r\na\r\n");
  EXPECT_EQ(Chunk(": keep-alive\n\n"), "e\r\n: keep-alive\n\n\r\n");
  std::string big(0x1234, 'x');
  EXPECT_EQ(Chunk(big), "1234\r\n" + big + "\r\n");
  EXPECT_EQ(kLastChunk, "0\r\n\r\n");
}

TEST(IsSendableStatus, OnlyFinalStatusCodes) {
  EXPECT_TRUE(IsSendableStatus(200));
  EXPECT_TRUE(IsSendableStatus(204));
  EXPECT_TRUE(IsSendableStatus(599));
  EXPECT_FALSE(IsSendableStatus(100));
  EXPECT_FALSE(IsSendableStatus(199));
  EXPECT_FALSE(IsSendableStatus(600));
  EXPECT_FALSE(IsSendableStatus(0));
  EXPECT_FALSE(IsSendableStatus(-200));
}

}  // namespace
}  // namespace medvault::http
