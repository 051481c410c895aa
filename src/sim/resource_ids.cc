#include "sim/resource_ids.h"

#include "sim/sim_random.h"

namespace medvault::sim {
namespace {

void PutHex(uint64_t value, int digits, char* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[value & 0xf];
    value >>= 4;
  }
}

}  // namespace

ResourceIds::ResourceIds(uint64_t seed)
    : key_low_(Mix64(seed ^ 0x6d65647661756c74ULL)), key_high_(Mix64(seed + 0x73696d75ULL)) {}

std::string ResourceIds::Next() {
  const uint64_t low = Mix64(count_++ + key_low_);  // Mix64 is a bijection
  uint64_t high = Mix64(low ^ key_high_);
  high = (high & ~0xf000ULL) | 0x4000ULL;  // version nibble 4, as random UUIDs carry
  std::string id(36, '-');
  PutHex(high >> 32, 8, &id[0]);
  PutHex(high >> 16, 4, &id[9]);
  PutHex(high, 4, &id[14]);
  PutHex(low >> 48, 4, &id[19]);
  PutHex(low, 12, &id[24]);
  return id;
}

}  // namespace medvault::sim
