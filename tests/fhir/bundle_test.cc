// Bundles and OperationOutcomes, read back with simdjson: the structure FHIR clients
// rely on (type, total, links, entries, history request/response), no empty arrays,
// and valid JSON whatever the strings hold.
#include "fhir/bundle.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "common/random.h"
#include "common/time_format.h"

namespace medvault::fhir {
namespace {

const Time kNow = *ParseInstant("2026-11-29T03:36:17.123Z");

// Parses `json`, failing the test when it is not valid JSON.
simdjson::dom::element ParseJson(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element root;
  auto error = parser.parse(json).get(root);
  EXPECT_EQ(error, simdjson::SUCCESS) << simdjson::error_message(error) << "\n" << json;
  return root;
}

std::string Text(simdjson::dom::element e, const char* pointer) {
  std::string_view value;
  auto error = e.at_pointer(pointer).get(value);
  EXPECT_EQ(error, simdjson::SUCCESS) << pointer;
  return std::string(value);
}

bool Has(simdjson::dom::element e, const char* pointer) {
  return e.at_pointer(pointer).error() == simdjson::SUCCESS;
}

std::vector<SearchEntry> TwoPatients() {
  return {
      {"https://h/fhir/Patient/p1", R"({"resourceType":"Patient","id":"p1"})", "match"},
      {"https://h/fhir/Patient/p2",
       R"({"resourceType":"Patient","id":"p2","name":[{"family":"Dupont"}]})", "match"},
  };
}

TEST(SearchsetBundle, HasTypeTotalLinksAndEntries) {
  BundleLinks links{"https://h/fhir/Patient?family=Dupont&_count=2&_offset=0",
                    "https://h/fhir/Patient?family=Dupont&_count=2&_offset=2", ""};
  std::string json = SearchsetBundle(42, TwoPatients(), links, kNow);
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, json);

  EXPECT_EQ(Text(root, "/resourceType"), "Bundle");
  EXPECT_EQ(Text(root, "/type"), "searchset");
  EXPECT_TRUE(IsUuid(Text(root, "/id")));
  EXPECT_EQ(Text(root, "/meta/lastUpdated"), "2026-11-29T03:36:17.123Z");
  EXPECT_EQ(root.at_pointer("/total").get_int64().value(), 42);

  simdjson::dom::array link = root["link"].get_array().value();
  ASSERT_EQ(link.size(), 2u);  // no "previous" on the first page
  EXPECT_EQ(Text(root, "/link/0/relation"), "self");
  EXPECT_EQ(Text(root, "/link/0/url"), links.self);
  EXPECT_EQ(Text(root, "/link/1/relation"), "next");
  EXPECT_EQ(Text(root, "/link/1/url"), links.next);

  simdjson::dom::array entry = root["entry"].get_array().value();
  ASSERT_EQ(entry.size(), 2u);
  EXPECT_EQ(Text(root, "/entry/0/fullUrl"), "https://h/fhir/Patient/p1");
  EXPECT_EQ(Text(root, "/entry/0/resource/resourceType"), "Patient");
  EXPECT_EQ(Text(root, "/entry/0/resource/id"), "p1");
  EXPECT_EQ(Text(root, "/entry/0/search/mode"), "match");
  EXPECT_EQ(Text(root, "/entry/1/resource/name/0/family"), "Dupont");
}

TEST(SearchsetBundle, WritesEveryLinkThatIsSet) {
  BundleLinks links{"https://h/s", "https://h/n", "https://h/p"};
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, SearchsetBundle(9, TwoPatients(), links, kNow));
  ASSERT_EQ(root["link"].get_array().value().size(), 3u);
  EXPECT_EQ(Text(root, "/link/2/relation"), "previous");
  EXPECT_EQ(Text(root, "/link/2/url"), "https://h/p");
}

