#include "detect/hyperloglog.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <numbers>
#include <utility>

namespace medvault::detect {
namespace {

constexpr int kMinPrecision = 4;
constexpr int kMaxPrecision = 16;

// Ertl's sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1): the correction for empty registers.
double Sigma(double x) {
  if (x == 1.0) return std::numeric_limits<double>::infinity();
  double y = 1.0;
  double z = x;
  double previous = 0.0;
  do {
    x *= x;
    previous = z;
    z += x * y;
    y += y;
  } while (z != previous);
  return z;
}

// Ertl's tau(x): the correction for registers at the maximum value.
double Tau(double x) {
  if (x == 0.0 || x == 1.0) return 0.0;
  double y = 1.0;
  double z = 1.0 - x;
  double previous = 0.0;
  do {
    x = std::sqrt(x);
    previous = z;
    y *= 0.5;
    z -= (1.0 - x) * (1.0 - x) * y;
  } while (z != previous);
  return z / 3.0;
}

}  // namespace

uint64_t HashId(std::string_view id) {
  uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (unsigned char c : id) {
    h ^= c;
    h *= 0x100000001b3ULL;  // FNV prime
  }
  // splitmix64's finalizer: FNV alone mixes its last bytes poorly into the high bits,
  // which pick the register.
  h += 0x9e3779b97f4a7c15ULL;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
  return h ^ (h >> 31);
}

HyperLogLog::HyperLogLog(int precision)
    : zeros_(0),
      precision_(static_cast<uint8_t>(std::clamp(precision, kMinPrecision, kMaxPrecision))) {
  zeros_ = static_cast<uint32_t>(registers());
}

HyperLogLog::HyperLogLog(const HyperLogLog& other)
    : zeros_(other.zeros_), precision_(other.precision_) {
  if (other.registers_) {
    Allocate();
    std::copy_n(other.registers_.get(), registers(), registers_.get());
  }
}

HyperLogLog& HyperLogLog::operator=(const HyperLogLog& other) {
  if (this != &other) {
    HyperLogLog copy(other);
    *this = std::move(copy);
  }
  return *this;
}

void HyperLogLog::Allocate() {
  registers_ = std::make_unique<uint8_t[]>(registers());  // zeroed
}

void HyperLogLog::Clear() {
  if (registers_) std::fill_n(registers_.get(), registers(), uint8_t{0});
  zeros_ = static_cast<uint32_t>(registers());
}

bool HyperLogLog::Add(uint64_t hash) {
  if (!registers_) Allocate();
  const size_t index = hash >> (64 - precision_);
  // The rank of the remaining bits: position of their first 1, counting from 1; all
  // zero gives the maximum, 64 - precision + 1.
  const uint64_t rest = hash << precision_;
  const int max_rank = 64 - precision_ + 1;
  const int rank = rest == 0 ? max_rank : std::min(std::countl_zero(rest) + 1, max_rank);
  uint8_t& r = registers_[index];
  if (r >= rank) return false;
  zeros_ -= r == 0;
  r = static_cast<uint8_t>(rank);
  return true;
}

double HyperLogLog::Estimate() const {
  const double m = static_cast<double>(registers());
  if (zeros_ == registers()) return 0.0;
  // Linear counting while half the registers are empty (fewer items than about 0.7 m):
  // there it is as good as the full estimator, and costs no pass over the registers.
  if (zeros_ * 2 >= registers()) return m * std::log(m / zeros_);
  const int q = 64 - precision_;
  std::array<int, 66> histogram{};  // registers holding each value 0..q+1
  for (size_t i = 0; i < registers(); ++i) ++histogram[registers_[i]];
  double z = m * Tau(1.0 - histogram[static_cast<size_t>(q + 1)] / m);
  for (int k = q; k >= 1; --k) z = 0.5 * (z + histogram[static_cast<size_t>(k)]);
  z += m * Sigma(histogram[0] / m);
  constexpr double kAlphaInfinity = 0.5 / std::numbers::ln2;  // 1 / (2 ln 2)
  return kAlphaInfinity * m * m / z;
}

bool HyperLogLog::Merge(const HyperLogLog& other) {
  if (other.precision_ != precision_) return false;
  if (!other.registers_) return true;
  if (!registers_) Allocate();
  uint32_t zeros = 0;
  for (size_t i = 0; i < registers(); ++i) {
    registers_[i] = std::max(registers_[i], other.registers_[i]);
    zeros += registers_[i] == 0;
  }
  zeros_ = zeros;
  return true;
}

}  // namespace medvault::detect
