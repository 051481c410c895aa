// The meeting point between a connection coroutine waiting for its answer and the
// Responder that delivers it, possibly from another thread (a database writer, a
// worker pool). Private to server.cc: it carries Asio types.
#pragma once

// Boost 1.74's Asio headers use std::exchange without including <utility>.
#include <utility>
// (kept apart so that include sorting cannot move it below the Boost headers)

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <mutex>
#include <optional>

#include "http/message.h"

namespace medvault::http {

// Lifetime: the connection holds it while it waits and calls Close() when it stops
// waiting, whatever the reason; Responders hold it as long as they like. After Close()
// it holds no executor, so a Responder that outlives the server touches nothing of it.
class PendingReply : public std::enable_shared_from_this<PendingReply> {
 public:
  // `wake` is the connection's timer, waited on (on `executor`, the connection's
  // strand) until the answer arrives; it must outlive the wait, not this object.
  PendingReply(boost::asio::any_io_executor executor, boost::asio::steady_timer& wake)
      : executor_(std::move(executor)), wake_(&wake) {}

  Responder MakeResponder() {
    return Responder([self = shared_from_this()](Response r) { self->Deliver(std::move(r)); });
  }

  // On the strand: the answer if it has arrived. Otherwise nullopt, and the answer,
  // when it comes, cancels the connection's wait on `wake` (an answer given during
  // Handle(), the common case, thus costs no wake-up at all).
  std::optional<Response> TakeOrArmWake() {
    std::lock_guard lock(mutex_);
    wake_armed_ = !response_.has_value();
    return std::exchange(response_, std::nullopt);
  }

  // On the strand, when the connection stops waiting.
  void Close() {
    std::lock_guard lock(mutex_);
    executor_.reset();
    response_.reset();
  }

 private:
  // Any thread. The post happens under the mutex, so it cannot race with Close(), which
  // the connection calls before its io_context can be destroyed.
  void Deliver(Response response) {
    std::lock_guard lock(mutex_);
    if (!executor_) return;  // nobody is waiting any more
    response_ = std::move(response);
    if (wake_armed_) boost::asio::post(*executor_, [self = shared_from_this()] { self->Wake(); });
  }

  // On the strand; the wait may be over (Close()) by the time this runs.
  void Wake() {
    std::lock_guard lock(mutex_);
    if (executor_) wake_->cancel();
  }

  std::mutex mutex_;
  std::optional<boost::asio::any_io_executor> executor_;
  boost::asio::steady_timer* wake_;
  std::optional<Response> response_;
  bool wake_armed_ = false;
};

}  // namespace medvault::http
