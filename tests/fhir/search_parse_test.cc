// The search grammar as a specification: every accepted form with its canonical
// re-encoding, and every rejected form with its error.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "fhir/search.h"

namespace medvault::fhir {
namespace {

using R = ResourceType;

// ---------------------------------------------------------------- accepted forms

struct Accepted {
  R type;
  const char* query;
  const char* canonical;
};

TEST(ParseSearch, AcceptsEveryFormAndReencodesItCanonically) {
  const Accepted cases[] = {
      {R::kPatient, "", ""},
      // strings
      {R::kPatient, "family=Dupont", "family=Dupont"},
      {R::kPatient, "family=Dup%C3%B4nt", "family=Dup%C3%B4nt"},
      {R::kPatient, "family=de+la+Fontaine", "family=de%20la%20Fontaine"},
      {R::kPatient, "family=de%20la%20Fontaine", "family=de%20la%20Fontaine"},
      {R::kPatient, "family:exact=Dupont", "family:exact=Dupont"},
      {R::kPatient, "given=Marie,Jean", "given=Jean,Marie"},
      {R::kPatient, "given=Jean,Jean", "given=Jean"},
      {R::kPatient, "given=a%5C%2Cb", "given=a%5C%2Cb"},        // "a\,b": one value "a,b"
      {R::kPatient, "name=O%5C%5CBrien", "name=O%5C%5CBrien"},  // "O\\Brien"
      {R::kPatient, "given=Jean&family=Dupont", "family=Dupont&given=Jean"},
      {R::kPatient, "family=B&family=A", "family=A&family=B"},
      {R::kPatient, "family=A&family=A", "family=A"},
      {R::kPractitioner, "name=Martin", "name=Martin"},
      {R::kOrganization, "name=Cabinet+du+Parc", "name=Cabinet%20du%20Parc"},
      // tokens
      {R::kPatient, "gender=female", "gender=female"},
      {R::kPatient, "identifier=urn:oid:1.2.250.1.213.1.4.8|1234",
       "identifier=urn%3Aoid%3A1.2.250.1.213.1.4.8%7C1234"},
      {R::kPatient, "identifier=%7C1234", "identifier=%7C1234"},
      {R::kPatient, "identifier=urn:oid:1.2|", "identifier=urn%3Aoid%3A1.2%7C"},
      {R::kPatient, "identifier=a%5C%7Cb", "identifier=a%5C%7Cb"},  // "a\|b": code "a|b"
      {R::kObservation, "code=http://loinc.org|8867-4", "code=http%3A%2F%2Floinc.org%7C8867-4"},
      {R::kCondition, "clinical-status=active,recurrence", "clinical-status=active,recurrence"},
      {R::kDocumentReference, "type=http://loinc.org|34133-9",
       "type=http%3A%2F%2Floinc.org%7C34133-9"},
      // dates
      {R::kPatient, "birthdate=1970", "birthdate=1970"},
      {R::kPatient, "birthdate=eq1970-05", "birthdate=1970-05"},
      {R::kPatient, "birthdate=ge1970-05-12", "birthdate=ge1970-05-12"},
      {R::kObservation, "date=lt2020-01-01T10:00Z", "date=lt2020-01-01T10%3A00Z"},
      {R::kObservation, "date=sa2020-01-01T10:00:00.5%2B02:00",
       "date=sa2020-01-01T10%3A00%3A00.5%2B02%3A00"},
      {R::kObservation, "date=ne2020&date=eb2021-06-30", "date=eb2021-06-30&date=ne2020"},
      {R::kObservation, "date=gt2020,le2019", "date=gt2020,le2019"},
      {R::kCondition, "onset-date=2020-02-29", "onset-date=2020-02-29"},
      {R::kMedicationRequest, "authoredon=2024-03", "authoredon=2024-03"},
      // references
      {R::kPatient, "organization=Organization/abc-123", "organization=Organization/abc-123"},
      {R::kPatient, "organization=abc-123", "organization=Organization/abc-123"},
      {R::kPatient, "organization:Organization=o.1", "organization=Organization/o.1"},
      {R::kObservation, "patient=Patient/p1", "patient=Patient/p1"},
      {R::kObservation, "patient=p1", "patient=Patient/p1"},
      {R::kObservation, "patient:Patient=p1", "patient=Patient/p1"},
      {R::kObservation, "subject:Patient=Patient/p1", "subject=Patient/p1"},
      {R::kObservation, "subject=Patient%2Fp1,p2", "subject=Patient/p1,Patient/p2"},
      {R::kAllergyIntolerance, "patient=p1", "patient=Patient/p1"},
      // _id and _lastUpdated
      {R::kPatient, "_id=b,a", "_id=a,b"},
      {R::kEncounter, "_lastUpdated=gt2024-01-01", "_lastUpdated=gt2024-01-01"},
      // result parameters: not criteria; _sort is part of the canonical query
      {R::kPatient, "_count=1", ""},
      {R::kPatient, "_count=100&_offset=40", ""},
      {R::kPatient, "_offset=0", ""},
      {R::kPatient, "_format=json", ""},
      {R::kPatient, "_format=application/fhir%2Bjson", ""},
      {R::kPatient, "_format=application/fhir+json", ""},
      {R::kPatient, "_sort=birthdate&family=Dupont", "family=Dupont&_sort=birthdate"},
      {R::kPatient, "_sort=-_lastUpdated", "_sort=-_lastUpdated"},
      {R::kCondition, "_sort=-recorded-date", "_sort=-recorded-date"},
      {R::kEncounter, "status=finished&_count=5&_sort=date&_offset=10",
       "status=finished&_sort=date"},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(std::string(NameOf(c.type)) + "?" + c.query);
    auto parsed = ParseSearch(c.type, c.query);
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_EQ(parsed->type, c.type);
    EXPECT_EQ(parsed->canonical_query, c.canonical);
    // Stability: the canonical query parses back to itself.
    auto reparsed = ParseSearch(c.type, parsed->canonical_query);
    ASSERT_TRUE(reparsed) << reparsed.error().message;
    EXPECT_EQ(reparsed->canonical_query, parsed->canonical_query);
    EXPECT_EQ(reparsed->criteria.size(), parsed->criteria.size());
  }
}

TEST(ParseSearch, StringValuesKeepTheTextAndItsNormalizedForm) {
  auto q = ParseSearch(R::kPatient, "family=L%C3%A9f%C3%A8vre-Dub%C5%93uf");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->criteria.size(), 1u);
  const Criterion& c = q->criteria[0];
  EXPECT_EQ(c.param->name, "family");
  EXPECT_EQ(c.modifier, StringModifier::kNone);
  ASSERT_EQ(c.values.size(), 1u);
  EXPECT_EQ(c.values[0].text, "Léfèvre-Dubœuf");
  EXPECT_EQ(c.values[0].normalized, "lefevre duboeuf");

