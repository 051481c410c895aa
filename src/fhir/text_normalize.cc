#include "fhir/text_normalize.h"

#include <cstdint>

namespace medvault::fhir {
namespace {

// Decodes one UTF-8 sequence at text[i]; returns the code point and advances i, or
// returns -1 (and advances past the bad byte) for an invalid sequence.
int32_t DecodeUtf8(std::string_view text, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = (b0 & 0xE0) == 0xC0 ? 2 : (b0 & 0xF0) == 0xE0 ? 3 : (b0 & 0xF8) == 0xF0 ? 4 : 0;
  if (len == 0 || i + static_cast<size_t>(len) > text.size()) {
    ++i;
    return -1;
  }
  int32_t cp = b0 & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    uint8_t b = byte(i + static_cast<size_t>(k));
    if ((b & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr int32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += static_cast<size_t>(len);
  return cp;
}

void AppendUtf8(std::string& out, int32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Latin-1 Supplement letters U+00C0..U+00FF folded to lowercase ASCII ("" for the
// two non-letters × and ÷, which become separators).
constexpr const char* kLatin1[64] = {
    "a", "a", "a", "a", "a",  "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o",  "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a",  "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
    "d", "n", "o", "o", "o",  "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

// Latin Extended-A U+0100..U+017F: base letters, in pairs (upper, lower) mostly.
constexpr const char* kLatinExtendedA[128] = {
    "a",  "a",  "a",  "a",  "a",  "a",  "c",  "c",  "c", "c", "c", "c", "c", "c", "d", "d",
    "d",  "d",  "e",  "e",  "e",  "e",  "e",  "e",  "e", "e", "e", "e", "g", "g", "g", "g",
    "g",  "g",  "g",  "g",  "h",  "h",  "h",  "h",  "i", "i", "i", "i", "i", "i", "i", "i",
    "i",  "i",  "ij", "ij", "j",  "j",  "k",  "k",  "k", "l", "l", "l", "l", "l", "l", "l",
    "l",  "l",  "l",  "n",  "n",  "n",  "n",  "n",  "n", "n", "n", "n", "o", "o", "o", "o",
    "o",  "o",  "oe", "oe", "r",  "r",  "r",  "r",  "r", "r", "s", "s", "s", "s", "s", "s",
    "s",  "s",  "t",  "t",  "t",  "t",  "t",  "t",  "u", "u", "u", "u", "u", "u", "u", "u",
    "u",  "u",  "u",  "u",  "w",  "w",  "y",  "y",  "y", "z", "z", "z", "z", "z", "z", "s"};

// Appends the folded form of one code point; returns false when it is a separator.
bool Fold(int32_t cp, std::string& out) {
  if (cp < 0x80) {
    char c = static_cast<char>(cp);
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
      return true;
    }
    return false;  // space, punctuation, hyphen, apostrophe, controls
  }
  if (cp >= 0xC0 && cp <= 0xFF) {
    const char* f = kLatin1[cp - 0xC0];
    if (*f == '\0') return false;
    out += f;
    return true;
  }
  if (cp >= 0x100 && cp <= 0x17F) {
    out += kLatinExtendedA[cp - 0x100];
    return true;
  }
  // Typographic apostrophes, dashes and spaces separate words like their ASCII forms.
  if ((cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0 || (cp >= 0x80 && cp < 0xC0)) return false;
  // Combining diacritical marks (decomposed input): dropped without separating.
  if (cp >= 0x300 && cp <= 0x36F) return true;
  AppendUtf8(out, cp);
  return true;
}

}  // namespace

std::string NormalizeForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  size_t i = 0;
  while (i < text.size()) {
    int32_t cp = DecodeUtf8(text, i);
    if (cp < 0) continue;
    size_t before = out.size();
    if (pending_space && !out.empty()) out.push_back(' ');
    size_t after_space = out.size();
    if (Fold(cp, out)) {
      pending_space = false;
      // A combining mark adds nothing; do not leave a dangling space for it.
      if (out.size() == after_space) out.resize(before);
    } else {
      out.resize(before);
      pending_space = true;
    }
  }
  return out;
}

std::vector<std::string> SearchWords(std::string_view text) {
  std::vector<std::string> words;
  std::string normalized = NormalizeForSearch(text);
  size_t start = 0;
  while (start < normalized.size()) {
    size_t end = normalized.find(' ', start);
    if (end == std::string::npos) end = normalized.size();
    words.emplace_back(normalized.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

}  // namespace medvault::fhir
