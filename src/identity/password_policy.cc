#include "identity/password_policy.h"

#include <sodium.h>
#include <zxcvbn.h>

#include <array>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "common/random.h"

namespace medvault::identity {
namespace {

// zxcvbn's scores are thresholds on the estimated number of guesses: 10^8 guesses
// ("safely unguessable: moderate protection from offline slow-hash scenario", score 3)
// and 10^10 (score 4, "strong protection"). zxcvbn-c reports log2(guesses). We ask for
// 10^10 ≈ 2^33.2: these passwords guard medical records, and an attacker who steals
// the account table can guess offline; at 10^4 guesses per second against our Argon2id
// setting (19 MiB, 2 passes) on a cracking rig, 10^10 guesses take about twelve days per
// account, 10^8 about three hours. Random 20-character passwords (~116 bits) and
// four-word passphrases (~50-90 bits) are far above it; names with a year, keyboard walks
// and repeated words fall below.
constexpr double kMinEntropyBits = 33.2;

// Counts code points; returns SIZE_MAX on invalid UTF-8.
size_t CountCodePoints(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size();) {
    auto b = static_cast<uint8_t>(s[i]);
    size_t len = b < 0x80             ? 1
                 : (b & 0xE0) == 0xC0 ? 2
                 : (b & 0xF0) == 0xE0 ? 3
                 : (b & 0xF8) == 0xF0 ? 4
                                      : 0;
    if (len == 0 || (len == 2 && b < 0xC2) || i + len > s.size()) return SIZE_MAX;
    for (size_t k = 1; k < len; ++k)
      if ((static_cast<uint8_t>(s[i + k]) & 0xC0) != 0x80) return SIZE_MAX;
    i += len;
    ++count;
  }
  return count;
}

// A copy of a password that is wiped when it goes away: the checks need NUL-terminated
// and case-folded copies, and those should not linger in freed heap memory.
class PasswordCopy {
 public:
  explicit PasswordCopy(std::string_view password) : text_(password) {}
  ~PasswordCopy() { sodium_memzero(text_.data(), text_.size()); }
  PasswordCopy(const PasswordCopy&) = delete;
  PasswordCopy& operator=(const PasswordCopy&) = delete;

  std::string& text() { return text_; }

 private:
  std::string text_;
};

// Lower case for ASCII and Latin-1 letters (À-Þ), which covers French passwords; the
// input is valid UTF-8.
void FoldCase(std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<uint8_t>(s[i]);
    if (b >= 'A' && b <= 'Z') {
      s[i] = static_cast<char>(b + ('a' - 'A'));
    } else if (b == 0xC3 && i + 1 < s.size()) {
      // U+00C0..U+00DE are the capitals of U+00E0..U+00FE, except × (U+00D7).
      auto next = static_cast<uint8_t>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9E && next != 0x97) s[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
}

// What people append to a common word to satisfy composition rules: "azerty2024!".
bool IsSuffixFiller(char c) {
  static constexpr std::string_view kPunctuation = " !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  return (c >= '0' && c <= '9') || kPunctuation.contains(c);
}

bool IsCommonPassword(std::string_view password) {
  // Built once; C++ guarantees a thread-safe initialization of function-local statics.
  static const std::unordered_set<std::string_view> kCommon(CommonPasswords().begin(),
                                                            CommonPasswords().end());
  PasswordCopy folded(password);
  FoldCase(folded.text());
  std::string_view whole = folded.text();
  if (kCommon.contains(whole)) return true;
  std::string_view stem = whole;
  while (!stem.empty() && IsSuffixFiller(stem.back())) stem.remove_suffix(1);
  return !stem.empty() && stem.size() < whole.size() && kCommon.contains(stem);
}

// The context words, and the parts of each that are split by non-alphanumeric characters
// ("jean" and "dupont" of "jean.dupont"): an attacker who knows the username tries those
// too, in any order.
std::vector<std::string> UserDictionary(std::span<const std::string_view> context_words) {
  std::vector<std::string> words;
  auto is_alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  for (std::string_view word : context_words) {
    if (word.empty()) continue;
    words.emplace_back(word);
    size_t start = 0;
    for (size_t i = 0; i <= word.size(); ++i) {
      if (i < word.size() && is_alnum(word[i])) continue;
      // Parts shorter than 3 characters are too common to say anything about a password.
      if (i - start >= 3 && i - start < word.size())
        words.emplace_back(word.substr(start, i - start));
      start = i + 1;
    }
  }
  return words;
}

double EstimateEntropyBits(std::string_view password,
                           std::span<const std::string_view> context_words) {
  std::vector<std::string> words = UserDictionary(context_words);
  std::vector<const char*> user_dict;
  user_dict.reserve(words.size() + 1);
  for (const std::string& word : words) user_dict.push_back(word.c_str());
  user_dict.push_back(nullptr);
  // zxcvbn reads a C string; the control-character check has ruled out embedded NULs.
  PasswordCopy terminated(password);
  return ZxcvbnMatch(terminated.text().c_str(), user_dict.data(), nullptr);
}

}  // namespace

Status CheckPasswordPolicy(std::string_view password,
                           std::span<const std::string_view> context_words) {
  size_t chars = CountCodePoints(password);
  if (chars == SIZE_MAX) return Fail(ErrorCode::kInvalid, "the password is not valid UTF-8 text");
  if (chars < kMinPasswordChars)
    return Fail(ErrorCode::kInvalid, "the password must have at least 12 characters");
  if (chars > kMaxPasswordChars)
    return Fail(ErrorCode::kInvalid, "the password must have at most 128 characters");
  for (char c : password)
    if (static_cast<uint8_t>(c) < 0x20 || c == 0x7f)
      return Fail(ErrorCode::kInvalid, "the password must not contain control characters");
  // The list catches what zxcvbn's English dictionaries miss (French words, local
  // favourites) and answers with a clearer reason.
  if (IsCommonPassword(password))
    return Fail(ErrorCode::kInvalid, "the password is on the list of common passwords");
  if (EstimateEntropyBits(password, context_words) < kMinEntropyBits)
    return Fail(ErrorCode::kInvalid, "the password is too easy to guess: use a longer passphrase");
  return Ok();
}

std::string GeneratePassword() {
  // 20 characters from a 56-symbol alphabet without look-alikes: ~116 bits.
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  while (out.size() < 20) {
    std::array<uint8_t, 32> bytes;
    FillRandom(bytes);
    for (uint8_t b : bytes) {
      // Reject values that would bias the modulo.
      if (b >= 256 - 256 % kAlphabet.size()) continue;
      out.push_back(kAlphabet[b % kAlphabet.size()]);
      if (out.size() == 20) break;
    }
  }
  return out;
}

}  // namespace medvault::identity
