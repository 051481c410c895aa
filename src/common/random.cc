#include "common/random.h"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

namespace medvault {

void FillRandom(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::fputs("medvault: getrandom failed; refusing to continue without randomness\n", stderr);
      std::abort();
    }
    done += static_cast<size_t>(n);
  }
}

namespace {

// Ids are drawn from a per-thread buffer refilled from the kernel's CSPRNG, so that a
// request does not cost a getrandom call for each id it mints. The bytes are the
// kernel's, unchanged; each is used once.
void FillIdBytes(std::span<uint8_t> out) {
  thread_local std::array<uint8_t, 4096> pool;
  thread_local size_t used = pool.size();
  if (used + out.size() > pool.size()) {
    FillRandom(pool);
    used = 0;
  }
  std::copy_n(pool.begin() + static_cast<std::ptrdiff_t>(used), out.size(), out.begin());
  std::fill_n(pool.begin() + static_cast<std::ptrdiff_t>(used), out.size(), uint8_t{0});
  used += out.size();
}

}  // namespace

std::string NewUuid() {
  std::array<uint8_t, 16> b;
  FillIdBytes(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<uint8_t>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0f]);
  }
  return out;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace medvault
