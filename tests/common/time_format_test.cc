#include "common/time_format.h"

#include <gtest/gtest.h>

namespace medvault {
namespace {

TEST(TimeFormat, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatInstant(FromUnixMillis(0)), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatInstant(FromUnixMillis(1795923377123)), "2026-11-29T03:36:17.123Z");
}

TEST(TimeFormat, ParsesWhatItFormats) {
  Time t = FromUnixMillis(1795923377123);
  EXPECT_EQ(ParseInstant(FormatInstant(t)), t);
}

TEST(TimeFormat, ParsesOffsets) {
  EXPECT_EQ(ParseInstant("2026-11-29T04:36:17+01:00"), ParseInstant("2026-11-29T03:36:17Z"));
  EXPECT_EQ(ParseInstant("2026-11-29T03:36:17.5Z"), FromUnixMillis(1795923377500));
}

TEST(TimeFormat, RefusesMalformedInstants) {
  for (const char* bad : {"", "2026-11-29", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
                          "2026-11-29T03:36:17", "2026-11-29T25:00:00Z",
                          "2026-11-29T03:36:17.Z", "2026-11-29T03:36:17Zjunk",
                          "2026-11-29T03:36:17+1:00"}) {
    EXPECT_FALSE(ParseInstant(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace medvault