TEST(SearchsetBundle, EmptyResultHasNoEmptyArrays) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, SearchsetBundle(0, {}, BundleLinks{}, kNow));
  EXPECT_EQ(root.at_pointer("/total").get_int64().value(), 0);
  EXPECT_FALSE(Has(root, "/entry"));  // FHIR JSON forbids empty arrays
  EXPECT_FALSE(Has(root, "/link"));

  auto with_self =
      ParseJson(parser, SearchsetBundle(0, {}, BundleLinks{"https://h/s", "", ""}, kNow));
  EXPECT_EQ(with_self["link"].get_array().value().size(), 1u);
  EXPECT_FALSE(Has(with_self, "/entry"));
}

TEST(SearchsetBundle, KeepsEntryModes) {
  std::vector<SearchEntry> entries = TwoPatients();
  entries[1].mode = "include";
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, SearchsetBundle(1, entries, BundleLinks{}, kNow));
  EXPECT_EQ(Text(root, "/entry/0/search/mode"), "match");
  EXPECT_EQ(Text(root, "/entry/1/search/mode"), "include");
}

TEST(SearchsetBundle, EachBundleGetsItsOwnId) {
  simdjson::dom::parser parser;
  std::string a = Text(ParseJson(parser, SearchsetBundle(0, {}, {}, kNow)), "/id");
  std::string b = Text(ParseJson(parser, SearchsetBundle(0, {}, {}, kNow)), "/id");
  EXPECT_NE(a, b);
}

TEST(SearchsetBundle, StaysValidJsonWithAwkwardStrings) {
  BundleLinks links{"https://h/fhir/Patient?family=\"x\"\\y\n", "bad \xC3 utf8", ""};
  std::vector<SearchEntry> entries = {
      {"https://h/\"quoted\"", R"({"resourceType":"Patient","id":"p1"})", "match"}};
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, SearchsetBundle(1, entries, links, kNow));
  EXPECT_EQ(Text(root, "/link/0/url"), links.self);
  EXPECT_EQ(Text(root, "/link/1/url"), "bad \xEF\xBF\xBD utf8");  // U+FFFD
  EXPECT_EQ(Text(root, "/entry/0/fullUrl"), "https://h/\"quoted\"");
}

TEST(HistoryBundle, HasRequestAndResponsePerVersion) {
  std::vector<HistoryEntry> entries = {
      {"https://h/fhir/Patient/p1", "", "DELETE", "Patient/p1", 3, "2026-11-29T03:00:00.000Z",
       "204 No Content"},
      {"https://h/fhir/Patient/p1",
       R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"2"}})", "PUT", "Patient/p1", 2,
       "2026-11-28T03:00:00.000Z", "200 OK"},
      {"https://h/fhir/Patient/p1",
       R"({"resourceType":"Patient","id":"p1","meta":{"versionId":"1"}})", "POST", "Patient", 1,
       "2026-11-27T03:00:00.000Z", "201 Created"},
  };
  BundleLinks links{"https://h/fhir/Patient/p1/_history", "", ""};
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, HistoryBundle(3, entries, links, kNow));

  EXPECT_EQ(Text(root, "/resourceType"), "Bundle");
  EXPECT_EQ(Text(root, "/type"), "history");
  EXPECT_TRUE(IsUuid(Text(root, "/id")));
  EXPECT_EQ(root.at_pointer("/total").get_int64().value(), 3);
  EXPECT_EQ(Text(root, "/link/0/relation"), "self");
  ASSERT_EQ(root["entry"].get_array().value().size(), 3u);

  // A deletion: no resource, but its request and response.
  EXPECT_FALSE(Has(root, "/entry/0/resource"));
  EXPECT_EQ(Text(root, "/entry/0/fullUrl"), "https://h/fhir/Patient/p1");
  EXPECT_EQ(Text(root, "/entry/0/request/method"), "DELETE");
  EXPECT_EQ(Text(root, "/entry/0/request/url"), "Patient/p1");
  EXPECT_EQ(Text(root, "/entry/0/response/status"), "204 No Content");
  EXPECT_EQ(Text(root, "/entry/0/response/etag"), "W/\"3\"");
  EXPECT_EQ(Text(root, "/entry/0/response/lastModified"), "2026-11-29T03:00:00.000Z");

  EXPECT_EQ(Text(root, "/entry/1/resource/meta/versionId"), "2");
  EXPECT_EQ(Text(root, "/entry/1/request/method"), "PUT");
  EXPECT_EQ(Text(root, "/entry/1/response/etag"), "W/\"2\"");
  EXPECT_EQ(Text(root, "/entry/2/request/method"), "POST");
  EXPECT_EQ(Text(root, "/entry/2/request/url"), "Patient");
  EXPECT_EQ(Text(root, "/entry/2/response/status"), "201 Created");
  EXPECT_FALSE(Has(root, "/entry/0/search"));
}

