#include "common/random.h"

#include <gtest/gtest.h>

#include <set>

namespace medvault {
namespace {

TEST(Random, UuidsAreVersion4AndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuid();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '4');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(Random, IsUuidRefusesOtherShapes) {
  EXPECT_FALSE(IsUuid(""));
  EXPECT_FALSE(IsUuid("123"));
  EXPECT_FALSE(IsUuid("0123456789abcdef0123456789abcdef0123"));
  EXPECT_FALSE(IsUuid("01234567-89ab-cdef-0123-456789abcdeg"));
}

}  // namespace
}  // namespace medvault
