#include "sim/person_names.h"

#include <cstdint>

namespace medvault::sim {
namespace {

// The ASCII letters for the Latin-1 Supplement and Latin Extended-A letters the
// vocabulary uses (U+00C0 … U+017F), by code point; nullptr drops the character.
const char* FoldLetter(uint32_t code_point) {
  switch (code_point) {
    case 0xC0:
    case 0xC1:
    case 0xC2:
    case 0xC3:
    case 0xC4:
    case 0xC5:
    case 0xE0:
    case 0xE1:
    case 0xE2:
    case 0xE3:
    case 0xE4:
    case 0xE5: return "a";
    case 0xC6:
    case 0xE6: return "ae";
    case 0xC7:
    case 0xE7: return "c";
    case 0xC8:
    case 0xC9:
    case 0xCA:
    case 0xCB:
    case 0xE8:
    case 0xE9:
    case 0xEA:
    case 0xEB: return "e";
    case 0xCC:
    case 0xCD:
    case 0xCE:
    case 0xCF:
    case 0xEC:
    case 0xED:
    case 0xEE:
    case 0xEF: return "i";
    case 0xD1:
    case 0xF1: return "n";
    case 0xD2:
    case 0xD3:
    case 0xD4:
    case 0xD5:
    case 0xD6:
    case 0xF2:
    case 0xF3:
    case 0xF4:
    case 0xF5:
    case 0xF6: return "o";
    case 0xD9:
    case 0xDA:
    case 0xDB:
    case 0xDC:
    case 0xF9:
    case 0xFA:
    case 0xFB:
    case 0xFC: return "u";
    case 0xDD:
    case 0xFD:
    case 0xFF: return "y";
    case 0x152:
    case 0x153: return "oe";
    default: return nullptr;
  }
}

}  // namespace

PersonName DrawPersonName(SimRandom& rng, Sex sex, double second_given_chance) {
  PersonName name;
  const auto given = GivenNames(sex);
  name.given = rng.Pick(given);
  if (rng.Chance(second_given_chance)) {
    name.second_given = rng.Pick(given);
    if (name.second_given == name.given) name.second_given = {};
  }
  name.family = rng.Pick(FamilyNames());
  return name;
}

std::string AsciiFold(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    if (byte < 0x80) {
      ++i;
      if (byte >= 'A' && byte <= 'Z') {
        out += static_cast<char>(byte - 'A' + 'a');
      } else if ((byte >= 'a' && byte <= 'z') || (byte >= '0' && byte <= '9') || byte == '-') {
        out += static_cast<char>(byte);
      } else if (byte == ' ' || byte == '\'') {
        out += '-';
      }
      continue;
    }
    // Two-byte sequences cover U+0080 … U+07FF, all the letters folded here.
    if ((byte & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      const uint32_t code_point =
          ((byte & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
      if (const char* folded = FoldLetter(code_point)) out += folded;
      i += 2;
      continue;
    }
    ++i;  // other sequences: drop the lead and continuation bytes one by one
    while (i < utf8.size() && (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80) ++i;
  }
  return out;
}

}  // namespace medvault::sim
