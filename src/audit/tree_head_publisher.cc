#include "audit/tree_head_publisher.h"

#include <spdlog/spdlog.h>

namespace medvault::audit {

TreeHeadPublisher::TreeHeadPublisher(store::Store& store, const AuditLog& log,
                                     const crypto::SigningKey& key, const Clock& clock,
                                     std::chrono::milliseconds interval)
    : store_(store), log_(log), key_(key), clock_(clock), interval_(interval) {}

void TreeHeadPublisher::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void TreeHeadPublisher::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stopping_ = true;
    wake_.notify_one();
  }
  thread_.join();
  if (Status last = PublishNow(); !last)
    spdlog::error("could not sign the last audit tree head: {}", last.error().message);
}

Status TreeHeadPublisher::PublishNow() {
  return store_.Write([&](store::Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(auto head, log_.NextTreeHead(txn, key_, ToUnixMillis(clock_.Now())));
    if (head) TRY(txn.InsertTreeHead(*head));
    return Ok();
  });
}

void TreeHeadPublisher::Run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
    if (stopping_) break;
    lock.unlock();
    if (Status published = PublishNow(); !published)
      spdlog::error("could not sign an audit tree head: {}", published.error().message);
    lock.lock();
  }
}

}  // namespace medvault::audit
