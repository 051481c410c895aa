// GET /security/events: the security officer's live view of the alerts table, as
// Server-Sent Events. One thread feeds every open stream. About every half second it
// reads, for each stream, the alerts with an id above the last one that stream was sent.
// The table is the source, not this process, so alerts that another server sharing the
// database raised arrive too. When a stream has been quiet for 15 seconds it gets a
// comment, so that clients and proxies see it alive. A stream ends when its client
// leaves, when the server stops, or when the session that opened it ends (logout,
// revocation, timeout, suspension).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/alerts.h"
#include "api/services.h"
#include "http/message.h"
#include "identity/principal.h"

namespace medvault::api {

class AlertStreams {
 public:
  struct Options {
    size_t max_streams = 16;
    std::chrono::milliseconds poll_interval{500};
    std::chrono::milliseconds keep_alive{15'000};
    // How often a stream checks that its session still lives.
    std::chrono::milliseconds session_check{2'000};
  };

  AlertStreams(Services& services, Options options);
  ~AlertStreams();  // finishes every stream and joins the thread
  AlertStreams(const AlertStreams&) = delete;
  AlertStreams& operator=(const AlertStreams&) = delete;

  // One of the max_streams places, taken while the request is handled (so that a 503
  // is decided, and audited, before anything is sent) and given back when it is
  // destroyed: when its stream ends, or when the response never started one.
  class Place {
   public:
    explicit Place(AlertStreams& owner) : owner_(owner) {}
    ~Place();
    Place(const Place&) = delete;
    Place& operator=(const Place&) = delete;

   private:
    AlertStreams& owner_;
  };
  // nullptr when every place is taken.
  std::shared_ptr<Place> Reserve();

  // Feeds `writer` the alerts with an id above `after_id`, oldest first, then each new
  // one, for as long as `principal`'s session lives. Returns at once (it is called on
  // an I/O thread).
  void Open(std::shared_ptr<Place> place, std::shared_ptr<http::StreamWriter> writer,
            int64_t after_id, identity::Principal principal);

  // One alert as an event: "id: <id>\nevent: alert\ndata: <JSON>\n\n".
  static std::string Event(const ShownAlert& alert);

 private:
  struct Follower {
    std::shared_ptr<Place> place;
    std::shared_ptr<http::StreamWriter> writer;
    int64_t cursor = 0;  // the last alert id sent
    identity::Principal principal;
    std::chrono::steady_clock::time_point last_write;
    std::chrono::steady_clock::time_point last_check;
  };
  // The events after one cursor, read once per round for every stream standing there.
  struct Batch {
    std::string events;
    int64_t last_id = 0;
  };

  void Run();
  void Poll();
  // False when the follower's stream is over.
  bool Feed(Follower& f, std::map<int64_t, Batch>& batches,
            std::chrono::steady_clock::time_point now);
  Batch Read(int64_t cursor);
  void Release();

  Services& s_;
  const Options options_;
  std::mutex mu_;
  std::condition_variable wake_;
  size_t taken_ = 0;                 // places reserved; under mu_
  std::vector<Follower> joining_;    // opened, not yet fed; under mu_
  bool stopping_ = false;            // under mu_
  std::vector<Follower> followers_;  // the thread's own
  std::thread thread_;
};

}  // namespace medvault::api
