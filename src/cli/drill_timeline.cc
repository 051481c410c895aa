#include "cli/drill_timeline.h"

#include <chrono>
#include <memory>

namespace medvault::cli {

void Timeline::At(int64_t ms, std::function<void()> run) {
  events_.emplace(std::pair{ms, next_++}, std::move(run));
}

void Timeline::Sequence(int64_t start_ms, std::vector<Step> steps) {
  if (steps.empty()) return;
  auto shared = std::make_shared<std::vector<Step>>(std::move(steps));
  At(start_ms + shared->front().pause_ms, [this, shared] { RunStep(shared, 0); });
}

void Timeline::RunStep(std::shared_ptr<std::vector<Step>> steps, size_t index) {
  if (!(*steps)[index].run() || index + 1 >= steps->size()) return;
  int64_t at = now() + (*steps)[index + 1].pause_ms;
  At(at, [this, steps = std::move(steps), index] { RunStep(steps, index + 1); });
}

void Timeline::Run() {
  while (!events_.empty()) {
    auto node = events_.extract(events_.begin());
    if (node.key().first > now()) clock_.Set(FromUnixMillis(node.key().first));
    node.mapped()();
  }
}

int WeekdayAt(int64_t ms) {
  using namespace std::chrono;
  const weekday wd{floor<days>(sys_time<milliseconds>(milliseconds(ms)))};
  return static_cast<int>(wd.iso_encoding()) - 1;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace medvault::cli
