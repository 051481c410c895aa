// ParseIncomingRequest: the server's request reader driven from memory, as fuzz/ drives
// it. (The same reader over real connections: server_limits_test.cc.)
#include "http/incoming_request.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace medvault::http {
namespace {

using Outcome = IncomingRequest::Outcome;

IncomingRequest Parse(std::string_view bytes, size_t& consumed, const ServerOptions& options = {}) {
  return ParseIncomingRequest({&bytes, 1}, options, consumed);
}

TEST(IncomingRequest, ReadsPipelinedRequestsOneAtATime) {
  std::string_view bytes =
      "POST /auth/login?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n{}"
      "GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
  size_t consumed = 0;
  IncomingRequest first = Parse(bytes, consumed);
  ASSERT_EQ(first.outcome, Outcome::kRequest);
  EXPECT_EQ(first.request.method, "POST");
  EXPECT_EQ(first.request.path, "/auth/login");
  EXPECT_EQ(first.request.query, "x=1");
  EXPECT_EQ(first.request.host, "h");
  EXPECT_EQ(first.request.body, "{}");
  EXPECT_TRUE(first.keep_alive);
  bytes.remove_prefix(consumed);
  IncomingRequest second = Parse(bytes, consumed);
  ASSERT_EQ(second.outcome, Outcome::kRequest);
  EXPECT_EQ(second.request.target, "/b");
  EXPECT_FALSE(second.keep_alive);
  EXPECT_EQ(consumed, bytes.size());
}

TEST(IncomingRequest, TheSameRequestInOneByteReadsIsTheSame) {
  std::string text =
      "PUT /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < text.size(); ++i) bytes.push_back(std::string_view(text).substr(i, 1));
  size_t consumed = 0;
  IncomingRequest in = ParseIncomingRequest(bytes, ServerOptions{}, consumed);
  ASSERT_EQ(in.outcome, Outcome::kRequest);
  EXPECT_EQ(in.request.body, "abc");
  EXPECT_EQ(consumed, text.size());
}

// Beast 1.74 checks its header limit only while the end of the header is still to come:
// a header over the limit that arrived whole, in one read or in two, passed unchecked.
TEST(IncomingRequest, AHeaderOverTheLimitIsRefusedHoweverItArrives) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  std::string text = "GET / HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; text.size() < 1500; ++i) text += "X-F" + std::to_string(i) + ": v\r\n";
  text += "\r\n";
  for (size_t cut : {text.size(), size_t{600}, size_t{1100}}) {
    std::vector<std::string_view> reads{std::string_view(text).substr(0, cut)};
    if (cut < text.size()) reads.push_back(std::string_view(text).substr(cut));
    size_t consumed = 0;
    IncomingRequest in = ParseIncomingRequest(reads, options, consumed);
    ASSERT_EQ(in.outcome, Outcome::kRefused) << "cut at " << cut;
    EXPECT_EQ(in.status, 431) << "cut at " << cut;
  }
}

// Found by fuzz/http_request_fuzzer: when the read that ended the header ended inside
// the final chunk, the parser was offered the same bytes twice (ParseBuffered, then
// Beast's read loop), which Beast 1.74's chunk parser asserts never happens: a debug
// build aborted.
TEST(IncomingRequest, AFinalChunkCutByAReadIsReadOnce) {
  const std::string text =
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
  for (size_t cut = text.find("\r\n\r\n") + 4; cut < text.size(); ++cut) {
    std::string_view all = text;
    std::vector<std::string_view> reads = {all.substr(0, cut), all.substr(cut)};
    size_t consumed = 0;
    IncomingRequest in = ParseIncomingRequest(reads, ServerOptions{}, consumed);
    ASSERT_EQ(in.outcome, Outcome::kRequest) << cut;
    EXPECT_EQ(in.request.body, "");
    EXPECT_EQ(consumed, text.size());
  }
}

TEST(IncomingRequest, RefusalsCarryTheServersStatuses) {
  ServerOptions tight;
  tight.max_header_bytes = 64;
  tight.max_body_bytes = 4;
  const std::pair<std::string, int> cases[] = {
      {"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
      {"GET http://elsewhere/ HTTP/1.1\r\nHost: h\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\n\r\n", 400},
      {"BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n", 501},
      {"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcde", 413},
      {"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n",
       413},
      {"GET / HTTP/1.1\r\nHost: h\r\nX: " + std::string(100, 'a') + "\r\n\r\n", 431},
  };
  for (const auto& [text, status] : cases) {
    size_t consumed = 0;
    IncomingRequest in = Parse(text, consumed, tight);
    EXPECT_EQ(in.outcome, Outcome::kRefused) << text;
    EXPECT_EQ(in.status, status) << text;
  }
}

TEST(IncomingRequest, APeerThatLeavesMidRequestGetsNoAnswer) {
  size_t consumed = 0;
  EXPECT_EQ(Parse("", consumed).outcome, Outcome::kGone);
  EXPECT_EQ(Parse("GET / HTTP/1.1\r\nHost: h\r\n", consumed).outcome, Outcome::kGone);
  EXPECT_EQ(Parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nabc", consumed).outcome,
            Outcome::kGone);
}

}  // namespace
}  // namespace medvault::http