TEST(HistoryBundle, EmptyHistoryHasNoEntryArray) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, HistoryBundle(0, {}, BundleLinks{}, kNow));
  EXPECT_EQ(Text(root, "/type"), "history");
  EXPECT_FALSE(Has(root, "/entry"));
}

TEST(OperationOutcome, IssueCodeFollowsTheErrorCode) {
  const struct {
    ErrorCode code;
    const char* issue;
  } cases[] = {
      {ErrorCode::kInvalid, "invalid"},
      {ErrorCode::kUnauthenticated, "login"},
      {ErrorCode::kForbidden, "forbidden"},
      {ErrorCode::kNotFound, "not-found"},
      {ErrorCode::kMethodNotAllowed, "not-supported"},
      {ErrorCode::kConflict, "conflict"},
      {ErrorCode::kGone, "deleted"},
      {ErrorCode::kPreconditionFailed, "conflict"},
      {ErrorCode::kPayloadTooLarge, "too-long"},
      {ErrorCode::kUnsupportedMediaType, "not-supported"},
      {ErrorCode::kUnprocessable, "processing"},
      {ErrorCode::kTooManyRequests, "throttled"},
      {ErrorCode::kUnavailable, "transient"},
      {ErrorCode::kInternal, "exception"},
  };
  simdjson::dom::parser parser;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.issue);
    auto root = ParseJson(parser, OperationOutcomeJson(Error{c.code, "what went wrong", ""}));
    EXPECT_EQ(Text(root, "/resourceType"), "OperationOutcome");
    ASSERT_EQ(root["issue"].get_array().value().size(), 1u);
    EXPECT_EQ(Text(root, "/issue/0/severity"), "error");
    EXPECT_EQ(Text(root, "/issue/0/code"), c.issue);
    EXPECT_EQ(Text(root, "/issue/0/diagnostics"), "what went wrong");
    EXPECT_FALSE(Has(root, "/issue/0/expression"));
  }
}

TEST(OperationOutcome, CarriesTheExpressionWhenThereIsOne) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, OperationOutcomeJson(Error{ErrorCode::kUnprocessable,
                                                           "bad date \"x\"", "Patient.birthDate"}));
  EXPECT_EQ(Text(root, "/issue/0/code"), "processing");
  EXPECT_EQ(Text(root, "/issue/0/diagnostics"), "bad date \"x\"");
  ASSERT_EQ(root.at_pointer("/issue/0/expression").get_array().value().size(), 1u);
  EXPECT_EQ(Text(root, "/issue/0/expression/0"), "Patient.birthDate");
}

TEST(OperationOutcome, InformationOutcome) {
  simdjson::dom::parser parser;
  auto root = ParseJson(parser, InformationOutcomeJson("Patient/p1 deleted"));
  EXPECT_EQ(Text(root, "/resourceType"), "OperationOutcome");
  EXPECT_EQ(Text(root, "/issue/0/severity"), "information");
  EXPECT_EQ(Text(root, "/issue/0/code"), "informational");
  EXPECT_EQ(Text(root, "/issue/0/diagnostics"), "Patient/p1 deleted");
}

}  // namespace
}  // namespace medvault::fhir
