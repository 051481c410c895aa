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

  // After ParseBuffered of the body: the parser has seen what `buffer` holds and needs
  // more, so bytes must be read before the buffer goes to Beast's read loop, which would
  // offer the parser the same bytes again first. A final chunk offered twice trips an
  // assertion in Beast 1.74's chunk parser (a debug build aborts; the release build
  // carries on correctly); found by fuzz/http_request_fuzzer.
  // A full buffer sets `ec` to buffer_overflow instead.
  bool MustReadBeforeParsing(const boost::beast::flat_buffer& buffer,
                             boost::system::error_code& ec) const;
  // How much the next read may add to `buffer`.
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
  // The header section as CheckHeader accepted it. Beast adds a chunked body's trailer
  // fields to the same container, and RFC 9110 6.5.1 forbids merging them: a Cookie,
  // Authorization or second Host sent after the body must not read as if the header had
  // carried it, past CheckHeader's checks. medvault uses no trailer field and discards
  // them, as the RFC allows.
  std::vector<Header> header_section_;
  bool keep_alive_ = false;
};

}  // namespace medvault::http
