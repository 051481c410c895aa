#include "fhir/text_normalize.h"

#include <gtest/gtest.h>

namespace medvault::fhir {
namespace {

struct Case {
  const char* input;
  const char* normalized;
};

TEST(NormalizeForSearch, FoldsCaseAccentsAndSeparators) {
  const Case cases[] = {
      {"Dupont", "dupont"},
      {"  DUPONT  ", "dupont"},
      {"Hélène", "helene"},
      {"Françoise", "francoise"},
      {"Lefèvre-Dubœuf", "lefevre duboeuf"},
      {"d'Estaing", "d estaing"},
      {"d\xE2\x80\x99" "Estaing", "d estaing"},  // typographic apostrophe
      {"Ærøskøbing", "aeroskobing"},
      {"Straße", "strasse"},
      {"Łukasz Żółć", "lukasz zolc"},
      {"Jean--Marie   de la Fontaine", "jean marie de la fontaine"},
      {"E\xCC\x81milie", "emilie"},  // decomposed é
      {"abc\xFF" "def", "abcdef"},   // invalid byte dropped
      {"", ""},
      {"---", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(NormalizeForSearch(c.input), c.normalized) << c.input;
}

TEST(SearchWords, SplitsNormalizedText) {
  EXPECT_EQ(SearchWords("Marie-Hélène  de La Tour"),
            (std::vector<std::string>{"marie", "helene", "de", "la", "tour"}));
  EXPECT_TRUE(SearchWords(" - ").empty());
}

}  // namespace
}  // namespace medvault::fhir
