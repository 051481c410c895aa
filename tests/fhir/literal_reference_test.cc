#include "fhir/literal_reference.h"

#include <gtest/gtest.h>

namespace medvault::fhir {
namespace {

TEST(ParseLiteralReference, ReadsRelativeReferences) {
  auto plain = ParseLiteralReference("Patient/pat-lefevre");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->type, "Patient");
  EXPECT_EQ(plain->id, "pat-lefevre");
  EXPECT_EQ(plain->version, "");
  EXPECT_EQ(plain->Target(), "Patient/pat-lefevre");

  auto versioned = ParseLiteralReference("Observation/o.1/_history/3");
  ASSERT_TRUE(versioned);
  EXPECT_EQ(versioned->version, "3");
  EXPECT_EQ(versioned->Target(), "Observation/o.1");
}

TEST(ParseLiteralReference, ReadsUrnUuids) {
  auto urn = ParseLiteralReference("urn:uuid:c757873d-ec9a-4326-a141-556f43239520");
  ASSERT_TRUE(urn);
  EXPECT_TRUE(urn->is_urn_uuid());
  EXPECT_EQ(urn->Target(), "urn:uuid:c757873d-ec9a-4326-a141-556f43239520");
}

TEST(ParseLiteralReference, RefusesEverythingElse) {
  for (const char* bad :
       {"", "Patient", "Patient/", "/Patient/1", "patient/1", "Patient/1/", "Patient/1/_history",
        "Patient/1/_history/", "Patient/1/_history/2/x", "Patient/1/history/2", "Patient/a b",
        "Patient/1/2", "http://example.org/fhir/Patient/1", "#contained", "urn:oid:1.2.3",
        "urn:uuid:C757873D-EC9A-4326-A141-556F43239520", "Pat1ent/1"}) {
    EXPECT_FALSE(ParseLiteralReference(bad)) << bad;
  }
}

}  // namespace
}  // namespace medvault::fhir
