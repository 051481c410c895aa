// The UTF-8 checks that client text passes before it is compared, quoted in an error,
// written into a JSON answer or recorded in an audit entry.
#include "common/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace medvault {
namespace {

TEST(Utf8, WellFormedSequencesAreValid) {
  for (const char* text :
       {"", "ascii", "é", "Léa Müller-Šťastná", "\xe2\x82\xac", "\xf0\x9f\x98\x80"})
    EXPECT_TRUE(IsValidUtf8(text)) << text;
}

TEST(Utf8, MalformedSequencesAreNot) {
  for (const char* text : {"\xff", "\xc3", "a\x80", "\xc0\xaf" /* overlong '/' */,
                           "\xe0\x80\xaf" /* overlong */, "\xed\xa0\x80" /* surrogate */,
                           "\xf4\x90\x80\x80" /* above U+10FFFF */, "\xf0\x9f\x98" /* cut */})
    EXPECT_FALSE(IsValidUtf8(text)) << text;
}

TEST(Utf8, EachByteOutsideASequenceBecomesOneReplacementCharacter) {
  EXPECT_EQ(ToValidUtf8("a\xff"
                        "b\xc3"),
            "a\uFFFD"
            "b\uFFFD");
  EXPECT_EQ(ToValidUtf8("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(ToValidUtf8("é€"), "é€");
}

TEST(Utf8, AsValidUtf8CopiesOnlyWhatMustChange) {
  std::string storage;
  std::string_view valid = "déjà vu";
  EXPECT_EQ(AsValidUtf8(valid, storage).data(), valid.data());
  EXPECT_TRUE(storage.empty());
  EXPECT_EQ(AsValidUtf8("x\xff", storage), "x\uFFFD");
  EXPECT_EQ(storage, "x\uFFFD");
}

// The username a failed login records is cut on a character boundary: cut inside one,
// it would not be UTF-8, and the audit entry would not be JSON.
TEST(Utf8, QuotableNameCutsOnACharacterBoundary) {
  std::string name(63, 'a');
  name += "é";  // bytes 64 and 65
  std::string quoted = QuotableName(name, 64);
  EXPECT_EQ(quoted, std::string(63, 'a') + "...");
  EXPECT_TRUE(IsValidUtf8(quoted));
  EXPECT_EQ(QuotableName("ok\n\x01\xff", 64), "ok???");
  EXPECT_EQ(QuotableName("Zoé", 64), "Zoé");
}

}  // namespace
}  // namespace medvault
