// The CapabilityStatement advertises exactly the search table: every resource type,
// every parameter with its definition and type, nothing more.
#include "fhir/capability_statement.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <set>
#include <string>
#include <vector>

#include "common/time_format.h"
#include "fhir/resource_type.h"
#include "fhir/search.h"

namespace medvault::fhir {
namespace {

const Time kNow = *ParseInstant("2026-11-29T03:36:17.123Z");

class CapabilityStatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json_ = CapabilityStatementJson({"https://127.0.0.1:8443/fhir", "0.1.0"}, kNow);
    ASSERT_EQ(parser_.parse(json_).get(root_), simdjson::SUCCESS) << json_;
  }

  std::string Text(const char* pointer) const { return Text(root_, pointer); }
  static std::string Text(simdjson::dom::element e, const char* pointer) {
    std::string_view value;
    EXPECT_EQ(e.at_pointer(pointer).get(value), simdjson::SUCCESS) << pointer;
    return std::string(value);
  }
  static bool Bool(simdjson::dom::element e, const char* key) {
    bool value = false;
    EXPECT_EQ(e[key].get(value), simdjson::SUCCESS) << key;
    return value;
  }

  std::string json_;
  simdjson::dom::parser parser_;
  simdjson::dom::element root_;
};

TEST_F(CapabilityStatementTest, DescribesTheServer) {
  EXPECT_EQ(Text("/resourceType"), "CapabilityStatement");
  EXPECT_EQ(Text("/status"), "active");
  EXPECT_EQ(Text("/kind"), "instance");
  EXPECT_EQ(Text("/date"), "2026-11-29T03:36:17.123Z");
  EXPECT_EQ(Text("/fhirVersion"), "4.0.1");
  EXPECT_EQ(Text("/software/name"), "medvault");
  EXPECT_EQ(Text("/software/version"), "0.1.0");
  EXPECT_EQ(Text("/implementation/url"), "https://127.0.0.1:8443/fhir");
  EXPECT_FALSE(Text("/implementation/description").empty());
  ASSERT_EQ(root_["format"].get_array().value().size(), 1u);
  EXPECT_EQ(Text("/format/0"), "json");

  ASSERT_EQ(root_["rest"].get_array().value().size(), 1u);
  EXPECT_EQ(Text("/rest/0/mode"), "server");
  EXPECT_FALSE(Bool(root_.at_pointer("/rest/0/security").value(), "cors"));
  EXPECT_NE(Text("/rest/0/security/description").find("Bearer"), std::string::npos);
  const std::string documentation = Text("/rest/0/documentation");
  for (const char* documented : {"_count", "_offset", "_sort"})
    EXPECT_NE(documentation.find(documented), std::string::npos) << documented;
}

// The served types in order, then the read-only audit trail.
TEST_F(CapabilityStatementTest, ListsEveryResourceTypeInOrder) {
  simdjson::dom::array resources = root_.at_pointer("/rest/0/resource").get_array().value();
  ASSERT_EQ(resources.size(), kAllResourceTypes.size() + 1);
  size_t i = 0;
  for (simdjson::dom::element resource : resources) {
    if (i == kAllResourceTypes.size()) {
      EXPECT_EQ(Text(resource, "/type"), "AuditEvent");
      break;
    }
    EXPECT_EQ(Text(resource, "/type"), NameOf(kAllResourceTypes[i++]));
  }
}

TEST_F(CapabilityStatementTest, AuditEventIsReadAndSearchOnly) {
  simdjson::dom::element audit =
      root_.at_pointer("/rest/0/resource").get_array().value().at(kAllResourceTypes.size());
  std::vector<std::string> codes, params;
  for (simdjson::dom::element interaction : audit["interaction"].get_array())
    codes.push_back(Text(interaction, "/code"));
  for (simdjson::dom::element param : audit["searchParam"].get_array())
    params.push_back(Text(param, "/name"));
  EXPECT_EQ(codes, (std::vector<std::string>{"read", "search-type"}));
  EXPECT_EQ(params,
            (std::vector<std::string>{"patient", "agent", "agent-name", "date", "outcome"}));
  EXPECT_NE(Text(audit, "/supportedProfile/0").find("IHE.BasicAudit.PatientRead"),
            std::string::npos);
}

