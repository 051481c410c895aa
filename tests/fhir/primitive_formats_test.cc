#include "fhir/primitive_formats.h"

#include <gtest/gtest.h>

#include <string>

namespace medvault::fhir {
namespace {

struct FormatCase {
  Primitive primitive;
  JsonKind kind;
  std::string text;
  bool valid;
};

constexpr JsonKind S = JsonKind::kString;
constexpr JsonKind N = JsonKind::kNumber;

TEST(PrimitiveFormatError, AppliesTheR4LexicalRules) {
  const FormatCase cases[] = {
      {Primitive::kBoolean, JsonKind::kTrue, "", true},
      {Primitive::kBoolean, JsonKind::kFalse, "", true},
      {Primitive::kBoolean, S, "true", false},
      {Primitive::kBoolean, N, "1", false},
      {Primitive::kInteger, N, "-2147483648", true},
      {Primitive::kInteger, N, "2147483647", true},
      {Primitive::kInteger, N, "2147483648", false},
      {Primitive::kInteger, N, "99999999999999999999999", false},
      {Primitive::kInteger, N, "2.0", false},
      {Primitive::kInteger, N, "2e3", false},
      {Primitive::kInteger, S, "2", false},
      {Primitive::kPositiveInt, N, "1", true},
      {Primitive::kPositiveInt, N, "0", false},
      {Primitive::kPositiveInt, N, "-3", false},
      {Primitive::kUnsignedInt, N, "0", true},
      {Primitive::kUnsignedInt, N, "-1", false},
      {Primitive::kDecimal, N, "72.50", true},
      {Primitive::kDecimal, N, "-1.5e-7", true},
      {Primitive::kDecimal, S, "72.50", false},
      {Primitive::kString, S, "Lefèvre", true},
      {Primitive::kString, S, "ligne 1\nligne 2\t!", true},
      {Primitive::kString, S, "", false},
      {Primitive::kString, S, std::string("a\0b", 3), false},
      {Primitive::kString, S, "a\x1b[31m", false},
      {Primitive::kString, N, "1", false},
      {Primitive::kMarkdown, S, "**gras**", true},
      {Primitive::kCode, S, "in-progress", true},
      {Primitive::kCode, S, "a b", true},
      {Primitive::kCode, S, " male", false},
      {Primitive::kCode, S, "male ", false},
      {Primitive::kCode, S, "a  b", false},
      {Primitive::kCode, S, "a\tb", true},
      {Primitive::kId, S, "pat-1.v2", true},
      {Primitive::kId, S, std::string(64, 'a'), true},
      {Primitive::kId, S, std::string(65, 'a'), false},
      {Primitive::kId, S, "pat_1", false},
      {Primitive::kId, S, "pat/1", false},
      {Primitive::kUri, S, "http://loinc.org", true},
      {Primitive::kUri, S, "urn:oid:1.2.250.1.213.1.4.8", true},
      {Primitive::kUri, S, "http://loinc .org", false},
      {Primitive::kUrl, S, "https://example.fr/cr.pdf", true},
      {Primitive::kCanonical, S, "http://hl7.org/fhir/StructureDefinition/Patient|4.0.1", true},
      {Primitive::kCanonical, S, "http://x\n", false},
      {Primitive::kOid, S, "urn:oid:1.2.250.1.71.4.2.1", true},
      {Primitive::kOid, S, "urn:oid:3.1", false},
      {Primitive::kOid, S, "urn:oid:1.02", false},
      {Primitive::kOid, S, "urn:oid:1.", false},
      {Primitive::kOid, S, "1.2.250", false},
      {Primitive::kUuid, S, "urn:uuid:c757873d-ec9a-4326-a141-556f43239520", true},
      {Primitive::kUuid, S, "urn:uuid:C757873D-EC9A-4326-A141-556F43239520", false},
      {Primitive::kUuid, S, "c757873d-ec9a-4326-a141-556f43239520", false},
      {Primitive::kUuid, S, "urn:uuid:c757873d-ec9a-4326-a141-556f4323952", false},
      {Primitive::kDate, S, "1977-07-12", true},
      {Primitive::kDate, S, "1977", true},
      {Primitive::kDate, S, "1977-02-30", false},
      {Primitive::kDate, S, "1977-07-12T08:30:00Z", false},
      {Primitive::kDateTime, S, "1977-07-12T08:30:00+02:00", true},
      {Primitive::kDateTime, S, "1977-07", true},
      {Primitive::kDateTime, S, "1977-07-12T08:30:00", false},
      {Primitive::kInstant, S, "2024-03-01T10:05:00.123Z", true},
      {Primitive::kInstant, S, "2024-03-01", false},
      {Primitive::kTime, S, "08:30:00", true},
      {Primitive::kTime, S, "8h30", false},
      {Primitive::kBase64Binary, S, "JVBERi0xLjQK", true},
      {Primitive::kBase64Binary, S, "YQ==", true},
      {Primitive::kBase64Binary, S, "YWJj\nZGVm", true},
      {Primitive::kBase64Binary, S, "YQ=", false},
      {Primitive::kBase64Binary, S, "Y===", false},
      {Primitive::kBase64Binary, S, "YQ=a", false},
      {Primitive::kBase64Binary, S, "YW*j", false},
      {Primitive::kXhtml, S, R"(<div xmlns="http://www.w3.org/1999/xhtml"><p>Note</p></div>)",
       true},
      {Primitive::kXhtml, S, R"(<div lang="fr" xmlns="http://www.w3.org/1999/xhtml">x</div>)",
       true},
      {Primitive::kXhtml, S, "<div><p>Note</p></div>", false},
      {Primitive::kXhtml, S, "Note en clair", false},
      {Primitive::kXhtml, S, R"(<divx xmlns="http://www.w3.org/1999/xhtml">x</divx>)", false},
  };
  for (const FormatCase& c : cases) {
    auto error = PrimitiveFormatError(c.primitive, c.kind, c.text);
    EXPECT_EQ(!error.has_value(), c.valid)
        << "primitive " << static_cast<int>(c.primitive) << " text [" << c.text << "]"
        << (error ? " error: " + std::string(*error) : std::string());
  }
}

TEST(PrimitiveFormatError, MessagesNeverRepeatTheValue) {
  const std::string secret = "Kerjean-1962";
  for (Primitive primitive :
       {Primitive::kInteger, Primitive::kCode, Primitive::kId, Primitive::kOid, Primitive::kUuid,
        Primitive::kDate, Primitive::kDateTime, Primitive::kInstant, Primitive::kTime,
        Primitive::kBase64Binary, Primitive::kXhtml}) {
    auto error = PrimitiveFormatError(primitive, JsonKind::kString, " " + secret + " !");
    ASSERT_TRUE(error) << static_cast<int>(primitive);
    EXPECT_EQ(error->find("Kerjean"), std::string_view::npos) << *error;
  }
}

}  // namespace
}  // namespace medvault::fhir
