#include "crypto/aead.h"

#include <gtest/gtest.h>

namespace medvault::crypto {
namespace {

TEST(Aead, RoundTripsAndHidesPlaintext) {
  SecretKey key = SecretKey::Random();
  std::string text = "Jeanne Dupont, née le 12/05/1970";
  Bytes sealed = Seal(key, AsBytes(text), "Patient|1|1");
  EXPECT_EQ(sealed.size(), text.size() + kAeadOverhead);
  EXPECT_EQ(std::string(AsText(sealed)).find("Dupont"), std::string::npos);
  auto opened = Open(key, sealed, "Patient|1|1");
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(AsText(*opened), text);
}

TEST(Aead, SameMessageSealsDifferently) {
  SecretKey key = SecretKey::Random();
  EXPECT_NE(Seal(key, AsBytes("x"), "ad"), Seal(key, AsBytes("x"), "ad"));
}

TEST(Aead, RefusesWrongKeyWrongContextAndTampering) {
  SecretKey key = SecretKey::Random();
  Bytes sealed = Seal(key, AsBytes("note"), "DocumentReference|a|3");
  EXPECT_FALSE(Open(SecretKey::Random(), sealed, "DocumentReference|a|3").has_value());
  EXPECT_FALSE(Open(key, sealed, "DocumentReference|a|2").has_value());
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes flipped = sealed;
    flipped[i] ^= 0x01;
    EXPECT_FALSE(Open(key, flipped, "DocumentReference|a|3").has_value()) << "byte " << i;
  }
  EXPECT_FALSE(Open(key, Bytes(10), "DocumentReference|a|3").has_value());
}

}  // namespace
}  // namespace medvault::crypto
