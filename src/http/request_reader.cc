#include "http/request_reader.h"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/system/system_error.hpp>
#include <cstdint>
#include <iterator>

namespace medvault::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using boost::system::error_code;

IncomingRequest Refuse(int status, std::string message, std::string path) {
  IncomingRequest in;
  in.outcome = IncomingRequest::Outcome::kRefused;
  in.status = status;
  in.message = std::move(message);
  in.path = std::move(path);
  return in;
}

// What to answer when reading a request failed with `ec`.
IncomingRequest ReadFailure(const error_code& ec, bool in_body, const std::string& path) {
  if (ec == bhttp::error::header_limit) return Refuse(431, "request header too large", path);
  if (ec == bhttp::error::body_limit) return Refuse(413, "request body too large", path);
  if (ec == bhttp::error::buffer_overflow)
    return in_body ? Refuse(413, "request body too large", path)
                   : Refuse(431, "request header too large", path);
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return {};
  // Any other parser error is a malformed message; transport errors (timeout, reset,
  // TLS failure, Stop()) leave nobody to answer.
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
    return Refuse(400, "malformed request", path);
  return {};
}

bool IsSupportedMethod(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get:
    case bhttp::verb::head:
    case bhttp::verb::post:
    case bhttp::verb::put:
    case bhttp::verb::patch:
    case bhttp::verb::delete_:
    case bhttp::verb::options: return true;
    default: return false;
  }
}

Request ToRequest(bhttp::request<bhttp::string_body>&& req, std::vector<Header> header_section,
                  const std::string& client_address) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  size_t question = r.target.find('?');
  r.path = r.target.substr(0, question);
  if (question != std::string::npos) r.query = r.target.substr(question + 1);
  r.headers = std::move(header_section);
  r.host = std::string(r.HeaderValue("Host"));
  r.body = std::move(req.body());
  r.client_address = client_address;
  return r;
}

// A connection's bytes held in memory, for Beast's synchronous read loop: each read
// returns what is left of the current arrival (as much as fits), then end of file.
class ArrivalStream {
 public:
  explicit ArrivalStream(std::span<const std::string_view> arrivals) : arrivals_(arrivals) {}

  template <typename MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers, error_code& ec) {
    ec = {};
    while (next_ < arrivals_.size() && offset_ == arrivals_[next_].size()) {
      ++next_;
      offset_ = 0;
    }
    if (next_ == arrivals_.size()) {
      ec = asio::error::eof;
      return 0;
    }
    std::string_view rest = arrivals_[next_].substr(offset_);
    size_t n = asio::buffer_copy(buffers, asio::buffer(rest.data(), rest.size()));
    offset_ += n;
    delivered_ += n;
    return n;
  }

  template <typename MutableBufferSequence>
  size_t read_some(const MutableBufferSequence& buffers) {
    error_code ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }

  size_t delivered() const { return delivered_; }

 private:
  std::span<const std::string_view> arrivals_;
  size_t next_ = 0;
  size_t offset_ = 0;
  size_t delivered_ = 0;
};

}  // namespace

std::string RequestReader::PathOf(std::string_view target) {
  return std::string(target.substr(0, target.find('?')));
}

RequestReader::RequestReader(const ServerOptions& options) : options_(options) {
  parser_.header_limit(static_cast<uint32_t>(options.max_header_bytes));
  parser_.body_limit(options.max_body_bytes);
}

void RequestReader::ParseBuffered(beast::flat_buffer& buffer, bool whole_message, error_code& ec) {
  parser_.eager(whole_message);
  while (buffer.size() > 0 && !(whole_message ? parser_.is_done() : parser_.is_header_done())) {
    size_t used = parser_.put(buffer.data(), ec);
    buffer.consume(used);
    if (!whole_message) header_bytes_ += used;
    if (ec == bhttp::error::need_more) ec = {};
    if (ec || used == 0) break;  // an error, or a part that needs more bytes
  }
  declined_ = whole_message && !parser_.is_done() ? buffer.size() : 0;
}

bool RequestReader::ReadyToParse(const beast::flat_buffer& buffer) const {
  // Beast's final-chunk assertion: a final chunk and its end, "0\r\n\r\n", is 5 bytes.
  constexpr size_t kShortestReoffer = 5;
  if (declined_ == 0) return buffer.size() > 0;
  return buffer.size() > declined_ && buffer.size() >= kShortestReoffer;
}

