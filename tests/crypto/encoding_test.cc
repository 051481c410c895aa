// Text forms of byte strings: round trips, the empty string, and refusal of bad input.
#include "crypto/encoding.h"

#include <gtest/gtest.h>

namespace medvault::crypto {
namespace {

TEST(Encoding, HexRoundTripsAndRefusesBadInput) {
  Bytes bytes = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(ToHex(bytes), "0001abff");
  EXPECT_EQ(FromHex("0001abff"), bytes);
  EXPECT_EQ(FromHex("0001ABFF"), bytes);
  EXPECT_EQ(FromHex(""), Bytes{});  // the empty string is a valid encoding of nothing
  EXPECT_EQ(ToHex(Bytes{}), "");
  EXPECT_FALSE(FromHex("abc").has_value());
  EXPECT_FALSE(FromHex("zz").has_value());
  EXPECT_FALSE(FromHex("00 1").has_value());
}

TEST(Encoding, Base64FormsRoundTrip) {
  Bytes bytes = {0xfb, 0xff, 0x00, 0x10, 0x20};
  EXPECT_EQ(FromBase64Url(ToBase64Url(bytes)), bytes);
  EXPECT_EQ(FromBase64(ToBase64(bytes)), bytes);
  EXPECT_EQ(ToBase64Url(bytes).find_first_of("+/="), std::string::npos);
  EXPECT_EQ(FromBase64Url(""), Bytes{});
  EXPECT_EQ(FromBase64(""), Bytes{});
  EXPECT_FALSE(FromBase64Url("not base64!").has_value());
  EXPECT_FALSE(FromBase64("@@@@").has_value());
}

}  // namespace
}  // namespace medvault::crypto
