#include "api/alert_stream.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace medvault::api {
namespace {

// Alerts read per stream and round: a replay from the start goes out in rounds of
// this many, each sent whole before the next is read.
constexpr int64_t kBatch = 500;
// A stream whose client has this much unsent is not fed until it catches up.
constexpr size_t kMaxBacklog = 64 * 1024;

}  // namespace

AlertStreams::AlertStreams(Services& services, Options options)
    : s_(services), options_(options), thread_([this] { Run(); }) {}

AlertStreams::~AlertStreams() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

AlertStreams::Place::~Place() { owner_.Release(); }

std::shared_ptr<AlertStreams::Place> AlertStreams::Reserve() {
  std::lock_guard lock(mu_);
  if (stopping_ || taken_ >= options_.max_streams) return nullptr;
  ++taken_;
  return std::make_shared<Place>(*this);
}

void AlertStreams::Release() {
  std::lock_guard lock(mu_);
  --taken_;
}

void AlertStreams::Open(std::shared_ptr<Place> place, std::shared_ptr<http::StreamWriter> writer,
                        int64_t after_id, identity::Principal principal) {
  auto now = std::chrono::steady_clock::now();
  Follower f{std::move(place), std::move(writer), after_id, std::move(principal), now, now};
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      f.writer->Finish();
    } else {
      joining_.push_back(std::move(f));
    }
  }
  wake_.notify_all();
  // A follower refused above releases its place here, outside the lock.
}

std::string AlertStreams::Event(const ShownAlert& alert) {
  // The JSON is one line: RapidJSON escapes the line breaks inside strings.
  return "id: " + std::to_string(alert.row.id) + "\nevent: alert\ndata: " + AlertJson(alert) +
         "\n\n";
}

void AlertStreams::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    auto woken = [this] { return stopping_ || !joining_.empty(); };
    if (followers_.empty()) {
      wake_.wait(lock, woken);
    } else {
      wake_.wait_for(lock, options_.poll_interval, woken);
    }
    if (stopping_) break;
    for (Follower& f : joining_) followers_.push_back(std::move(f));
    joining_.clear();
    lock.unlock();
    Poll();  // a stream that ends gives its place back: never under the lock
    lock.lock();
  }
  std::vector<Follower> never_fed = std::move(joining_);
  lock.unlock();
  for (Follower& f : never_fed) f.writer->Finish();
  for (Follower& f : followers_) f.writer->Finish();
  followers_.clear();
}

void AlertStreams::Poll() {
  auto now = std::chrono::steady_clock::now();
  std::map<int64_t, Batch> batches;
  for (auto it = followers_.begin(); it != followers_.end();) {
    if (Feed(*it, batches, now)) {
      ++it;
    } else {
      it = followers_.erase(it);
    }
  }
}

bool AlertStreams::Feed(Follower& f, std::map<int64_t, Batch>& batches,
                        std::chrono::steady_clock::time_point now) {
  if (f.writer->ended()) return false;  // the client left, or the server is stopping
  if (now - f.last_check >= options_.session_check) {
    f.last_check = now;
    Status live = s_.authenticator.StillLive(f.principal);
    if (!live && live.error().code == ErrorCode::kUnauthenticated) {
      f.writer->Finish();
      return false;
    }
    if (!live) spdlog::warn("alert stream: cannot check the session: {}", live.error().message);
  }
  if (f.writer->backlog() < kMaxBacklog) {
    auto [at, unread] = batches.try_emplace(f.cursor);
    if (unread) at->second = Read(f.cursor);
    const Batch& batch = at->second;
    if (!batch.events.empty()) {
      if (!f.writer->Write(batch.events)) return false;
      f.cursor = batch.last_id;
      f.last_write = now;
    }
  }
  if (now - f.last_write >= options_.keep_alive) {
    if (!f.writer->Write(": keep-alive\n\n")) return false;
    f.last_write = now;
  }
  return true;
}

AlertStreams::Batch AlertStreams::Read(int64_t cursor) {
  Batch batch;
  store::Reader& reader = s_.store.reader();
  auto rows = reader.AlertsAfter(cursor, kBatch);
  Result<std::vector<ShownAlert>> shown =
      rows ? ShowAlerts(reader, std::move(*rows), &s_.keyring) : Fail(rows.error());
  if (!shown) {
    // Logged, and tried again next round; the stream stays where it was.
    spdlog::warn("alert stream: cannot read alerts: {}", shown.error().message);
    return batch;
  }
  for (const ShownAlert& alert : *shown) {
    batch.events += Event(alert);
    batch.last_id = alert.row.id;
  }
  return batch;
}

}  // namespace medvault::api
