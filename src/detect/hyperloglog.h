// HyperLogLog: how many distinct patients, in a fixed number of bytes whatever the count.
// The detector counts distinct patients per account per day (merged over 30 days for an
// account's coverage of its base) and across the platform per hour; exact sets would grow
// with the attack they are meant to measure.
//
// 2^precision one-byte registers (precision 4–16; 10 gives a standard error of about 3 %,
// 8 about 6.5 %). The registers are allocated at the first Add, so an empty sketch costs
// only the object (16 bytes). Estimates use Ertl's improved raw estimator ("New
// cardinality estimation algorithms for HyperLogLog sketches", 2017), which needs no bias
// tables and stays unbiased from a handful of items to billions; while at least half the
// registers are still zero it agrees with linear counting, which is then used as it costs
// nothing (the detector asks for a day's count at each new patient).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace medvault::detect {

// A 64-bit hash of an identifier: FNV-1a over the bytes, then the splitmix64 finalizer,
// so that ids differing in one character land far apart in every bit. Not keyed: the
// detector's inputs are ids the server issued, not values an attacker chooses freely.
uint64_t HashId(std::string_view id);

class HyperLogLog {
 public:
  explicit HyperLogLog(int precision = 10);
  HyperLogLog(const HyperLogLog& other);
  HyperLogLog& operator=(const HyperLogLog& other);
  HyperLogLog(HyperLogLog&&) noexcept = default;
  HyperLogLog& operator=(HyperLogLog&&) noexcept = default;

  // Adds an item by its HashId. Returns whether a register changed (when it did not, the
  // estimate did not change either: callers cache estimates on that).
  bool Add(uint64_t hash);
  bool Add(std::string_view id) { return Add(HashId(id)); }

  // The estimated number of distinct items added (0 for an empty sketch).
  double Estimate() const;

  // Makes this sketch the union of itself and `other`, which must have the same
  // precision (a broken invariant otherwise: the call does nothing and returns false).
  bool Merge(const HyperLogLog& other);

  // Empties the sketch, keeping its registers' memory for reuse.
  void Clear();
  bool empty() const { return zeros_ == registers(); }
  int precision() const { return precision_; }
  // Heap bytes held (0 until the first Add).
  size_t MemoryBytes() const { return registers_ ? registers() : 0; }

 private:
  size_t registers() const { return size_t{1} << precision_; }
  void Allocate();

  std::unique_ptr<uint8_t[]> registers_;  // null: all zero
  uint32_t zeros_;                        // registers still zero
  uint8_t precision_;
};

}  // namespace medvault::detect
