#include "api/health.h"

#include <memory>

#include "api/responses.h"

namespace medvault::api {
namespace {

http::Response Healthy() { return JsonBody(200, R"({"status":"ok"})"); }

http::Response StorageRefusesWrites() {
  return JsonBody(503, R"({"status":"unavailable","message":"the database refuses writes )"
                       R"((disk full, read-only or failing); see the server log"})");
}

}  // namespace

void AnswerHealth(store::Store& store, const Clock& clock, http::Responder respond) {
  if (!store.RefusingWrites()) return respond(Healthy());
  const int64_t now_ms = ToUnixMillis(clock.Now());
  auto shared = std::make_shared<http::Responder>(std::move(respond));
  store.Submit(
      [now_ms](store::Transaction& txn) { return txn.TouchWriteProbe(now_ms); },
      [shared](Status committed) { (*shared)(committed ? Healthy() : StorageRefusesWrites()); });
}

}  // namespace medvault::api
