#include "http/message.h"

#include <strings.h>

namespace medvault::http {

std::string_view Request::HeaderValue(std::string_view name) const {
  for (const Header& h : headers) {
    if (h.name.size() == name.size() && strncasecmp(h.name.data(), name.data(), name.size()) == 0)
      return h.value;
  }
  return {};
}

Responder::Responder(Fn fn) : fn_(std::move(fn)) {}

Responder::~Responder() {
  if (fn_) {
    Response r;
    r.status = 500;
    r.body = "internal error: request dropped without a response";
    r.headers.push_back({"Content-Type", "text/plain"});
    fn_(std::move(r));
  }
}

void Responder::operator()(Response response) {
  if (!fn_) return;
  Fn fn = std::move(fn_);
  fn_ = nullptr;
  fn(std::move(response));
}

}  // namespace medvault::http
