#include "fhir/json_writer.h"

#include <gtest/gtest.h>

#include <string>

namespace medvault::fhir {
namespace {

std::string Rewrite(std::string_view json) {
  auto tree = ParseJsonTree(json, 64, 10'000);
  EXPECT_TRUE(tree) << tree.error().message;
  if (!tree) return {};
  TreeWriter writer(*tree);
  writer.Value(tree->root());
  return writer.Finish();
}

TEST(TreeWriter, EscapesWhatJsonRequiresAndCopiesTheRest) {
  EXPECT_EQ(Rewrite(R"({"a":"\u0001x\u001f","b":"\"\\","c":"\/\u00e9\u007f"})"),
            "{\"a\":\"\\u0001x\\u001F\",\"b\":\"\\\"\\\\\",\"c\":\"/\xc3\xa9\x7f\"}");
  // Long runs around escapes, at the start, the middle and the end of a string.
  const std::string run(40, 'a');
  EXPECT_EQ(Rewrite("{\"k\":\"\\n" + run + "\\\"" + run + "\\t\"}"),
            "{\"k\":\"\\n" + run + "\\\"" + run + "\\t\"}");
  EXPECT_EQ(Rewrite(R"({"empty":"","n":[1.50,-0,2E+3],"t":true,"f":false,"z":null})"),
            R"({"empty":"","n":[1.50,-0,2E+3],"t":true,"f":false,"z":null})");
}

TEST(TreeWriter, OutputParsesBackToTheSameTree) {
  const std::string json =
      R"({"a":[{"b":"\u2019\ud83d\ude00"},[],{}],"c":{"d":{"e":"x\ty\r\nz"}},"f":12345678901234567890})";
  const std::string once = Rewrite(json);
  EXPECT_EQ(Rewrite(once), once);
}

}  // namespace
}  // namespace medvault::fhir
