// The NIR (numéro d'inscription au répertoire, the INS-NIR of French health records):
// sex, year and month of birth, place of birth, order number, and a two-digit key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

namespace medvault::sim {

// The system URI of the INS-NIR identifier.
inline constexpr std::string_view kNirSystem = "urn:oid:1.2.250.1.213.1.4.8";

struct NirParts {
  int sex = 1;                   // 1 male, 2 female
  int birth_year = 1970;         // four digits; the NIR keeps the last two
  int birth_month = 1;           // 1-12
  std::string_view birth_place;  // five digits: INSEE commune code (department + commune),
                                 // or 99 + INSEE country code; no Corsica (2A/2B)
  int order = 1;                 // 1-999, the rank among births of that place and month
};

// The 15-digit NIR: 13 digits then the key.
std::string FormatNir(const NirParts& parts);

// 97 - (n mod 97), for the 13-digit number n.
int NirKey(uint64_t first_13_digits);

// Hands out order numbers so that no two people get the same NIR: the next one for
// each sex, birth month and birth place, from 1 (past 999 it wraps, which would take
// more than 999 births of one month in one place).
class NirOrders {
 public:
  int Next(const NirParts& parts);

 private:
  std::unordered_map<uint64_t, int> last_;
};

}  // namespace medvault::sim
