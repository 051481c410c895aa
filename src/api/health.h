// GET /healthz: whether this server can do its work. A server whose disk refuses commits
// can only answer 503 to anything that must be recorded (every patient read is), so it
// says so here and a load balancer stops sending it requests.
#pragma once

#include "common/clock.h"
#include "http/message.h"
#include "store/store.h"

namespace medvault::api {

// 200 {"status":"ok"} while commits succeed. After a commit failed for a reason of the
// storage, one small write (the write probe) decides: 200 when it commits, else 503
// {"status":"unavailable",…}. Without the probe a server that no longer receives traffic
// would never learn that its disk came back.
void AnswerHealth(store::Store& store, const Clock& clock, http::Responder respond);

}  // namespace medvault::api
