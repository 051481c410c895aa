// Blind-index terms: what a resource is filed under and what a query looks up must
// meet for every match the matcher would accept through the index.
#include "api/search_terms.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fhir/search.h"

namespace medvault::api {
namespace {

class SearchTermsTest : public ::testing::Test {
 protected:
  crypto::Keyring keyring_{crypto::SecretKey::Random()};

  fhir::SearchValues Dupont() {
    fhir::SearchValues v;
    v.strings.push_back({"family", "dupont laval", "Dupont-Laval"});
    v.strings.push_back({"given", "li", "Li"});
    v.tokens.push_back({"identifier", {"urn:oid:1.2.250.1.213.1.4.8", "1700512345678"}});
    v.tokens.push_back({"gender", {"", "female"}});
    v.dates.push_back({"birthdate", {0, 1}, "1970-05-12"});
    v.references.push_back({"organization", "Organization/o1"});
    return v;
  }

  // True when the query's index lookup finds the resource filed with `values`.
  bool Finds(const std::string& query, const fhir::SearchValues& values) {
    auto q = fhir::ParseSearch(fhir::ResourceType::kPatient, query);
    EXPECT_TRUE(q.has_value()) << query;
    auto filed = IndexHashes(fhir::ResourceType::kPatient, values, keyring_);
    for (const auto& c : q->criteria) {
      auto hashes = CriterionHashes(fhir::ResourceType::kPatient, c, keyring_);
      if (!hashes) continue;  // not indexable: the matcher alone decides
      bool any = std::any_of(hashes->begin(), hashes->end(), [&](int64_t h) {
        return std::find(filed.begin(), filed.end(), h) != filed.end();
      });
      if (!any) return false;
    }
    return true;
  }
};

TEST_F(SearchTermsTest, IndexedLookupsFindWhatTheyShould) {
  auto v = Dupont();
  for (const char* q :
       {"family=dup", "family=DUPONT", "family=laval", "family=dupont-laval", "given=li",
        "identifier=1700512345678", "identifier=urn:oid:1.2.250.1.213.1.4.8|1700512345678",
        "gender=female", "birthdate=1970", "birthdate=1970-05", "birthdate=1970-05-12",
        "organization=Organization/o1", "organization=o1", "family=dup,zzz"})
    EXPECT_TRUE(Finds(q, v)) << q;
}

TEST_F(SearchTermsTest, IndexedLookupsMissWhatTheyShould) {
  auto v = Dupont();
  for (const char* q : {"family=dupa", "family=zzz", "identifier=1700512345679",
                        "identifier=urn:oid:9|1700512345678", "gender=male", "birthdate=1971",
                        "birthdate=1970-05-13", "organization=o2"})
    EXPECT_FALSE(Finds(q, v)) << q;
}

TEST_F(SearchTermsTest, RangesAndSystemOnlyTokensDoNotUseTheIndex) {
  for (const char* q : {"birthdate=ge1970", "identifier=urn:oid:1.2.250.1.213.1.4.8|"}) {
    auto parsed = fhir::ParseSearch(fhir::ResourceType::kPatient, q);
    ASSERT_TRUE(parsed.has_value()) << q;
    EXPECT_FALSE(CriterionHashes(fhir::ResourceType::kPatient, parsed->criteria[0], keyring_)) << q;
  }
}

TEST_F(SearchTermsTest, ClinicalTypesAreNotIndexed) {
  EXPECT_TRUE(IndexHashes(fhir::ResourceType::kObservation, Dupont(), keyring_).empty());
  EXPECT_FALSE(IsIndexedType(fhir::ResourceType::kDocumentReference));
}

// The namesake check: a clinician's family name as a patient's is filed. Particles make
// no namesake; other words of three letters or more do alone; shorter ones together.
TEST_F(SearchTermsTest, AClinicianFamilyNameIsLookedUpAsAPatientsIsFiled) {
  auto filed_as_patient = [&](const char* family) {
    fhir::SearchValues v;
    v.strings.push_back({"family", family, family});
    return IndexHashes(fhir::ResourceType::kPatient, v, keyring_);
  };
  auto alternatives_of = [&](const char* family) {
    fhir::SearchValues clinician;
    clinician.strings.push_back({"family", family, family});
    clinician.strings.push_back({"given", "anne", "Anne"});
    return FamilyNameAsPatients(clinician, keyring_);
  };
  // Whether some alternative has all its hashes among the patient's.
  auto namesake = [&](const char* clinician_family, const char* patient_family) {
    auto filed = filed_as_patient(patient_family);
    auto alternatives = alternatives_of(clinician_family);
    return std::any_of(alternatives.begin(), alternatives.end(), [&](const auto& hashes) {
      return std::all_of(hashes.begin(), hashes.end(), [&](int64_t h) {
        return std::find(filed.begin(), filed.end(), h) != filed.end();
      });
    });
  };
  EXPECT_TRUE(namesake("le gall", "gall"));
  EXPECT_TRUE(namesake("le gall", "le gall"));
  EXPECT_TRUE(namesake("le gall", "gall martin"));
  EXPECT_FALSE(namesake("le gall", "le roux"));   // "le" alone is no namesake
  EXPECT_FALSE(namesake("le gall", "anne"));      // nor a given name
  EXPECT_FALSE(namesake("le gall", "galloway"));  // whole words, not prefixes
  EXPECT_TRUE(namesake("roy", "roy"));
  EXPECT_TRUE(namesake("roy", "le roy"));
  EXPECT_TRUE(namesake("saint martin", "martin"));  // "saint" is a particle
  EXPECT_FALSE(namesake("saint martin", "saint pierre"));
  EXPECT_TRUE(namesake("le bo", "le bo"));  // no word long enough alone: all of them
  EXPECT_FALSE(namesake("le bo", "le roux"));
  EXPECT_FALSE(namesake("le bo", "bo"));
  // Particles only: nothing to look for.
  EXPECT_TRUE(alternatives_of("le").empty());
  EXPECT_TRUE(alternatives_of("van der").empty());
  EXPECT_FALSE(namesake("van der", "van der berg"));
  // Letters, not bytes: "sève" folds to "seve" (4); "șț" keeps its characters (Latin
  // Extended-B is not folded): 4 bytes, 2 letters, too short alone.
  EXPECT_TRUE(namesake("da s\xc3\xa8ve", "seve"));
  EXPECT_FALSE(namesake("le \xc8\x99\xc8\x9b", "\xc8\x99\xc8\x9b"));
  EXPECT_TRUE(namesake("le \xc8\x99\xc8\x9b", "le \xc8\x99\xc8\x9b"));
  // A name given twice is looked for once.
  fhir::SearchValues twice;
  twice.strings.push_back({"family", "le gall", "Le Gall"});
  twice.strings.push_back({"family", "gall", "Gall"});
  EXPECT_EQ(FamilyNameAsPatients(twice, keyring_).size(), 1u);
  fhir::SearchValues nameless;
  EXPECT_TRUE(FamilyNameAsPatients(nameless, keyring_).empty());
}

// The neighbour check: a clinician's home is hashed as a patient's home is filed; only
// patients are filed under their homes, and no query reaches them.
TEST_F(SearchTermsTest, AClinicianHomeIsLookedUpAsAPatientsIsFiled) {
  fhir::SearchValues home;
  home.homes = {"12 rue des lilas|29200", "lieu dit kerleo|plouzane"};
  auto filed = IndexHashes(fhir::ResourceType::kPatient, home, keyring_);
  ASSERT_EQ(filed.size(), 2u);
  EXPECT_EQ(HomesAsPatients(home, keyring_), filed);
  fhir::SearchValues next_door;
  next_door.homes = {"14 rue des lilas|29200"};
  EXPECT_NE(HomesAsPatients(next_door, keyring_).front(), filed.front());
  EXPECT_TRUE(IndexHashes(fhir::ResourceType::kPractitioner, home, keyring_).empty());
  EXPECT_TRUE(IndexHashes(fhir::ResourceType::kOrganization, home, keyring_).empty());
  // Every other term of a patient is in a search parameter's scope, so it differs.
  auto dupont = IndexHashes(fhir::ResourceType::kPatient, Dupont(), keyring_);
  for (int64_t h : filed) EXPECT_EQ(std::ranges::count(dupont, h), 0);
  EXPECT_FALSE(fhir::ParseSearch(fhir::ResourceType::kPatient, "home=12").has_value());
}

}  // namespace
}  // namespace medvault::api