  auto exact = ParseSearch(R::kPatient, "given:exact=Ana%C3%AFs");
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->criteria[0].modifier, StringModifier::kExact);
  EXPECT_EQ(exact->criteria[0].values[0].text, "Anaïs");
}

TEST(ParseSearch, EscapedCommaIsPartOfTheValue) {
  auto q = ParseSearch(R::kPatient, "given=a%5C%2Cb,c");
  ASSERT_TRUE(q);
  ASSERT_EQ(q->criteria[0].values.size(), 2u);
  EXPECT_EQ(q->criteria[0].values[0].text, "a,b");
  EXPECT_EQ(q->criteria[0].values[1].text, "c");
}

struct TokenCase {
  const char* value;  // percent-decoded already fits a URL here
  bool has_system;
  const char* system;
  const char* code;
};

TEST(ParseSearch, TokenForms) {
  const TokenCase cases[] = {
      {"1234", false, "", "1234"},    {"urn:oid:1.2.3|1234", true, "urn:oid:1.2.3", "1234"},
      {"%7C1234", true, "", "1234"},  {"urn:oid:1.2.3|", true, "urn:oid:1.2.3", ""},
      {"a%5C%7Cb", false, "", "a|b"}, {"s%5C%2Cx|c", true, "s,x", "c"},
  };
  for (const TokenCase& c : cases) {
    SCOPED_TRACE(c.value);
    auto q = ParseSearch(R::kPatient, std::string("identifier=") + c.value);
    ASSERT_TRUE(q) << q.error().message;
    const CriterionValue& v = q->criteria[0].values[0];
    EXPECT_EQ(v.has_system, c.has_system);
    EXPECT_EQ(v.token.system, c.system);
    EXPECT_EQ(v.token.code, c.code);
  }
}

