#include "crypto/keyring.h"

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace medvault::crypto {
namespace {

SecretKey FixedMaster(uint8_t fill) {
  Bytes raw(kKeyBytes, fill);
  return SecretKey::FromBytes(raw);
}

TEST(Keyring, BlindIndexIsDeterministicPerKeyAndScope) {
  Keyring a(FixedMaster(1)), a2(FixedMaster(1)), b(FixedMaster(2));
  EXPECT_EQ(a.BlindIndex("Patient.family", "dupont"), a2.BlindIndex("Patient.family", "dupont"));
  EXPECT_NE(a.BlindIndex("Patient.family", "dupont"), b.BlindIndex("Patient.family", "dupont"));
  EXPECT_NE(a.BlindIndex("Patient.family", "dupont"), a.BlindIndex("Patient.given", "dupont"));
  // The separator keeps "ab"+"c" and "a"+"bc" apart.
  EXPECT_NE(a.BlindIndex("ab", "c"), a.BlindIndex("a", "bc"));
}

TEST(Keyring, TokenHashDependsOnTheKey) {
  Keyring a(FixedMaster(1)), b(FixedMaster(2));
  EXPECT_EQ(a.HashToken("tok"), a.HashToken("tok"));
  EXPECT_NE(a.HashToken("tok"), a.HashToken("tok2"));
  EXPECT_NE(a.HashToken("tok"), b.HashToken("tok"));
}

TEST(Keyring, PurposeKeysDifferFromEachOther) {
  Keyring a(FixedMaster(1)), b(FixedMaster(2));
  EXPECT_NE(ToHex({a.audit_key().data(), a.audit_key().size()}),
            ToHex({b.audit_key().data(), b.audit_key().size()}));
}

}  // namespace
}  // namespace medvault::crypto

namespace medvault::crypto {
namespace {

TEST(SecretKey, GuardedAndInlineKeysHoldTheSameBytesAndMoveSafely) {
  SecretKey inline_key = SecretKey::Random();
  std::string before = ToHex({inline_key.data(), inline_key.size()});
  SecretKey guarded = SecretKey::Guard(std::move(inline_key));
  EXPECT_EQ(ToHex({guarded.data(), guarded.size()}), before);
  EXPECT_EQ(ToHex({inline_key.data(), inline_key.size()}), std::string(64, '0'));  // wiped
  SecretKey moved = std::move(guarded);
  EXPECT_EQ(ToHex({moved.data(), moved.size()}), before);
  SecretKey assigned;
  assigned = std::move(moved);
  EXPECT_EQ(ToHex({assigned.data(), assigned.size()}), before);
  EXPECT_EQ(ToHex({SecretKey().data(), SecretKey::size()}), std::string(64, '0'));
}

}  // namespace
}  // namespace medvault::crypto