std::optional<IncomingRequest> RequestReader::CheckHeader(const error_code& ec) {
  const auto& req = parser_.get();
  // The request line may have been parsed even when the header failed; "" otherwise.
  path_ = PathOf(std::string_view(req.target().data(), req.target().size()));
  if (ec) return ReadFailure(ec, false, path_);
  // Beast 1.74 applies its header limit to the request line and to the fields apart
  // when they arrive together: a header of up to twice the limit got through in one
  // read, and was refused in several.
  if (header_bytes_ > options_.max_header_bytes)
    return Refuse(431, "request header too large", path_);
  if (req.version() != 10 && req.version() != 11)
    return Refuse(505, "HTTP version not supported", path_);
  if (!IsSupportedMethod(req.method())) return Refuse(501, "method not supported", path_);
  // Origin form only: an absolute URI or `*` would give the router a path that is not
  // one, and medvault is nobody's proxy.
  if (!req.target().starts_with("/")) return Refuse(400, "request target must be a path", path_);
  size_t hosts = req.count(bhttp::field::host);
  if (hosts > 1 || (hosts == 0 && req.version() >= 11))
    return Refuse(400, "request needs exactly one Host header", path_);
  // Beast already fails the header read with body_limit for such a Content-Length; the
  // promise that no byte of a too-large body is read should not rest on that detail.
  boost::optional<uint64_t> length = parser_.content_length();
  if (length && *length > options_.max_body_bytes)
    return Refuse(413, "request body too large", path_);
  header_section_.reserve(static_cast<size_t>(std::distance(req.begin(), req.end())));
  for (const auto& field : req)
    header_section_.push_back({std::string(field.name_string()), std::string(field.value())});
  keep_alive_ = req.keep_alive();
  return std::nullopt;
}

bool RequestReader::ExpectsContinue() const {
  return beast::iequals(parser_.get()[bhttp::field::expect], "100-continue");
}

IncomingRequest RequestReader::Finish(const error_code& ec, const std::string& client_address) {
  if (ec) return ReadFailure(ec, true, path_);
  IncomingRequest in;
  in.outcome = IncomingRequest::Outcome::kRequest;
  in.keep_alive = keep_alive_;
  in.version = parser_.get().version();
  in.head = parser_.get().method() == bhttp::verb::head;
  in.path = std::move(path_);
  in.request = ToRequest(parser_.release(), std::move(header_section_), client_address);
  return in;
}

size_t RequestReader::BufferLimit(const ServerOptions& options) {
  return options.max_header_bytes + kReadChunk;
}

size_t RequestReader::ReadRoom(const beast::flat_buffer& buffer) {
  return std::min(kReadChunk, buffer.max_size() - buffer.size());
}

// Session::ReadRequest (connection.cc) step by step, with Beast's synchronous reads
// from memory where the connection awaits its asynchronous ones from the socket.
IncomingRequest ParseIncomingRequest(std::span<const std::string_view> arrivals,
                                     const ServerOptions& options, size_t& consumed) {
  ArrivalStream stream(arrivals);
  beast::flat_buffer buffer(RequestReader::BufferLimit(options));
  auto consumed_so_far = [&] { return stream.delivered() - buffer.size(); };
  error_code ec;
  // The connection's wait for the first byte of a request.
  size_t n = stream.read_some(buffer.prepare(kReadChunk), ec);
  consumed = 0;
  if (ec) return {};
  buffer.commit(n);

  RequestReader reader(options);
  reader.ParseBuffered(buffer, false, ec);
  if (!ec && !reader.parser().is_header_done())
    reader.AddHeaderBytes(bhttp::read_header(stream, buffer, reader.parser(), ec));
  if (std::optional<IncomingRequest> refused = reader.CheckHeader(ec)) {
    consumed = consumed_so_far();
    return *refused;
  }
  if (!reader.parser().is_done()) {
    // (The connection answers `100 Continue` here when ExpectsContinue().)
    reader.ParseBuffered(buffer, true, ec);
    while (!ec && !reader.parser().is_done()) {
      size_t room = RequestReader::ReadRoom(buffer);
      if (room == 0) {
        ec = bhttp::error::buffer_overflow;
        break;
      }
      buffer.commit(stream.read_some(buffer.prepare(room), ec));
      if (!ec && reader.ReadyToParse(buffer)) reader.ParseBuffered(buffer, true, ec);
    }
  }
  consumed = consumed_so_far();
  return reader.Finish(ec, "");
}

}  // namespace medvault::http