struct ReferenceCase {
  R type;
  const char* query;
  const char* reference;
};

TEST(ParseSearch, ReferenceForms) {
  const ReferenceCase cases[] = {
      {R::kPatient, "organization=o1", "Organization/o1"},
      {R::kPatient, "organization=Organization/o1", "Organization/o1"},
      {R::kEncounter, "patient=p-1", "Patient/p-1"},
      {R::kEncounter, "subject:Patient=p-1", "Patient/p-1"},
      {R::kEncounter, "subject:Patient=Patient/p-1", "Patient/p-1"},
      {R::kCareTeam, "patient=0b2f5c3e-2f2b-4c7e-9a51-3c1d2e4f5a6b",
       "Patient/0b2f5c3e-2f2b-4c7e-9a51-3c1d2e4f5a6b"},
  };
  for (const ReferenceCase& c : cases) {
    SCOPED_TRACE(c.query);
    auto q = ParseSearch(c.type, c.query);
    ASSERT_TRUE(q) << q.error().message;
    EXPECT_EQ(q->criteria[0].values[0].reference, c.reference);
  }
}

TEST(ParseSearch, ResultParameters) {
  auto defaults = ParseSearch(R::kPatient, "family=x");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->count, 20);
  EXPECT_EQ(defaults->offset, 0);
  EXPECT_EQ(defaults->sort.key, SortKey::kNone);

  auto q = ParseSearch(R::kObservation, "_count=7&_offset=21&_sort=-date");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->count, 7);
  EXPECT_EQ(q->offset, 21);
  EXPECT_EQ(q->sort.key, SortKey::kDateParam);
  EXPECT_EQ(q->sort.date_param, "date");
  EXPECT_TRUE(q->sort.descending);

  auto last = ParseSearch(R::kObservation, "_sort=_lastUpdated");
  ASSERT_TRUE(last);
  EXPECT_EQ(last->sort.key, SortKey::kLastUpdated);
  EXPECT_FALSE(last->sort.descending);

  SearchLimits limits;
  limits.default_count = 5;
  limits.max_count = 10;
  auto limited = ParseSearch(R::kPatient, "", limits);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->count, 5);
  EXPECT_TRUE(ParseSearch(R::kPatient, "_count=10", limits));
  EXPECT_FALSE(ParseSearch(R::kPatient, "_count=11", limits));
}

TEST(ParseSearch, EquivalentQueriesShareOneCanonicalQuery) {
  const char* variants[] = {
      "family=Dupont&given=Jean,Marie&birthdate=ge1970",
      "given=Marie,Jean&birthdate=ge1970&family=Dupont",
      "birthdate=ge1970&family=Dupont&given=Jean,Marie&_count=5",
      "given=Jean,Marie,Jean&family=Dup%6Fnt&birthdate=ge1970&family=Dupont",
  };
  std::set<std::string> canonical;
  for (const char* v : variants) {
    auto q = ParseSearch(R::kPatient, v);
    ASSERT_TRUE(q) << v;
    canonical.insert(q->canonical_query);
  }
  EXPECT_EQ(canonical, std::set<std::string>{"birthdate=ge1970&family=Dupont&given=Jean,Marie"});
}

// ---------------------------------------------------------------- rejected forms

struct Rejected {
  R type;
  std::string query;
  const char* message_part;  // what the message must say
  const char* secret;        // a value that must never be echoed (nullptr: none)
};

