// TOTP against RFC 6238's own vectors and against an independent implementation
// (tests/support/reference_totp.h), base32 against RFC 4648, and the enrolment URI.
#include "identity/totp.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "support/reference_totp.h"

namespace medvault::identity {
namespace {

using crypto::AsBytes;
using medvault::testing::ReferenceBase32Decode;
using medvault::testing::ReferenceTotp;

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890".
constexpr std::string_view kRfcSecret = "12345678901234567890";

// A code of the same length that differs from `code` in its last digit.
std::string Altered(std::string code) {
  code.back() = code.back() == '9' ? '0' : static_cast<char>(code.back() + 1);
  return code;
}

struct RfcVector {
  int64_t time;
  std::string_view code;
};

TEST(TotpTest, MatchesRfc6238AppendixBForSha1) {
  constexpr RfcVector kVectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& v : kVectors) {
    SCOPED_TRACE(v.time);
    auto code = TotpCode(AsBytes(kRfcSecret), v.time, 8);
    ASSERT_TRUE(code.has_value()) << code.error().message;
    EXPECT_EQ(*code, v.code);
    // The reference implementation must pass the same vectors to be worth comparing with.
    EXPECT_EQ(ReferenceTotp(AsBytes(kRfcSecret), v.time, 8), v.code);
    auto step = VerifyTotp(AsBytes(kRfcSecret), v.code, v.time, 1, 8);
    ASSERT_TRUE(step.has_value()) << step.error().message;
    EXPECT_EQ(*step, v.time / 30);
  }
}

TEST(TotpTest, AgreesWithTheReferenceForRandomSecretsAndTimes) {
  std::mt19937_64 rng(6238);  // fixed seed: a failure must be reproducible
  std::uniform_int_distribution<size_t> secret_size(1, 64);
  std::uniform_int_distribution<int64_t> time(0, int64_t{1} << 36);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> digits(6, 8);
  for (int i = 0; i < 500; ++i) {
    std::vector<uint8_t> secret(secret_size(rng));
    for (auto& b : secret) b = static_cast<uint8_t>(byte(rng));
    int64_t t = time(rng);
    int d = digits(rng);
    SCOPED_TRACE(::testing::Message() << "case " << i << " t=" << t << " digits=" << d);
    auto code = TotpCode(secret, t, d);
    ASSERT_TRUE(code.has_value()) << code.error().message;
    EXPECT_EQ(*code, ReferenceTotp(secret, t, d));
  }
}

TEST(TotpTest, DefaultsToSixDigitsAndRefusesOtherLengths) {
  auto code = TotpCode(AsBytes(kRfcSecret), 59);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, "287082");  // the last six digits of the 8-digit vector
  for (int digits : {0, 5, 9, -1}) {
    auto refused = TotpCode(AsBytes(kRfcSecret), 59, digits);
    ASSERT_FALSE(refused.has_value()) << digits;
    EXPECT_EQ(refused.error().code, ErrorCode::kInvalid);
  }
  EXPECT_FALSE(TotpCode({}, 59).has_value());
  EXPECT_FALSE(TotpCode(AsBytes(kRfcSecret), -1).has_value());
}

TEST(TotpTest, StepIsTheFloorOfThirtySecondPeriods) {
  EXPECT_EQ(TotpStep(0), 0);
  EXPECT_EQ(TotpStep(29), 0);
  EXPECT_EQ(TotpStep(30), 1);
  EXPECT_EQ(TotpStep(59), 1);
  EXPECT_EQ(TotpStep(1111111109), 37037036);
  EXPECT_EQ(TotpStep(20000000000), 666666666);
  EXPECT_EQ(TotpStep(-1), -1);
  EXPECT_EQ(TotpStep(-30), -1);
  EXPECT_EQ(TotpStep(-31), -2);
}

class VerifyTotpTest : public ::testing::Test {
 protected:
  std::string CodeAtStep(int64_t step) { return ReferenceTotp(secret_, step * 30); }

  std::vector<uint8_t> secret_ = ReferenceBase32Decode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  // Mid-step, so that the window and not the rounding decides.
  int64_t now_ = 1'700'000'015;
  int64_t step_ = 1'700'000'015 / 30;
};

TEST_F(VerifyTotpTest, AcceptsTheCurrentAndAdjacentStepsAndSaysWhichMatched) {
  for (int64_t offset : {-1, 0, 1}) {
    SCOPED_TRACE(offset);
    auto step = VerifyTotp(secret_, CodeAtStep(step_ + offset), now_);
    ASSERT_TRUE(step.has_value()) << step.error().message;
    EXPECT_EQ(*step, step_ + offset);
  }
}

