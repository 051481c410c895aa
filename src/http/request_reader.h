// Reading one request with Beast's parser: the steps a connection takes (parse what is
// buffered, read more, check the header, read the body), without the reads themselves,
// which the caller does (connection.cc asynchronously, ParseIncomingRequest from
// memory). Private to http/: it carries Beast types.
#pragma once

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/incoming_request.h"
#include "http/server.h"

namespace medvault::http {

// Bytes asked of the socket per read.
inline constexpr size_t kReadChunk = 16 * 1024;

class RequestReader {
 public:
  using Parser = boost::beast::http::request_parser<boost::beast::http::string_body>;

  // A fresh reader per message: Beast 1.74 does not support reusing a parser.
  explicit RequestReader(const ServerOptions& options);

  Parser& parser() { return parser_; }

  // The most a connection's read buffer may hold: a whole header, plus one read.
  static size_t BufferLimit(const ServerOptions& options);
  // The request target up to its query.
  static std::string PathOf(std::string_view target);

  // Feeds the parser what `buffer` already holds, as Beast's read loop would, but without
  // an asynchronous operation: most requests arrive whole in one read, and Beast completes
  // an operation that needs no I/O with a post, which costs a queue round trip and often
  // a thread wake-up per request. Stops at the end of the header, or with `whole_message`
  // at the end of the message. need_more is not an error; the caller reads on.
  void ParseBuffered(boost::beast::flat_buffer& buffer, bool whole_message,
                     boost::system::error_code& ec);

  // The body is read by the caller's loop, never by Beast's read loop: read, then
  // ParseBuffered(whole_message) when ReadyToParse, until the parser is done. Beast's
  // loop offers the parser what it declined again after every read, and Beast 1.74's
  // chunk parser asserts that a final chunk it declined comes back with at least 5
  // bytes: an empty chunked body ("0\r\n\r\n") cut after "0\r\n" and then sent a byte at a
  // time aborted a debug build (the release build carries on correctly). Found by
  // fuzz/http_request_fuzzer, twice.
  //
  // Whether `buffer` may go to the parser: it holds bytes the parser has not declined
  // yet, and, when it holds some it declined, enough for that assertion.
  bool ReadyToParse(const boost::beast::flat_buffer& buffer) const;
  // How much the next read may add to `buffer`; 0 when it is full (the body part that
  // the parser declines cannot grow past the buffer: a caller then fails with
  // buffer_overflow, as Beast's read loop would).
  static size_t ReadRoom(const boost::beast::flat_buffer& buffer);

  // The bytes of the header that Beast's read_header took (it returns them; ParseBuffered
  // counts its own): the header limit is checked on their sum.
  void AddHeaderBytes(size_t bytes) { header_bytes_ += bytes; }

  // Once the header is read, or its reading failed with `ec`: the refusal (or kGone), or
  // nullopt when the body is to be read.
  std::optional<IncomingRequest> CheckHeader(const boost::system::error_code& ec);

  // The client waits for `100 Continue` before it sends its body.
  bool ExpectsContinue() const;

  // Once the body is read, or its reading failed with `ec`.
  IncomingRequest Finish(const boost::system::error_code& ec, const std::string& client_address);

 private:
  const ServerOptions& options_;
  Parser parser_;
  std::string path_;  // "" until the request line was parsed
  size_t header_bytes_ = 0;
  size_t declined_ = 0;  // bytes the body's parser left in the buffer, needing more
  // The header section as CheckHeader accepted it. Beast adds a chunked body's trailer
  // fields to the same container, and RFC 9110 6.5.1 forbids merging them: a Cookie,
  // Authorization or second Host sent after the body must not read as if the header had
  // carried it, past CheckHeader's checks. medvault uses no trailer field and discards
  // them, as the RFC allows.
  std::vector<Header> header_section_;
  bool keep_alive_ = false;
};

}  // namespace medvault::http
