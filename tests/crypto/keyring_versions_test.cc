// The keyring's versions: file keys beside derived ones, fingerprints that name a key
// without revealing it, and a replaceable blind-index key.
#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/keyring.h"

namespace medvault::crypto {
namespace {

SecretKey Fixed(uint8_t fill) {
  Bytes raw(kKeyBytes, fill);
  return SecretKey::FromBytes(raw);
}

TEST(KeyringVersions, FingerprintsNameKeysWithoutRevealingThem) {
  Keyring a(Fixed(1)), b(Fixed(1));
  a.AddKek(2, Fixed(7));
  b.AddKek(2, Fixed(8));
  EXPECT_EQ(*a.KekFingerprint(1), *b.KekFingerprint(1));  // derived from the same master
  EXPECT_NE(*a.KekFingerprint(2), *b.KekFingerprint(2));
  EXPECT_EQ(*a.KekFingerprint(2), FingerprintOf(Fixed(7)));
  KeyFingerprint f = FingerprintOf(Fixed(7));
  Bytes raw(kKeyBytes, 7);
  EXPECT_FALSE(std::equal(f.begin(), f.end(), raw.begin()));
  EXPECT_FALSE(a.KekFingerprint(3).has_value());  // not held, no source to ask
}

TEST(KeyringVersions, TheCurrentVersionMustBeHeldAndAddingTwiceKeepsTheFirst) {
  Keyring k(Fixed(1));
  EXPECT_EQ(k.kek_version(), 1);
  EXPECT_FALSE(k.SetKekVersion(2).has_value());
  k.AddKek(2, Fixed(7));
  k.AddKek(2, Fixed(8));  // ignored: a held version never changes
  EXPECT_EQ(*k.KekFingerprint(2), FingerprintOf(Fixed(7)));
  ASSERT_TRUE(k.SetKekVersion(2).has_value());
  EXPECT_EQ(k.kek_version(), 2);
  Keyring empty(Fixed(1), 0);
  EXPECT_FALSE(empty.HasKek(1));
  empty.AddKek(1, std::nullopt);
  EXPECT_EQ(*empty.KekFingerprint(1), *k.KekFingerprint(1));
}

TEST(KeyringVersions, ARotatedBlindIndexKeyHashesDifferently) {
  Keyring a(Fixed(1)), b(Fixed(1)), c(Fixed(1));
  b.UseBlindIndexKey(Fixed(9));
  c.UseBlindIndexKey(Fixed(9));
  EXPECT_NE(a.BlindIndex("Patient.family", "dupont"), b.BlindIndex("Patient.family", "dupont"));
  EXPECT_EQ(b.BlindIndex("Patient.family", "dupont"), c.BlindIndex("Patient.family", "dupont"));
  EXPECT_EQ(a.HashToken("tok"), b.HashToken("tok"));  // only the blind-index key changed
}

}  // namespace
}  // namespace medvault::crypto
