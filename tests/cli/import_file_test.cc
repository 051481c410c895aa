// ImportFile over content in memory: the format it finds and the items it hands on.
#include "cli/import_file.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <sstream>

namespace medvault::cli {
namespace {

std::vector<ImportItem> ReadAll(const std::string& content) {
  auto file = ImportFile::Read("test.json", std::make_unique<std::istringstream>(content));
  EXPECT_TRUE(file) << (file ? "" : file.error().message);
  if (!file) return {};
  std::vector<ImportItem> items;
  for (;;) {
    auto batch = (*file)->Next(10);
    EXPECT_TRUE(batch);
    if (!batch || batch->empty()) return items;
    for (ImportItem& item : *batch) items.push_back(std::move(item));
  }
}

std::string IdOf(const std::string& json) {
  simdjson::dom::parser parser;
  std::string_view id;
  if (parser.parse(json)["id"].get(id) != simdjson::SUCCESS) return "(none)";
  return std::string(id);
}

TEST(ImportFileTest, NdjsonItemsAreTheNonBlankLinesInOrder) {
  auto items =
      ReadAll("\n{\"resourceType\":\"Patient\"}\n  \r\n{\"resourceType\":\"Organization\"}\n");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].json, "{\"resourceType\":\"Patient\"}");
  EXPECT_EQ(items[0].where, "test.json:2");
  EXPECT_EQ(items[1].json, "{\"resourceType\":\"Organization\"}");
  EXPECT_EQ(items[1].where, "test.json:4");
}

// Found by fuzz/import_file_fuzzer: the id of an entry known only by its fullUrl was
// inserted at the entry's first comma, which can be inside a string.
TEST(ImportFileTest, AnEntryWithACommaInItsFirstValueTakesItsUuidAsId) {
  auto items =
      ReadAll(R"({"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:b2",)"
              R"("resource":{"name":[{"text":"Martin, Paul"}],"resourceType":"Patient"}}]})");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(IdOf(items[0].json), "b2");
  simdjson::dom::parser parser;
  std::string_view text;
  ASSERT_EQ(parser.parse(items[0].json).at_pointer("/name/0/text").get(text), simdjson::SUCCESS);
  EXPECT_EQ(text, "Martin, Paul");
}

TEST(ImportFileTest, AnEntryWithOneMemberTakesItsUuidAsId) {
  auto items =
      ReadAll(R"({"resourceType":"Bundle","type":"batch","entry":[{"fullUrl":"urn:uuid:x-1",)"
              R"("resource":{"resourceType":"Patient"}}]})");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(IdOf(items[0].json), "x-1");
}

// The uuid went into the entry's text unescaped: a fullUrl could add members.
TEST(ImportFileTest, AFullUrlThatIsNotAnIdIsRefusedRatherThanPastedIntoTheEntry) {
  auto file = ImportFile::Read(
      "test.json",
      std::make_unique<std::istringstream>(
          R"({"resourceType":"Bundle","type":"batch","entry":[{"fullUrl":"urn:uuid:x\",\"gender\":\"male",)"
          R"("resource":{"resourceType":"Patient"}}]})"));
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("entry 1"), std::string::npos);
}

// Found by fuzz/import_file_fuzzer: the resource type of an entry with a urn:uuid
// fullUrl went, decoded, into the references to it in other entries' text: a type
// written with an escape (\t, \") became a raw tab or a quote there, and the entry was
// no longer JSON (or gained members). A type that is none of FHIR's is not mapped (its
// entry is refused at validation); a fullUrl uuid that is not an id is refused even on
// an entry that has an id.
TEST(ImportFileTest, OnlyAKnownTypeAndAnIdGoIntoRewrittenReferences) {
  auto items = ReadAll(
      R"({"resourceType":"Bundle","type":"batch","entry":[)"
      R"({"fullUrl":"urn:uuid:a1","resource":{"resourceType":"Pat\tient\",\"x\":\"1"}},)"
      R"({"resource":{"resourceType":"Observation","subject":{"reference":"urn:uuid:a1"}}}]})");
  ASSERT_EQ(items.size(), 2u);
  for (const ImportItem& item : items) {
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    EXPECT_EQ(parser.parse(item.json).get(object), simdjson::SUCCESS) << item.json;
  }
  EXPECT_NE(items[1].json.find(R"("reference":"urn:uuid:a1")"), std::string::npos);

  auto file = ImportFile::Read(
      "test.json", std::make_unique<std::istringstream>(
                       R"({"resourceType":"Bundle","type":"batch","entry":[{"fullUrl":)"
                       R"("urn:uuid:a b","resource":{"resourceType":"Patient","id":"p"}}]})"));
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("not a valid id"), std::string::npos);
}

TEST(ImportFileTest, UrnReferencesBecomeRelativeReferences) {
  auto items = ReadAll(R"({"resourceType":"Bundle","type":"transaction","entry":[)"
                       R"({"fullUrl":"urn:uuid:p1","resource":{"resourceType":"Patient"}},)"
                       R"({"fullUrl":"urn:uuid:o1","resource":{"resourceType":"Observation",)"
                       R"("subject":{"reference":"urn:uuid:p1"}}}]})");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_NE(items[1].json.find(R"("reference":"Patient/p1")"), std::string::npos);
  EXPECT_EQ(IdOf(items[1].json), "o1");
}

}  // namespace
}  // namespace medvault::cli
