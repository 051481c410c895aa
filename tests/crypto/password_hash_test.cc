#include "crypto/password_hash.h"

#include <gtest/gtest.h>

namespace medvault::crypto {
namespace {

// A cheap cost keeps the unit test fast; the default (OWASP) cost is checked by format.
const PasswordHashCost kCheap{1, 8 * 1024 * 1024};

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  auto hash = HashPassword("correct horse battery staple", kCheap);
  ASSERT_TRUE(hash.has_value());
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
}

TEST(PasswordHash, DefaultCostIsOwasp) {
  auto hash = HashPassword("a long enough password");
  ASSERT_TRUE(hash.has_value());
  EXPECT_NE(hash->find("$m=19456,t=2,p=1$"), std::string::npos) << *hash;
}

TEST(PasswordHash, DummyHashVerifiesNothingUsual) {
  EXPECT_TRUE(DummyPasswordHash().starts_with("$argon2id$"));
  EXPECT_FALSE(VerifyPassword(DummyPasswordHash(), ""));
  EXPECT_FALSE(VerifyPassword(DummyPasswordHash(), "password1234"));
}

}  // namespace
}  // namespace medvault::crypto
