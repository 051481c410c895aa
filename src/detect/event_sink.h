// Where the request pipeline hands what it learned of each committed request. The
// detector's asynchronous half implements it (api::RiskFeed); a server without it
// simply has no sink.
#pragma once

#include "detect/detection_event.h"

namespace medvault::detect {

class EventSink {
 public:
  virtual ~EventSink() = default;
  // Called once per committed, authenticated request, from whichever thread completed
  // it, before its response leaves. Must not block for long.
  virtual void Push(DetectionEvent event) = 0;
};

}  // namespace medvault::detect