TEST_F(VerifyTotpTest, RefusesStepsOutsideTheWindow) {
  for (int64_t offset : {-2, 2, -3, 3, -100}) {
    SCOPED_TRACE(offset);
    auto step = VerifyTotp(secret_, CodeAtStep(step_ + offset), now_);
    ASSERT_FALSE(step.has_value());
    EXPECT_EQ(step.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(step.error().message, "invalid code");
  }
}

TEST_F(VerifyTotpTest, WindowSizeIsHonoured) {
  EXPECT_EQ(VerifyTotp(secret_, CodeAtStep(step_), now_, 0).value_or(-1), step_);
  EXPECT_FALSE(VerifyTotp(secret_, CodeAtStep(step_ + 1), now_, 0).has_value());
  EXPECT_FALSE(VerifyTotp(secret_, CodeAtStep(step_ - 1), now_, 0).has_value());
  EXPECT_EQ(VerifyTotp(secret_, CodeAtStep(step_ - 2), now_, 2).value_or(-1), step_ - 2);
  EXPECT_EQ(VerifyTotp(secret_, CodeAtStep(step_ + 2), now_, 2).value_or(-1), step_ + 2);
}

TEST_F(VerifyTotpTest, StepBoundariesFollowTheClock) {
  // The last second of a step and the first of the next see different windows.
  int64_t last_second = (step_ + 1) * 30 - 1;
  EXPECT_EQ(VerifyTotp(secret_, CodeAtStep(step_ - 1), last_second).value_or(-1), step_ - 1);
  EXPECT_FALSE(VerifyTotp(secret_, CodeAtStep(step_ - 1), last_second + 1).has_value());
  EXPECT_EQ(VerifyTotp(secret_, CodeAtStep(step_ + 2), last_second + 1).value_or(-1), step_ + 2);
}

TEST_F(VerifyTotpTest, RefusesWrongCodes) {
  auto wrong = VerifyTotp(secret_, Altered(CodeAtStep(step_)), now_);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, "invalid code");
  // Same code, different secret.
  std::vector<uint8_t> other = secret_;
  other[0] ^= 1;
  EXPECT_FALSE(VerifyTotp(other, CodeAtStep(step_), now_).has_value());
}

TEST_F(VerifyTotpTest, RefusesCodesThatAreNotExactlySixAsciiDigits) {
  std::string good = CodeAtStep(step_);
  const std::string malformed[] = {
      "",
      good.substr(0, 5),
      good + "0",
      " " + good,
      good + " ",
      good.substr(0, 5) + "a",
      "+" + good.substr(1),
      "-" + good.substr(1),
      good.substr(0, 3) + " " + good.substr(3),
      good + std::string(1, '\0'),
      std::string(good.substr(0, 5)) + std::string(1, '\0'),
      "\xEF\xBC\x91\xEF\xBC\x92",  // full-width digits
      "abcdef",
  };
  for (const auto& code : malformed) {
    SCOPED_TRACE(::testing::PrintToString(code));
    auto step = VerifyTotp(secret_, code, now_);
    ASSERT_FALSE(step.has_value());
    EXPECT_EQ(step.error().code, ErrorCode::kUnauthenticated);
    EXPECT_EQ(step.error().message, "invalid code");
  }
}

TEST_F(VerifyTotpTest, EightDigitCodesNeedEightDigits) {
  std::string eight = ReferenceTotp(secret_, now_, 8);
  EXPECT_EQ(VerifyTotp(secret_, eight, now_, 1, 8).value_or(-1), step_);
  EXPECT_FALSE(VerifyTotp(secret_, eight, now_).has_value());
  EXPECT_FALSE(VerifyTotp(secret_, eight.substr(2), now_, 1, 8).has_value());
}

TEST_F(VerifyTotpTest, MisconfigurationIsAnInternalErrorNotAWrongCode) {
  std::string code = CodeAtStep(step_);
  auto empty_secret = VerifyTotp({}, code, now_);
  auto bad_digits = VerifyTotp(secret_, code.substr(1), now_, 1, 5);
  auto negative_window = VerifyTotp(secret_, code, now_, -1);
  auto huge_window = VerifyTotp(secret_, code, now_, kMaxTotpWindow + 1);
  auto before_1970 = VerifyTotp(secret_, code, -1);
  for (const auto* result :
       {&empty_secret, &bad_digits, &negative_window, &huge_window, &before_1970}) {
    ASSERT_FALSE(result->has_value());
    EXPECT_EQ(result->error().code, ErrorCode::kInternal);
  }
  EXPECT_EQ(VerifyTotp(secret_, code, now_, kMaxTotpWindow).value_or(-1), step_);
}

TEST(TotpSecretTest, IsTwentyFreshRandomBytes) {
  auto a = NewTotpSecret();
  auto b = NewTotpSecret();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_EQ(a.size(), kTotpSecretBytes);
  EXPECT_NE(a, b);
  EXPECT_EQ(ToBase32(a).size(), 32u);  // 160 bits: exactly 32 symbols, no padding
}