TEST_F(CapabilityStatementTest, EveryTypeHasTheSameInteractionsAndVersioning) {
  const std::vector<std::string> expected = {
      "read", "vread", "update", "delete", "history-instance", "create", "search-type"};
  simdjson::dom::array resources = root_.at_pointer("/rest/0/resource").get_array().value();
  for (size_t i = 0; i < kAllResourceTypes.size(); ++i) {
    simdjson::dom::element resource = resources.at(i).value();
    SCOPED_TRACE(Text(resource, "/type"));
    std::vector<std::string> codes;
    for (simdjson::dom::element interaction : resource["interaction"].get_array())
      codes.push_back(Text(interaction, "/code"));
    EXPECT_EQ(codes, expected);
    EXPECT_EQ(Text(resource, "/versioning"), "versioned-update");
    EXPECT_TRUE(Bool(resource, "readHistory"));
    EXPECT_FALSE(Bool(resource, "updateCreate"));
    EXPECT_FALSE(Bool(resource, "conditionalCreate"));
    EXPECT_FALSE(Bool(resource, "conditionalUpdate"));
    EXPECT_EQ(Text(resource, "/conditionalRead"), "not-supported");
    EXPECT_EQ(Text(resource, "/conditionalDelete"), "not-supported");
  }
}

TEST_F(CapabilityStatementTest, SearchParamsAreExactlyTheTable) {
  simdjson::dom::array resources = root_.at_pointer("/rest/0/resource").get_array().value();
  for (size_t i = 0; i < kAllResourceTypes.size(); ++i) {
    simdjson::dom::element resource = resources.at(i).value();
    const ResourceType type = kAllResourceTypes[i];
    SCOPED_TRACE(NameOf(type));
    std::span<const SearchParamDef> table = SearchParamsOf(type);
    simdjson::dom::array params = resource["searchParam"].get_array().value();
    ASSERT_EQ(params.size(), table.size());
    size_t k = 0;
    for (simdjson::dom::element param : params) {
      const SearchParamDef& def = table[k++];
      EXPECT_EQ(Text(param, "/name"), def.name);
      EXPECT_EQ(Text(param, "/definition"), def.definition);
      EXPECT_EQ(Text(param, "/documentation"), def.description);
      const char* type_code = def.kind == ParamKind::kString      ? "string"
                              : def.kind == ParamKind::kReference ? "reference"
                              : def.kind == ParamKind::kDate || def.kind == ParamKind::kLastUpdated
                                  ? "date"
                                  : "token";
      EXPECT_EQ(Text(param, "/type"), type_code) << def.name;
    }
  }
}

TEST_F(CapabilityStatementTest, DefinitionsUseR4CanonicalUrls) {
  // Spot checks against the R4 registry, including parameters R4 shares between types.
  const struct {
    size_t resource;
    const char* name;
    const char* definition;
  } cases[] = {
      {0, "_id", "http://hl7.org/fhir/SearchParameter/Resource-id"},
      {0, "_lastUpdated", "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated"},
      {0, "family", "http://hl7.org/fhir/SearchParameter/individual-family"},
      {0, "birthdate", "http://hl7.org/fhir/SearchParameter/individual-birthdate"},
      {0, "identifier", "http://hl7.org/fhir/SearchParameter/Patient-identifier"},
      {5, "patient", "http://hl7.org/fhir/SearchParameter/clinical-patient"},
      {5, "code", "http://hl7.org/fhir/SearchParameter/clinical-code"},
      {8, "status", "http://hl7.org/fhir/SearchParameter/medications-status"},
      {9, "date", "http://hl7.org/fhir/SearchParameter/DocumentReference-date"},
  };
  simdjson::dom::array resources = root_.at_pointer("/rest/0/resource").get_array().value();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    bool found = false;
    for (simdjson::dom::element param : resources.at(c.resource)["searchParam"].get_array()) {
      if (Text(param, "/name") != c.name) continue;
      EXPECT_EQ(Text(param, "/definition"), c.definition);
      found = true;
    }
    EXPECT_TRUE(found);
  }
}

TEST(CapabilityStatement, EscapesTheServerDescription) {
  std::string json = CapabilityStatementJson({"https://h/\"fhir\"", "1.0 \"beta\""}, kNow);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  ASSERT_EQ(parser.parse(json).get(root), simdjson::SUCCESS);
  std::string_view url;
  ASSERT_EQ(root.at_pointer("/implementation/url").get(url), simdjson::SUCCESS);
  EXPECT_EQ(url, "https://h/\"fhir\"");
}

}  // namespace
}  // namespace medvault::fhir
