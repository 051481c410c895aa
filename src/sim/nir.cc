#include "sim/nir.h"

namespace medvault::sim {

int NirKey(uint64_t first_13_digits) { return 97 - static_cast<int>(first_13_digits % 97); }

int NirOrders::Next(const NirParts& parts) {
  uint64_t key = static_cast<uint64_t>(parts.sex) * 100'000'000'000ULL +
                 static_cast<uint64_t>(parts.birth_year) * 10'000'000 +
                 static_cast<uint64_t>(parts.birth_month) * 100'000;
  for (char digit : parts.birth_place) key = key * 10 + static_cast<uint64_t>(digit - '0');
  int& last = last_[key];
  last = last % 999 + 1;
  return last;
}

std::string FormatNir(const NirParts& parts) {
  uint64_t number = static_cast<uint64_t>(parts.sex);
  number = number * 100 + static_cast<uint64_t>(parts.birth_year % 100);
  number = number * 100 + static_cast<uint64_t>(parts.birth_month);
  for (char digit : parts.birth_place) number = number * 10 + static_cast<uint64_t>(digit - '0');
  number = number * 1000 + static_cast<uint64_t>(parts.order);
  std::string text(15, '0');
  uint64_t rest = number * 100 + static_cast<uint64_t>(NirKey(number));
  for (int i = 14; i >= 0; --i) {
    text[static_cast<size_t>(i)] = static_cast<char>('0' + rest % 10);
    rest /= 10;
  }
  return text;
}

}  // namespace medvault::sim
