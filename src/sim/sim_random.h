// The generator's only source of randomness: xoshiro256** seeded through splitmix64
// (https://prng.di.unimi.it/). Integer arithmetic throughout, so that a seed gives the
// same stream with any compiler and standard library (std::*_distribution does not).
#pragma once

#include <cstdint>
#include <iterator>

namespace medvault::sim {

// splitmix64's output function: a bijection on 64-bit values.
constexpr uint64_t Mix64(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

class SimRandom {
 public:
  // A stream for (seed, stream): different streams of one seed are independent.
  SimRandom(uint64_t seed, uint64_t stream) {
    uint64_t state = Mix64(seed) ^ Mix64(stream + 0x9e3779b97f4a7c15ULL);
    for (uint64_t& word : s_) {
      state += 0x9e3779b97f4a7c15ULL;
      word = Mix64(state);
    }
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n), n > 0 (Lemire's multiply-shift; the bias is below 2^-32 for the
  // ranges used here).
  uint64_t Below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<Wide>(Next()) * n) >> 64);
  }
  // Uniform in [low, high].
  int64_t Between(int64_t low, int64_t high) {
    return low + static_cast<int64_t>(Below(static_cast<uint64_t>(high - low) + 1));
  }
  // Uniform in [0, 1).
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  double Uniform(double low, double high) { return low + (high - low) * Unit(); }
  bool Chance(double p) { return Unit() < p; }
  // Roughly normal (Irwin-Hall of four uniforms), mean 0 and deviation 1, within ±3.5.
  double Normalish() { return (Unit() + Unit() + Unit() + Unit() - 2.0) * 1.7320508075688772; }
  // floor(x) plus one with probability frac(x): an integer count whose mean is x.
  int64_t RoundRandomly(double x) {
    const auto whole = static_cast<int64_t>(x);
    return whole + (Chance(x - static_cast<double>(whole)) ? 1 : 0);
  }

  // A uniformly chosen element of a non-empty span, array or vector.
  template <typename Items>
  const auto& Pick(const Items& items) {
    return items[Below(std::size(items))];
  }

 private:
  __extension__ typedef unsigned __int128 Wide;
  static constexpr uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace medvault::sim
