#include "fhir/json_tree.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace medvault::fhir {
namespace {

constexpr size_t kDepth = 64;
constexpr size_t kItems = 10'000;

TEST(ParseJsonTree, KeepsDocumentOrderValuesAndNumbersAsWritten) {
  auto tree = ParseJsonTree(
      R"({"b": "\u00e9t\u00e9 \"chaud\"", "a": [1, 5.40, -0.0e+1, true, false, null],
          "c": {}})",
      kDepth, kItems);
  ASSERT_TRUE(tree) << tree.error().message;
  const JsonNode& root = tree->root();
  ASSERT_EQ(root.size, 3u);
  std::vector<std::string_view> keys;
  for (const JsonNode& member : tree->ChildrenOf(root)) keys.push_back(member.key);
  EXPECT_EQ(keys, (std::vector<std::string_view>{"b", "a", "c"}));

  const JsonNode* b = tree->Member(root, "b");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->kind, JsonKind::kString);
  EXPECT_EQ(b->text, "été \"chaud\"");

  const JsonNode* a = tree->Member(root, "a");
  ASSERT_NE(a, nullptr);
  std::vector<JsonKind> kinds;
  std::vector<std::string_view> texts;
  for (const JsonNode& item : tree->ChildrenOf(*a)) {
    kinds.push_back(item.kind);
    texts.push_back(item.text);
  }
  EXPECT_EQ(kinds, (std::vector<JsonKind>{JsonKind::kNumber, JsonKind::kNumber, JsonKind::kNumber,
                                          JsonKind::kTrue, JsonKind::kFalse, JsonKind::kNull}));
  EXPECT_EQ(texts[1], "5.40");
  EXPECT_EQ(texts[2], "-0.0e+1");
  EXPECT_EQ(tree->Member(root, "c")->size, 0u);
  EXPECT_EQ(tree->Member(root, "missing"), nullptr);
  EXPECT_EQ(tree->Member(*a, "b"), nullptr) << "Member() of an array";
}

TEST(ParseJsonTree, StringsSurviveMovingTheTree) {
  auto parsed = ParseJsonTree(R"({"k": "ab"})", kDepth, kItems);
  ASSERT_TRUE(parsed);
  JsonTree moved = std::move(*parsed);
  EXPECT_EQ(moved.Member(moved.root(), "k")->text, "ab");
}

struct BadJson {
  const char* name;
  std::string json;
};

TEST(ParseJsonTree, RefusesWhatIsNotOneJsonObject) {
  const BadJson cases[] = {
      {"empty", ""},
      {"truncated", R"({"a": 1)"},
      {"array root", "[1, 2]"},
      {"string root", R"("Patient")"},
      {"trailing object", R"({"a": 1} {})"},
      {"trailing brace", R"({"a": 1}})"},
      {"trailing word", R"({"a": 1} x)"},
      {"trailing comma", R"({"a": 1,})"},
      {"trailing comma in array", R"({"a": [1,]})"},
      {"missing colon", R"({"a" 1})"},
      {"missing comma", R"({"a": 1 "b": 2})"},
      {"leading zero", R"({"a": 01})"},
      {"bare dot", R"({"a": 1.})"},
      {"lone minus", R"({"a": -})"},
      {"leading dot", R"({"a": .5})"},
      {"bad exponent", R"({"a": 1e})"},
      {"bad literal", R"({"a": tru})"},
      {"literal with tail", R"({"a": nullx})"},
      {"unescaped tab", "{\"a\": \"x\ty\"}"},
      {"lone surrogate", R"({"a": "\ud800"})"},
      {"bad escape", R"({"a": "\q"})"},
      {"invalid UTF-8 byte", "{\"a\": \"caf\xff\"}"},
      {"overlong UTF-8", "{\"a\": \"\xc0\xaf\"}"},
      {"UTF-8 in key", "{\"\xe9t\xe9\": 1}"},
      {"duplicate key", R"({"a": 1, "a": 2})"},
      {"duplicate after unescaping", R"({"a": 1, "\u0061": 2})"},
      {"nested duplicate", R"({"a": {"x": 1, "y": 2, "x": 3}})"},
  };
  for (const BadJson& c : cases) {
    auto tree = ParseJsonTree(c.json, kDepth, kItems);
    ASSERT_FALSE(tree) << c.name;
    EXPECT_EQ(tree.error().code, ErrorCode::kInvalid) << c.name;
  }
}

TEST(ParseJsonTree, FindsDuplicatesInLargeObjects) {
  std::string json = "{";
  for (int i = 0; i < 40; ++i) json += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",";
  std::string unique = json + "\"k40\": 0}";
  std::string duplicate = json + "\"k17\": 0}";
  EXPECT_TRUE(ParseJsonTree(unique, kDepth, kItems));
  auto tree = ParseJsonTree(duplicate, kDepth, kItems);
  ASSERT_FALSE(tree);
  EXPECT_EQ(tree.error().message, "duplicate key in a JSON object");
}

std::string Nested(size_t depth) {
  // The root object is level 1; each {"a": …} adds one.
  std::string json;
  for (size_t i = 0; i < depth; ++i) json += "{\"a\":";
  json += "1";
  for (size_t i = 0; i < depth; ++i) json += "}";
  return json;
}

TEST(ParseJsonTree, LimitsNesting) {
  EXPECT_TRUE(ParseJsonTree(Nested(64), 64, kItems));
  auto too_deep = ParseJsonTree(Nested(65), 64, kItems);
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(too_deep.error().message, "JSON nesting is too deep");
  // Arrays count as levels too.
  EXPECT_FALSE(ParseJsonTree(R"({"a": [[[1]]]})", 3, kItems));
  EXPECT_TRUE(ParseJsonTree(R"({"a": [[1]]})", 3, kItems));
  // Far beyond any limit, and beyond simdjson's own: an error, never a crash.
  EXPECT_FALSE(ParseJsonTree(Nested(100'000), SIZE_MAX, kItems));
}

TEST(ParseJsonTree, LimitsArrayLength) {
  auto array_of = [](size_t n) {
    std::string json = "{\"a\": [";
    for (size_t i = 0; i < n; ++i) json += i == 0 ? "0" : ",0";
    return json + "]}";
  };
  EXPECT_TRUE(ParseJsonTree(array_of(100), 64, 100));
  auto too_long = ParseJsonTree(array_of(101), 64, 100);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(too_long.error().message, "a JSON array has more than 100 items");
}

TEST(IsJsonNumber, FollowsTheJsonGrammar) {
  for (const char* good : {"0", "-0", "5.40", "1e5", "1E+5", "-1.5e-7", "123456789012345678901"}) {
    EXPECT_TRUE(IsJsonNumber(good)) << good;
  }
  for (const char* bad : {"", "-", "01", "1.", ".5", "+1", "1e", "1e+", "0x10", "NaN", "1 "}) {
    EXPECT_FALSE(IsJsonNumber(bad)) << bad;
  }
}

}  // namespace
}  // namespace medvault::fhir
