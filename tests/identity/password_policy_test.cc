// The password policy (NIST SP 800-63B): length in code points, text rules, the list of
// common passwords, zxcvbn's strength estimate with the username as context, and
// messages that never repeat the password.
#include "identity/password_policy.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/clock.h"
#include "identity/accounts.h"

namespace medvault::identity {
namespace {

constexpr std::string_view kTooShort = "the password must have at least 12 characters";
constexpr std::string_view kTooLong = "the password must have at most 128 characters";
constexpr std::string_view kNotUtf8 = "the password is not valid UTF-8 text";
constexpr std::string_view kControl = "the password must not contain control characters";
constexpr std::string_view kCommon = "the password is on the list of common passwords";
constexpr std::string_view kWeak = "the password is too easy to guess: use a longer passphrase";

// "" when the password is accepted, otherwise the error message.
std::string Refusal(std::string_view password, std::span<const std::string_view> context = {}) {
  auto status = CheckPasswordPolicy(password, context);
  if (status) return "";
  EXPECT_EQ(status.error().code, ErrorCode::kInvalid);
  return status.error().message;
}

// `n` random code points' worth of a generated password (ASCII, so one byte each).
std::string StrongAscii(size_t n) {
  std::string out;
  while (out.size() < n) out += GeneratePassword();
  out.resize(n);
  return out;
}

std::string Repeat(std::string_view unit, size_t times) {
  std::string out;
  for (size_t i = 0; i < times; ++i) out += unit;
  return out;
}

TEST(PasswordLength, CountsCodePointsNotBytes) {
  // 12 accented letters are 24 bytes; 11 are 22 bytes and still too short.
  EXPECT_EQ(Refusal("éàüöçñèâîôûë"), "");
  EXPECT_EQ(Refusal("ÉÀÜÖÇÑÈÂÎÔÛË"), "");
  EXPECT_EQ(Refusal("éàüöçñèâîôû"), kTooShort);
  // 129 'é' are 258 bytes: refused for length; 128 of them pass the length rule (and
  // then fail as a repetition).
  EXPECT_EQ(Refusal(Repeat("é", 129)), kTooLong);
  EXPECT_EQ(Refusal(Repeat("é", 128)), kWeak);
}

TEST(PasswordLength, BoundsAre12And128) {
  EXPECT_EQ(Refusal(StrongAscii(11)), kTooShort);
  EXPECT_EQ(Refusal(""), kTooShort);
  EXPECT_EQ(Refusal(StrongAscii(12)), "");
  EXPECT_EQ(Refusal(StrongAscii(128)), "");
  EXPECT_EQ(Refusal(StrongAscii(129)), kTooLong);
  EXPECT_EQ(Refusal(StrongAscii(4096)), kTooLong);
}

TEST(PasswordText, InvalidUtf8AndControlCharactersAreRefused) {
  const std::string passphrase = "violet tabouret kayak neige";
  ASSERT_EQ(Refusal(passphrase), "");
  struct Case {
    std::string password;
    std::string_view message;
  };
  const std::vector<Case> cases = {
      {passphrase + "\xff", kNotUtf8},
      {passphrase + "\xc3", kNotUtf8},       // truncated sequence
      {passphrase + "\xc0\xaf", kNotUtf8},   // overlong '/'
      {passphrase + "\xe9t\xe9", kNotUtf8},  // Latin-1, not UTF-8
      {passphrase + "\n", kControl},
      {"violet\ttabouret kayak", kControl},
      {passphrase + "\x7f", kControl},
      {passphrase + "\x1b[0m", kControl},
      {passphrase + std::string(1, '\0') + "x", kControl},  // would cut zxcvbn's C string
  };
  for (const Case& c : cases) EXPECT_EQ(Refusal(c.password), c.message) << c.password;
}

TEST(PasswordCommonList, IsCompiledInLowerCaseWithoutBlanks) {
  auto list = CommonPasswords();
  EXPECT_GE(list.size(), 3000u);
  std::unordered_set<std::string_view> unique(list.begin(), list.end());
  EXPECT_EQ(unique.size(), list.size());
  for (std::string_view entry : list) {
    EXPECT_FALSE(entry.empty());
    EXPECT_EQ(entry.find_first_of(" \t\r\n"), std::string_view::npos) << entry;
    for (char c : entry) EXPECT_FALSE(c >= 'A' && c <= 'Z') << entry;
  }
  for (std::string_view expected : {"123456", "password", "azerty", "motdepasse", "soleil",
                                    "doudou", "chouchou", "marseille", "1qaz2wsx3edc"})
    EXPECT_TRUE(unique.contains(expected)) << expected;
}

TEST(PasswordCommonList, RefusesEntriesAnyCaseAndWithSuffixes) {
  for (std::string_view password : {
           "passwordpassword",  // on the list as is
           "azertyuiop123",     // idem
           "123456789012",      // idem
           "1qaz2wsx3edc",      // keyboard walk
           "PasswordPassword",  // another case
           "AZERTYUIOP123",     //
           "MotDePasse123",     //
           "Motdepasse2024!",   // stem "motdepasse" + year + punctuation
           "azertyuiop2024!",   //
           "Marseille1970",     //
           "chouchou1234",      //
           "Doudou-2024!",      //
           "soleil 2024 !!",    // spaces count as filler too
           "BÉBÉ123456789",     // accented capitals fold to "bébé"
       })
    EXPECT_EQ(Refusal(password), kCommon) << password;
}

TEST(PasswordCommonList, OnlyTrailingFillerIsStripped) {
  // A common word inside a passphrase, or digits alone, do not make a list hit.
  EXPECT_EQ(Refusal("soleil couchant sur la dune"), "");
  EXPECT_EQ(Refusal("correct horse battery staple 2024"), "");
  EXPECT_NE(Refusal("2024motdepasse"), kCommon);
  EXPECT_NE(Refusal("000000000000!"), kCommon);  // stem would be empty
}

TEST(PasswordStrength, RefusesWhatZxcvbnRatesWeak) {
  for (std::string_view password : {
           "aaaaaaaaaaaaaaaa",  // repetition
           "abcabcabcabcabc",   // repeated sequence
           "qwertyuiopasdf",    // keyboard walk
           "zxcvbnmasdfgh",     //
           "johnsmith1980",     // name and year
           "orangeorange12",    // repeated dictionary word
       })
    EXPECT_EQ(Refusal(password), kWeak) << password;
}

TEST(PasswordStrength, RefusesPasswordsMadeOfTheUsername) {
  const std::string_view username[] = {"jean.dupont"};
  EXPECT_EQ(Refusal("jean.dupont1970", username), kWeak);
  EXPECT_EQ(Refusal("JEAN.DUPONT1970", username), kWeak);
  // The parts of the username count too, in any order.
  EXPECT_EQ(Refusal("Dupont-Jean-1970", username), kWeak);
  EXPECT_EQ(Refusal("dupontjean1970", username), kWeak);
  // Without the context the same strings look random enough to zxcvbn: the username is
  // what makes them weak.
  EXPECT_EQ(Refusal("jean.dupont1970"), "");
  EXPECT_EQ(Refusal("Dupont-Jean-1970"), "");
  // Another user's name does not matter, and an empty context word is ignored.
  const std::string_view other[] = {"marie.curie", ""};
  EXPECT_EQ(Refusal("jean.dupont1970", other), "");
}

TEST(PasswordStrength, PrepareAccountPassesTheUsername) {
  ManualClock clock(FromUnixMillis(0));
  NewAccount account{"jean.dupont", Role::kSecurityOfficer, "", "", "jean.dupont1970"};
  auto row = PrepareAccount(account, clock);
  ASSERT_FALSE(row.has_value());
  EXPECT_EQ(row.error().message, kWeak);
}

TEST(PasswordStrength, AcceptsPassphrases) {
  for (std::string_view password : {
           "correct horse battery staple",
           "CorrectHorseBatteryStaple",
           "le chat dort sur le canapé",
           "violet tabouret kayak neige",
           "gentle-river-copper-lantern",
           "mon chien s'appelle rex",
           "éléphant à pâques",
       })
    EXPECT_EQ(Refusal(password), "") << password;
}

TEST(PasswordGeneration, GeneratedPasswordsPass) {
  std::unordered_set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string password = GeneratePassword();
    EXPECT_EQ(password.size(), 20u);
    EXPECT_EQ(Refusal(password), "") << password;
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(PasswordMessages, NeverContainThePassword) {
  const std::string_view username[] = {"jean.dupont"};
  const std::vector<std::string> refused = {
      "short1",         "éàüöçñèâîôû",     StrongAscii(129),   "abcdefghijk\xff",
      "abcdefghijk\nl", "Motdepasse2024!", "passwordpassword", "azertyuiop123",
      "123456789012",   "johnsmith1980",   "jean.dupont1970",
  };
  for (const std::string& password : refused) {
    auto status = CheckPasswordPolicy(password, username);
    ASSERT_FALSE(status.has_value()) << password;
    EXPECT_EQ(status.error().message.find(password), std::string::npos) << password;
    EXPECT_TRUE(status.error().expression.empty());
    // Nor a recognizable piece of it ("password" is part of the messages themselves).
    for (std::string_view piece : {"motdepasse", "azerty", "jean", "dupont", "john", "1970"})
      if (password.find(piece) != std::string::npos) {
        EXPECT_EQ(status.error().message.find(piece), std::string::npos) << password;
      }
  }
}

}  // namespace
}  // namespace medvault::identity