TEST(ParseSearch, RejectsMalformedQueriesWithoutEchoingValues) {
  const Rejected cases[] = {
      // unknown parameters, including FHIR features medvault does not offer
      {R::kPatient, "xyz=Zorglub", "unknown search parameter \"xyz\" for Patient", "Zorglub"},
      {R::kPatient, "_include=Patient:organization", "unknown search parameter \"_include\"",
       nullptr},
      {R::kPatient, "_summary=true", "unknown search parameter \"_summary\"", nullptr},
      {R::kPatient, "_elements=name", "unknown search parameter \"_elements\"", nullptr},
      {R::kPatient, "_has:Observation:patient:code=Zorglub", "unknown search parameter \"_has\"",
       "Zorglub"},
      {R::kPatient, "status=active", "unknown search parameter \"status\" for Patient", nullptr},
      {R::kObservation, "family=Zorglub", "for Observation", "Zorglub"},
      {R::kPatient, "family.given=Zorglub", "unknown search parameter", "Zorglub"},
      // modifiers
      {R::kPatient, "family:contains=Zorglub", "modifier \":contains\" is not supported",
       "Zorglub"},
      {R::kPatient, "family:missing=true", "modifier \":missing\"", nullptr},
      {R::kPatient, "family:text=Zorglub", "modifier \":text\"", "Zorglub"},
      {R::kPatient, "family:=Zorglub", "modifier \":\" is not supported", "Zorglub"},
      {R::kPatient, "gender:not=male", "modifier \":not\"", nullptr},
      {R::kPatient, "identifier:of-type=a|b|Zorglub", "modifier \":of-type\"", "Zorglub"},
      {R::kPatient, "birthdate:missing=true", "modifier", nullptr},
      {R::kPatient, "organization:Patient=Zorglub", "modifier \":Patient\"", "Zorglub"},
      {R::kObservation, "patient:Practitioner=Zorglub", "modifier", "Zorglub"},
      {R::kObservation, "code:text=Zorglub", "modifier", "Zorglub"},
      {R::kPatient, "_id:exact=Zorglub", "modifier", "Zorglub"},
      {R::kPatient, "_count:exact=5", "modifiers are not allowed", nullptr},
      // query structure and empty values
      {R::kPatient, "family=", "empty value", nullptr},
      {R::kPatient, "family", "has no value", nullptr},
      {R::kPatient, "family=Zorglub&", "empty parameter", "Zorglub"},
      {R::kPatient, "&family=Zorglub", "empty parameter", "Zorglub"},
      {R::kPatient, "family=Zorglub&&given=Jean", "empty parameter", "Zorglub"},
      {R::kPatient, "=Zorglub", "unknown search parameter \"\"", "Zorglub"},
      {R::kPatient, "family=Zorglub,", "empty value", "Zorglub"},
      {R::kPatient, "family=,Zorglub", "empty value", "Zorglub"},
      // percent-encoding and UTF-8
      {R::kPatient, "family=%ZZorglub", "malformed percent-encoding", "Zorglub"},
      {R::kPatient, "family=Zorglub%", "malformed percent-encoding", "Zorglub"},
      {R::kPatient, "family=Zorglub%4", "malformed percent-encoding", "Zorglub"},
      {R::kPatient, "family=Zorglub%C3", "UTF-8", "Zorglub"},
      {R::kPatient, "family=Zorglub%C0%AF", "UTF-8", "Zorglub"},        // overlong '/'
      {R::kPatient, "family=Zorglub%ED%A0%80", "UTF-8", "Zorglub"},     // a surrogate
      {R::kPatient, "family=Zorglub%F4%90%80%80", "UTF-8", "Zorglub"},  // above U+10FFFF
      {R::kPatient, "fam%ZZily=Zorglub", "malformed search parameter name", "Zorglub"},
      // strings
      {R::kPatient, "family=-", "value without letters or digits", nullptr},
      {R::kPatient, "family=Zorg%5Club", "malformed escape", "Zorg"},     // "\l"
      {R::kPatient, "family=Zorglub%5C", "malformed escape", "Zorglub"},  // trailing "\"
      // tokens
      {R::kPatient, "gender=|", "empty token", nullptr},
      {R::kPatient, "identifier=a|b|Zorglub", "malformed token", "Zorglub"},
      // dates
      {R::kPatient, "birthdate=ap1970", "date prefix \"ap\" is not supported", "1970"},
      {R::kPatient, "birthdate=xx1970", "malformed date prefix", "1970"},
      {R::kPatient, "birthdate=Ge1970", "malformed date", "1970"},
      {R::kPatient, "birthdate=1970-13", "malformed date", "1970"},
      {R::kPatient, "birthdate=1970-00", "malformed date", "1970"},
      {R::kPatient, "birthdate=2021-02-29", "malformed date", "2021"},
      {R::kPatient, "birthdate=1970-04-31", "malformed date", "1970"},
      {R::kPatient, "birthdate=1970-1-01", "malformed date", "1970"},
      {R::kPatient, "birthdate=70", "malformed date", nullptr},
      {R::kPatient, "birthdate=19700", "malformed date", "19700"},
      {R::kPatient, "birthdate=1970-05-12+", "malformed date", "1970"},
      {R::kPatient, "birthdate=1970-05-12T", "malformed date", "1970"},
      {R::kObservation, "date=2020-01-01T10:00", "malformed date", "2020"},  // no zone
      {R::kObservation, "date=2020-01-01T24:00Z", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10:60Z", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10:00:61Z", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10Z", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10:00:00.Z", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10:00%2B15:00", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10:00%2B14:30", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10:00%2B0200", "malformed date", "2020"},
      {R::kObservation, "date=2020-01-01T10:00+02:00", "malformed date", "2020"},  // '+' = ' '
      {R::kObservation, "date=2020-01-01t10:00Z", "malformed date", "2020"},
      {R::kObservation, "date=ge", "malformed date", nullptr},
      // references and ids
      {R::kPatient, "organization=Patient/Zorglub", "does not allow", "Zorglub"},
      {R::kPatient, "organization=Organization/", "malformed reference", nullptr},
      {R::kPatient, "organization=Organization/a/Zorglub", "malformed reference", "Zorglub"},
      {R::kPatient, "organization=http://x.org/Organization/Zorglub", "does not allow", "Zorglub"},
      {R::kPatient, "organization=Zorglub%20x", "malformed reference", "Zorglub"},
      {R::kObservation, "subject:Patient=Practitioner/Zorglub", "does not allow", "Zorglub"},
      {R::kObservation, "patient=" + std::string(65, 'z'), "malformed reference", "zzzzzzzz"},
      {R::kPatient, "_id=a/Zorglub", "malformed id", "Zorglub"},
      {R::kPatient, "_id=Zorglub_", "malformed id", "Zorglub"},
      // result parameters
      {R::kPatient, "_count=0", "_count must be an integer from 1 to 100", nullptr},
      {R::kPatient, "_count=-1", "_count must be", nullptr},
      {R::kPatient, "_count=101", "_count must be", "101"},
      {R::kPatient, "_count=abc", "_count must be", "abc"},
      {R::kPatient, "_count=%2B5", "_count must be", nullptr},
      {R::kPatient, "_count=5.0", "_count must be", "5.0"},
      {R::kPatient, "_count=99999999999", "_count must be", "99999999999"},
      {R::kPatient, "_count=5&_count=6", "\"_count\" may appear only once", nullptr},
      {R::kPatient, "_offset=-1", "_offset must be a non-negative integer", nullptr},
      {R::kPatient, "_offset=x1", "_offset must be", "x1"},
      {R::kPatient, "_offset=99999999999", "_offset must be", "99999999999"},
      {R::kPatient, "_offset=1&_offset=2", "\"_offset\" may appear only once", nullptr},
      {R::kPatient, "_sort=family", "_sort supports one key", nullptr},
      {R::kPatient, "_sort=_id", "_sort supports one key", nullptr},
      {R::kPatient, "_sort=birthdate,-_lastUpdated", "_sort supports one key", nullptr},
      {R::kPatient, "_sort=--birthdate", "_sort supports one key", nullptr},
      {R::kPatient, "_sort=birthdate&_sort=birthdate", "may appear only once", nullptr},
      {R::kPatient, "_format=xml", "_format supports only json", nullptr},
      {R::kPatient, "_format=application/json%2Bxml", "_format supports only json", nullptr},
  };
  for (const Rejected& c : cases) {
    SCOPED_TRACE(std::string(NameOf(c.type)) + "?" + c.query);
    auto parsed = ParseSearch(c.type, c.query);
    ASSERT_FALSE(parsed) << "accepted, canonical: " << parsed->canonical_query;
    EXPECT_EQ(parsed.error().code, ErrorCode::kInvalid);
    EXPECT_NE(parsed.error().message.find(c.message_part), std::string::npos)
        << parsed.error().message;
    if (c.secret != nullptr) {
      EXPECT_EQ(parsed.error().message.find(c.secret), std::string::npos)
          << "echoed a value: " << parsed.error().message;
    }
  }
}

TEST(ParseSearch, EnforcesLimits) {
  SearchLimits limits;
  std::string many_criteria;
  for (size_t i = 0; i <= limits.max_criteria; ++i) {
    if (!many_criteria.empty()) many_criteria += '&';
    many_criteria += "family=a" + std::to_string(i);
  }
  auto criteria = ParseSearch(R::kPatient, many_criteria);
  ASSERT_FALSE(criteria);
  EXPECT_EQ(criteria.error().code, ErrorCode::kInvalid);
  EXPECT_NE(criteria.error().message.find("too many search criteria"), std::string::npos);

  std::string many_values = "family=";
  for (size_t i = 0; i <= limits.max_values_per_criterion; ++i)
    many_values += (i ? ",a" : "a") + std::to_string(i);
  auto values = ParseSearch(R::kPatient, many_values);
  ASSERT_FALSE(values);
  EXPECT_NE(values.error().message.find("too many comma-separated values"), std::string::npos);

  std::string long_query = "family=" + std::string(limits.max_query_bytes, 'a');
  auto too_long = ParseSearch(R::kPatient, long_query);
  ASSERT_FALSE(too_long);
  EXPECT_NE(too_long.error().message.find("longer than 4096 bytes"), std::string::npos);
  EXPECT_EQ(too_long.error().message.find("aaaa"), std::string::npos);

  // Exactly at each limit is still accepted.
  std::string at_limit;
  for (size_t i = 0; i < limits.max_criteria; ++i) {
    if (!at_limit.empty()) at_limit += '&';
    at_limit += "family=a" + std::to_string(i);
  }
  EXPECT_TRUE(ParseSearch(R::kPatient, at_limit));
}

TEST(ParseSearch, QuotedNamesAreTruncatedAndSanitized) {
  auto long_name = ParseSearch(R::kPatient, std::string(100, 'n') + "=1");
  ASSERT_FALSE(long_name);
  const std::string& message = long_name.error().message;
  EXPECT_NE(message.find(std::string(64, 'n') + "..."), std::string::npos) << message;
  EXPECT_EQ(message.find(std::string(65, 'n')), std::string::npos) << message;

  auto control = ParseSearch(R::kPatient, "a%0Ab%1B=1");
  ASSERT_FALSE(control);
  EXPECT_NE(control.error().message.find("\"a?b?\""), std::string::npos) << control.error().message;

  // A multi-byte character is never cut in half.
  std::string accents;
  for (int i = 0; i < 40; ++i) accents += "%C3%A9";  // é, two bytes each
  auto utf8 = ParseSearch(R::kPatient, accents + "=1");
  ASSERT_FALSE(utf8);
  std::string expected = "\"";
  for (int i = 0; i < 32; ++i) expected += "é";
  EXPECT_NE(utf8.error().message.find(expected + "...\""), std::string::npos)
      << utf8.error().message;
}

// ---------------------------------------------------------------- percent-encoding

TEST(PercentEncoding, DecodesAndEncodes) {
  EXPECT_EQ(PercentDecode("a%20b+c", true).value(), "a b c");
  EXPECT_EQ(PercentDecode("a%20b+c", false).value(), "a b+c");
  EXPECT_EQ(PercentDecode("%c3%a9%C3%A9", true).value(), "éé");
  EXPECT_EQ(PercentDecode("", true).value(), "");
  EXPECT_FALSE(PercentDecode("%", true));
  EXPECT_FALSE(PercentDecode("%G0", true));
  EXPECT_FALSE(PercentDecode("%0", true));
  EXPECT_FALSE(PercentDecode("%FF", true));
  EXPECT_FALSE(PercentDecode("\xC3", true));  // raw invalid UTF-8 too
  EXPECT_EQ(PercentDecode("%FF", true).error().code, ErrorCode::kInvalid);

  EXPECT_EQ(PercentEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(PercentEncode("a b+c&d=e/f|g,h"), "a%20b%2Bc%26d%3De%2Ff%7Cg%2Ch");
  EXPECT_EQ(PercentEncode("é"), "%C3%A9");
  const std::string samples[] = {"", "plain", "a b+c&d=e", "Hélène d'Aubigné", "%41", "\x01\x7F"};
  for (const std::string& s : samples) EXPECT_EQ(PercentDecode(PercentEncode(s), true), s);
}

}  // namespace
}  // namespace medvault::fhir
