// The meeting point between a connection sending a streamed response and the
// StreamWriter its handler's producer holds, possibly on another thread. Private to
// http/: it carries Asio types. Shaped like PendingReply, which it follows on the same
// connection.
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
#include <string>

#include "http/message.h"

namespace medvault::http {

// Lifetime: the connection calls Close() when it stops sending, whatever the reason;
// the producer holds the writer as long as it likes. After Close() it holds no
// executor, so a writer that outlives the server touches nothing of it.
class StreamChannel final : public StreamWriter,
                            public std::enable_shared_from_this<StreamChannel> {
 public:
  // `wake` is the connection's timer, waited on (on `executor`, the connection's strand)
  // while nothing is queued; it must outlive the wait, not this object.
  StreamChannel(boost::asio::any_io_executor executor, boost::asio::steady_timer& wake)
      : executor_(std::move(executor)), wake_(&wake) {}

  bool Write(std::string bytes) override {
    std::lock_guard lock(mutex_);
    if (!executor_ || finished_) return false;
    queued_ += bytes;
    WakeLocked();
    return true;
  }

  void Finish() override {
    std::lock_guard lock(mutex_);
    if (!executor_ || finished_) return;
    finished_ = true;
    WakeLocked();
  }

  bool ended() const override {
    std::lock_guard lock(mutex_);
    return !executor_ || finished_;
  }

  size_t backlog() const override {
    std::lock_guard lock(mutex_);
    return queued_.size();
  }

  // What the connection sends next: the bytes queued since the last call, and whether
  // the producer has finished.
  struct Next {
    std::string bytes;
    bool finished = false;
  };
  // On the strand. When there is nothing to send and the producer has not finished, the
  // next Write() or Finish() cancels the connection's wait on `wake`.
  Next TakeOrArmWake() {
    std::lock_guard lock(mutex_);
    Next next{std::exchange(queued_, {}), finished_};
    wake_armed_ = next.bytes.empty() && !next.finished;
    return next;
  }

  // On the strand, when the connection stops sending: later writes are refused.
  void Close() {
    std::lock_guard lock(mutex_);
    executor_.reset();
    queued_.clear();
  }

 private:
  // The post happens under the mutex, so it cannot race with Close(), which the
  // connection calls before its io_context can be destroyed.
  void WakeLocked() {
    if (!wake_armed_) return;
    wake_armed_ = false;
    boost::asio::post(*executor_, [self = shared_from_this()] { self->Wake(); });
  }

  // On the strand; the connection may have stopped sending by the time this runs.
  void Wake() {
    std::lock_guard lock(mutex_);
    if (executor_) wake_->cancel();
  }

  mutable std::mutex mutex_;
  std::optional<boost::asio::any_io_executor> executor_;
  boost::asio::steady_timer* wake_;
  std::string queued_;
  bool finished_ = false;
  bool wake_armed_ = false;
};

}  // namespace medvault::http
