// Resource ids: UUID-shaped (lowercase 8-4-4-4-12 hex), derived from the seed and a
// running count, so that they look random, repeat with the seed and never collide.
#pragma once

#include <cstdint>
#include <string>

namespace medvault::sim {

class ResourceIds {
 public:
  explicit ResourceIds(uint64_t seed);

  // The next id. The low 64 bits are a keyed bijection of the count, so no two ids of
  // one run are equal.
  std::string Next();

 private:
  uint64_t key_low_;
  uint64_t key_high_;
  uint64_t count_ = 0;
};

}  // namespace medvault::sim