TEST(Base32Test, EncodesRfc4648Vectors) {
  // RFC 4648 section 10, without the padding.
  EXPECT_EQ(ToBase32(AsBytes("")), "");
  EXPECT_EQ(ToBase32(AsBytes("f")), "MY");
  EXPECT_EQ(ToBase32(AsBytes("fo")), "MZXQ");
  EXPECT_EQ(ToBase32(AsBytes("foo")), "MZXW6");
  EXPECT_EQ(ToBase32(AsBytes("foob")), "MZXW6YQ");
  EXPECT_EQ(ToBase32(AsBytes("fooba")), "MZXW6YTB");
  EXPECT_EQ(ToBase32(AsBytes("foobar")), "MZXW6YTBOI");
  EXPECT_EQ(ToBase32(AsBytes(kRfcSecret)), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(Base32Test, DecodesRfc4648VectorsWithOrWithoutPadding) {
  auto decode = [](std::string_view text) {
    auto bytes = FromBase32(text);
    return bytes ? std::string(crypto::AsText(*bytes)) : std::string("<nullopt>");
  };
  EXPECT_EQ(decode(""), "");
  EXPECT_EQ(decode("MY======"), "f");
  EXPECT_EQ(decode("MZXQ===="), "fo");
  EXPECT_EQ(decode("MZXW6==="), "foo");
  EXPECT_EQ(decode("MZXW6YQ="), "foob");
  EXPECT_EQ(decode("MZXW6YTB"), "fooba");
  EXPECT_EQ(decode("MZXW6YTBOI======"), "foobar");
  EXPECT_EQ(decode("MZXW6YTBOI"), "foobar");
  EXPECT_EQ(decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(decode("mzxw 6ytb oi"), "foobar");
  EXPECT_EQ(decode(" MzXw 6YtB oI== "), "foobar");
}

TEST(Base32Test, RoundTripsAnyBytes) {
  std::mt19937 rng(4648);
  std::uniform_int_distribution<int> byte(0, 255);
  for (size_t size = 0; size <= 64; ++size) {
    std::vector<uint8_t> bytes(size);
    for (auto& b : bytes) b = static_cast<uint8_t>(byte(rng));
    std::string text = ToBase32(bytes);
    EXPECT_EQ(FromBase32(text), bytes) << text;
    EXPECT_EQ(ReferenceBase32Decode(text), bytes) << text;
  }
}

TEST(Base32Test, RefusesWhatNoEncoderWrites) {
  const std::string_view bad[] = {
      "MZXW1",        // '1' is not in the alphabet (nor are '0', '8', '9')
      "MZXW0YTBOI",   //
      "MZXW8YTBOI",   //
      "MZXW6YTB!I",   //
      "MZXW6YTB-OI",  //
      "MZXW6\nYTBOI",
      "MZXW6\tYTBOI",
      "M",       // 5 bits: not even one byte
      "MZX",     // 15 bits: one byte and 7 left over
      "MZXW6Y",  // 30 bits: three bytes and 6 left over
      "MZ",      // "f" is "MY": the leftover bits must be zero
      "MZ=XW6",  // padding only at the end
      "MY==A",
  };
  for (auto text : bad) EXPECT_EQ(FromBase32(text), std::nullopt) << text;
  EXPECT_EQ(FromBase32(std::string_view("MY\0", 3)), std::nullopt);
}

TEST(OtpauthUriTest, EncodesIssuerAndAccountAndTheSecret) {
  EXPECT_EQ(OtpauthUri("MedVault", "dr house@clinic.example", AsBytes(kRfcSecret)),
            "otpauth://totp/MedVault:dr%20house%40clinic.example"
            "?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=MedVault"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUriTest, PercentEncodesEverythingButUnreservedCharacters) {
  std::vector<uint8_t> secret = {0x00};
  EXPECT_EQ(OtpauthUri("St. Mary's: A&E", "a-b_c.d~e/f?g=h#i+\xC3\xA9", secret),
            "otpauth://totp/St.%20Mary%27s%3A%20A%26E:a-b_c.d~e%2Ff%3Fg%3Dh%23i%2B%C3%A9"
            "?secret=AA&issuer=St.%20Mary%27s%3A%20A%26E&algorithm=SHA1&digits=6&period=30");
}

TEST(OtpauthUriTest, TheSecretDecodesBackToTheBytes) {
  auto secret = NewTotpSecret();
  std::string uri = OtpauthUri("MedVault", "nurse.joy", secret);
  auto begin = uri.find("secret=") + 7;
  auto end = uri.find('&', begin);
  EXPECT_EQ(ReferenceBase32Decode(uri.substr(begin, end - begin)), secret);
}

}  // namespace
}  // namespace medvault::identity
