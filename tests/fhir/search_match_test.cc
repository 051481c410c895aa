// Matching as a specification: string word-prefix rules with case and accent folding,
// the four token forms, the R4 date prefixes as a truth table over ranges, references,
// _id, _lastUpdated, and the AND/OR structure.
#include <gtest/gtest.h>

#include <climits>
#include <string>

#include "common/time_format.h"
#include "fhir/search.h"
#include "fhir/text_normalize.h"

namespace medvault::fhir {
namespace {

using R = ResourceType;

const Time kLastUpdated = *ParseInstant("2024-06-01T12:00:00.000Z");

int64_t Ms(const char* instant) { return ToUnixMillis(*ParseInstant(instant)); }

SearchQuery Parse(R type, const std::string& query) {
  auto parsed = ParseSearch(type, query);
  EXPECT_TRUE(parsed) << query << ": " << parsed.error().message;
  return parsed ? *parsed : SearchQuery{};
}

StringValue Str(const char* param, const char* text) {
  return {param, NormalizeForSearch(text), text};
}

struct StringCase {
  const char* query;   // raw query value
  const char* stored;  // the resource's text
  bool matches;
};

// Runs `<name>=<query>` against a Patient whose `family` is `stored`.
template <size_t N>
void ExpectFamilyMatches(const char* name, const StringCase (&cases)[N]) {
  for (const StringCase& c : cases) {
    SCOPED_TRACE(std::string(name) + "=" + c.query + " vs " + c.stored);
    SearchValues values;
    values.strings.push_back(Str("family", c.stored));
    EXPECT_EQ(
        Matches(Parse(R::kPatient, std::string(name) + "=" + c.query), values, "p1", kLastUpdated),
        c.matches);
  }
}

// ---------------------------------------------------------------- strings

TEST(MatchString, WordPrefixesWithCaseAndAccentFolding) {
  const StringCase cases[] = {
      {"dup", "Dupont", true},
      {"Dupont", "Dupont", true},
      {"DUPONT", "dupont", true},
      {"dupond", "Dupont", false},
      {"dupontt", "Dupont", false},
      {"upont", "Dupont", false},  // not at a word start
      {"jean+ma", "Jean-Marie", true},
      {"jean+marie", "Jean Marie Dupont", true},
      {"jean%20%20marie", "Jean Marie", true},
      {"jea+marie", "Jean Marie", false},  // only the last query word is a prefix
      {"marie", "Jean-Marie", true},       // any word start
      {"arie", "Jean-Marie", false},
      {"fontaine", "de la Fontaine", true},
      {"la+font", "de la Fontaine", true},
      {"de+fontaine", "de la Fontaine", false},  // words must follow one another
      {"dupont+jean", "Jean Dupont", false},     // and keep their order
      {"helene", "Hélène", true},
      {"H%C3%89L%C3%88NE", "helene", true},
      {"lefevre", "Lefèvre-Dubœuf", true},
      {"duboeuf", "Lefèvre-Dubœuf", true},
      {"d%27estaing", "D'Estaing", true},
      {"d%E2%80%99Estaing", "d'Estaing", true},  // typographic apostrophe
      {"francois", "François", true},
      {"strasse", "Straße", true},
      {"jean+marie+dupont+x", "Jean Marie Dupont", false},
  };
  ExpectFamilyMatches("family", cases);
}

TEST(MatchString, ExactComparesTheStoredText) {
  const StringCase cases[] = {
      {"Dupont", "Dupont", true},
      {"dupont", "Dupont", false},
      {"Dup", "Dupont", false},
      {"H%C3%A9l%C3%A8ne", "Hélène", true},
      {"Helene", "Hélène", false},
      {"de+la+Fontaine", "de la Fontaine", true},
      {"Fontaine", "de la Fontaine", false},
  };
  ExpectFamilyMatches("family:exact", cases);
}

TEST(MatchString, LooksOnlyAtTheParametersOwnValues) {
  SearchValues values;
  values.strings.push_back(Str("given", "Martin"));
  EXPECT_FALSE(Matches(Parse(R::kPatient, "family=martin"), values, "p1", kLastUpdated));
  EXPECT_TRUE(Matches(Parse(R::kPatient, "given=martin"), values, "p1", kLastUpdated));
}

TEST(MatchString, AnyOfSeveralStoredValues) {
  SearchValues values;
  values.strings.push_back(Str("family", "Martin"));
  values.strings.push_back(Str("family", "Dupont"));  // e.g. a maiden name
  EXPECT_TRUE(Matches(Parse(R::kPatient, "family=dupont"), values, "p1", kLastUpdated));
  EXPECT_TRUE(Matches(Parse(R::kPatient, "family=mart"), values, "p1", kLastUpdated));
  EXPECT_FALSE(Matches(Parse(R::kPatient, "family=durand"), values, "p1", kLastUpdated));
}

// ---------------------------------------------------------------- AND / OR

TEST(MatchStructure, CommasAreOrAndRepeatsAreAnd) {
  SearchValues values;
  values.strings.push_back(Str("family", "Dupont"));
  values.strings.push_back(Str("given", "Jean"));
  values.tokens.push_back({"gender", {"", "male"}});
  struct Case {
    const char* query;
    bool matches;
  } cases[] = {
      {"", true},
      {"given=Paul,Jean", true},
      {"given=Paul,Pierre", false},
      {"family=Dupont&given=Jean", true},
      {"family=Dupont&given=Paul", false},
      {"family=Dupont&family=Jean", false},
      {"family=Dupont&family=Dup", true},
      {"family=Durand,Dupont&gender=male,female", true},
      {"family=Durand,Dupont&gender=female", false},
      {"birthdate=1970", false},  // no value for the parameter: no match
      {"birthdate=ne1970", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(Matches(Parse(R::kPatient, c.query), values, "p1", kLastUpdated), c.matches);
  }
}

// ---------------------------------------------------------------- tokens

struct TokenCase {
  const char* query;
  const char* system;
  const char* code;
  bool matches;
};

TEST(MatchToken, SystemAndCodeForms) {
  const TokenCase cases[] = {
      // code: any system
      {"123", "urn:a", "123", true},
      {"123", "", "123", true},
      {"123", "urn:a", "1234", false},
      {"male", "", "Male", false},  // codes are case-sensitive
      // system|code: both
      {"urn:a|123", "urn:a", "123", true},
      {"urn:a|123", "urn:b", "123", false},
      {"urn:a|123", "", "123", false},
      {"urn:a|123", "urn:a", "124", false},
      // |code: the code, and no system
      {"%7C123", "", "123", true},
      {"%7C123", "urn:a", "123", false},
      // system|: any code of the system
      {"urn:a|", "urn:a", "999", true},
      {"urn:a|", "urn:b", "999", false},
      {"urn:a|", "", "urn:a", false},
      // escaped separator: a code that contains '|'
      {"a%5C%7Cb", "", "a|b", true},
      {"a%5C%7Cb", "a", "b", false},
  };
  for (const TokenCase& c : cases) {
    SCOPED_TRACE(std::string(c.query) + " vs " + c.system + "|" + c.code);
    SearchValues values;
    values.tokens.push_back({"identifier", {c.system, c.code}});
    EXPECT_EQ(Matches(Parse(R::kPatient, std::string("identifier=") + c.query), values, "p1",
                      kLastUpdated),
              c.matches);
  }
}

// ---------------------------------------------------------------- dates

// The query value "2020-01" is the range S = [2020-01-01, 2020-02-01). Each row is a
// resource range T and whether each prefix matches it, per the R4 definitions.
struct DateRow {
  const char* what;
  int64_t start;
  int64_t end;
  bool eq, ne, gt, lt, ge, le, sa, eb;
};

TEST(MatchDate, R4PrefixTruthTable) {
  const int64_t jan1 = Ms("2020-01-01T00:00:00Z");
  const int64_t feb1 = Ms("2020-02-01T00:00:00Z");
  const DateRow rows[] = {
      // what                       start                        end
      //                               eq     ne     gt     lt     ge     le     sa     eb
      {"inside S", Ms("2020-01-15T00:00:00Z"), Ms("2020-01-16T00:00:00Z"), true, false, false,
       false, true, true, false, false},
      {"equal to S", jan1, feb1,  //
       true, false, false, false, true, true, false, false},
      {"first instant of S", jan1, jan1 + 1,  //
       true, false, false, false, true, true, false, false},
      {"last instant of S", feb1 - 1, feb1,  //
       true, false, false, false, true, true, false, false},
      {"entirely before S", Ms("2019-12-31T00:00:00Z"), jan1, false, true, false, true, false, true,
       false, true},
      {"well before S", Ms("2019-06-01T00:00:00Z"), Ms("2019-06-02T00:00:00Z"), false, true, false,
       true, false, true, false, true},
      {"entirely after S", feb1, Ms("2020-02-02T00:00:00Z"), false, true, true, false, true, false,
       true, false},
      {"overlaps S's start", Ms("2019-12-15T00:00:00Z"), Ms("2020-01-15T00:00:00Z"), false, true,
       false, true, false, true, false, false},
      {"overlaps S's end", Ms("2020-01-15T00:00:00Z"), Ms("2020-02-15T00:00:00Z"), false, true,
       true, false, true, false, false, false},
      {"contains S", Ms("2020-01-01T00:00:00Z"), Ms("2021-01-01T00:00:00Z"), false, true, true,
       false, true, false, false, false},
      {"contains S on both sides", Ms("2019-01-01T00:00:00Z"), Ms("2021-01-01T00:00:00Z"), false,
       true, true, true, true, true, false, false},
      {"open-ended, from before S", Ms("2019-06-01T00:00:00Z"), INT64_MAX, false, true, true, true,
       true, true, false, false},
      {"open-ended, from after S", Ms("2020-03-01T00:00:00Z"), INT64_MAX, false, true, true, false,
       true, false, true, false},
  };
  const char* prefixes[] = {"eq", "ne", "gt", "lt", "ge", "le", "sa", "eb"};
  for (const DateRow& row : rows) {
    const bool expected[] = {row.eq, row.ne, row.gt, row.lt, row.ge, row.le, row.sa, row.eb};
    SearchValues values;
    values.dates.push_back({"date", {row.start, row.end}, ""});
    for (int i = 0; i < 8; ++i) {
      SCOPED_TRACE(std::string(row.what) + ", prefix " + prefixes[i]);
      SearchQuery q = Parse(R::kObservation, std::string("date=") + prefixes[i] + "2020-01");
      EXPECT_EQ(Matches(q, values, "o1", kLastUpdated), expected[i]);
    }
  }
}

TEST(MatchDate, NoPrefixMeansEq) {
  SearchValues values;
  values.dates.push_back(
      {"birthdate", {Ms("1970-05-12T00:00:00Z"), Ms("1970-05-13T00:00:00Z")}, ""});
  const struct {
    const char* query;
    bool matches;
  } cases[] = {
      {"1970", true},
      {"1970-05", true},
      {"1970-05-12", true},
      {"1970-05-13", false},
      {"1971", false},
      {"eq1970", true},
      {"ge1970-05-12", true},
      {"gt1970-05-12", false},
      {"le1970-05-12", true},
      {"lt1970-05-12", false},
      {"ne1970-05-12", false},
      {"1970-05-12T10:00Z", false},  // a minute cannot contain a whole day
      {"lt1970-05-12T10:00Z", true},
      {"gt1970-05-12T10:00Z", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(Matches(Parse(R::kPatient, std::string("birthdate=") + c.query), values, "p1",
                      kLastUpdated),
              c.matches);
  }
}

struct RangeCase {
  const char* literal;  // as written in a query (already URL-safe)
  const char* start;
  const char* end;
};

TEST(ParseDate, ImplicitRangeFollowsThePrecision) {
  const RangeCase cases[] = {
      {"2020", "2020-01-01T00:00:00Z", "2021-01-01T00:00:00Z"},
      {"2020-02", "2020-02-01T00:00:00Z", "2020-03-01T00:00:00Z"},
      {"2020-12", "2020-12-01T00:00:00Z", "2021-01-01T00:00:00Z"},
      {"2024-02-29", "2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"},
      {"2020-01-01T10:00Z", "2020-01-01T10:00:00Z", "2020-01-01T10:01:00Z"},
      {"2020-01-01T10:00:30Z", "2020-01-01T10:00:30Z", "2020-01-01T10:00:31Z"},
      {"2020-01-01T10:00:30.5Z", "2020-01-01T10:00:30.500Z", "2020-01-01T10:00:30.600Z"},
      {"2020-01-01T10:00:30.25Z", "2020-01-01T10:00:30.250Z", "2020-01-01T10:00:30.260Z"},
      {"2020-01-01T10:00:30.123Z", "2020-01-01T10:00:30.123Z", "2020-01-01T10:00:30.124Z"},
      {"2020-01-01T10:00:30.123456Z", "2020-01-01T10:00:30.123Z", "2020-01-01T10:00:30.124Z"},
      {"2020-01-01T10:00%2B02:00", "2020-01-01T08:00:00Z", "2020-01-01T08:01:00Z"},
      {"2020-01-01T10:00-05:30", "2020-01-01T15:30:00Z", "2020-01-01T15:31:00Z"},
      {"2020-01-01T00:30%2B14:00", "2019-12-31T10:30:00Z", "2019-12-31T10:31:00Z"},
      {"2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z", "2017-01-01T00:00:01Z"},  // leap second
      {"1969-12-31", "1969-12-31T00:00:00Z", "1970-01-01T00:00:00Z"},
  };
  for (const RangeCase& c : cases) {
    SCOPED_TRACE(c.literal);
    SearchQuery q = Parse(R::kObservation, std::string("date=") + c.literal);
    ASSERT_EQ(q.criteria.size(), 1u);
    EXPECT_EQ(q.criteria[0].values[0].range.start_ms, Ms(c.start));
    EXPECT_EQ(q.criteria[0].values[0].range.end_ms, Ms(c.end));
  }
}

// ---------------------------------------------------------------- references and ids

TEST(MatchReference, ComparesTypeAndIdExactly) {
  SearchValues values;
  values.references.push_back({"patient", "Patient/p1"});
  values.references.push_back({"subject", "Patient/p1"});
  const struct {
    const char* query;
    bool matches;
  } cases[] = {
      {"patient=p1", true},         {"patient=Patient/p1", true},
      {"patient:Patient=p1", true}, {"patient=p12", false},
      {"patient=P1", false},        {"patient=p2,p1", true},
      {"subject=p1", true},         {"patient=p1&subject=p2", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(Matches(Parse(R::kObservation, c.query), values, "o1", kLastUpdated), c.matches);
  }
}

TEST(MatchId, ComparesTheLogicalId) {
  SearchValues none;
  EXPECT_TRUE(Matches(Parse(R::kPatient, "_id=a,b"), none, "b", kLastUpdated));
  EXPECT_FALSE(Matches(Parse(R::kPatient, "_id=a,b"), none, "c", kLastUpdated));
  EXPECT_FALSE(Matches(Parse(R::kPatient, "_id=a"), none, "A", kLastUpdated));
  EXPECT_FALSE(Matches(Parse(R::kPatient, "_id=a"), none, "ab", kLastUpdated));
}

TEST(MatchLastUpdated, TreatsLastUpdatedAsOneMillisecond) {
  SearchValues none;
  const struct {
    const char* query;
    bool matches;
  } cases[] = {
      {"_lastUpdated=2024-06-01", true},
      {"_lastUpdated=2024-06", true},
      {"_lastUpdated=2024-06-02", false},
      {"_lastUpdated=gt2024-05-31", true},
      {"_lastUpdated=gt2024-06-01", false},
      {"_lastUpdated=lt2024-06-01T12:00Z", false},
      {"_lastUpdated=ge2024-06-01T12:00:00.000Z", true},
      {"_lastUpdated=eq2024-06-01T12:00:00.000Z", true},
      {"_lastUpdated=gt2024-06-01T12:00:00.000Z", false},
      {"_lastUpdated=sa2024-06-01T11:59:59.999Z", true},
      {"_lastUpdated=eb2024-06-01T12:00:00.001Z", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(Matches(Parse(R::kEncounter, c.query), none, "e1", kLastUpdated), c.matches);
  }
}

// ---------------------------------------------------------------- sort values

TEST(SortValue, EarliestStartOfTheDateOrLastUpdated) {
  SearchValues values;
  values.dates.push_back({"date", {Ms("2021-03-01T00:00:00Z"), Ms("2021-04-01T00:00:00Z")}, ""});
  values.dates.push_back({"date", {Ms("2020-07-01T00:00:00Z"), INT64_MAX}, ""});
  values.dates.push_back({"other", {Ms("1999-01-01T00:00:00Z"), Ms("2000-01-01T00:00:00Z")}, ""});

  SortOrder by_date{SortKey::kDateParam, "date", false};
  EXPECT_EQ(SortValue(by_date, values, kLastUpdated), Ms("2020-07-01T00:00:00Z"));
  by_date.descending = true;  // the value is the same; only the order of results flips
  EXPECT_EQ(SortValue(by_date, values, kLastUpdated), Ms("2020-07-01T00:00:00Z"));

  SortOrder missing{SortKey::kDateParam, "recorded-date", false};
  EXPECT_EQ(SortValue(missing, values, kLastUpdated), std::nullopt);

  SortOrder by_last_updated{SortKey::kLastUpdated, "", true};
  EXPECT_EQ(SortValue(by_last_updated, values, kLastUpdated), ToUnixMillis(kLastUpdated));

  EXPECT_EQ(SortValue(SortOrder{}, values, kLastUpdated), std::nullopt);
}

TEST(SortValue, FollowsTheParsedSortKey) {
  SearchValues values;
  values.dates.push_back(
      {"onset-date", {Ms("2010-01-01T00:00:00Z"), Ms("2011-01-01T00:00:00Z")}, ""});
  values.dates.push_back(
      {"recorded-date", {Ms("2012-05-01T00:00:00Z"), Ms("2012-05-02T00:00:00Z")}, ""});
  SearchQuery q = Parse(R::kCondition, "_sort=-recorded-date");
  EXPECT_EQ(SortValue(q.sort, values, kLastUpdated), Ms("2012-05-01T00:00:00Z"));
}

}  // namespace
}  // namespace medvault::fhir
