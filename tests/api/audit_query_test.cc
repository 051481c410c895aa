// The AuditEvent search query: strict parsing, date prefixes as time windows, links.
#include "api/audit_query.h"

#include <gtest/gtest.h>

namespace medvault::api {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t k20261129 = 1'795'910'400'000;  // 2026-11-29T00:00:00Z

TEST(AuditQuery, ParsesEveryParameter) {
  auto q = ParseAuditQuery(
      "patient=Patient%2Fpat-1&agent=acc-1&date=ge2026-11-29&date=lt2026-11-30&outcome=0,8"
      "&_count=50&_cursor=900");
  ASSERT_TRUE(q.has_value()) << q.error().message;
  EXPECT_EQ(q->criteria.patient, "pat-1");
  EXPECT_EQ(q->criteria.account_id, "acc-1");
  EXPECT_EQ(q->criteria.from_ms, k20261129);
  EXPECT_EQ(q->criteria.until_ms, k20261129 + kDay);
  EXPECT_EQ(q->criteria.outcomes, (std::vector<std::string>{"0", "8"}));
  EXPECT_EQ(q->count, 50u);
  EXPECT_EQ(q->criteria.max_events, 50u);
  EXPECT_EQ(q->criteria.before_seq, 900);
  EXPECT_EQ(q->canonical_query,
            "patient=Patient%2Fpat-1&agent=acc-1&date=ge2026-11-29&date=lt2026-11-30"
            "&outcome=0%2C8");
}

TEST(AuditQuery, DatePrefixesAreWindows) {
  struct Case {
    const char* date;
    int64_t from, until;
  };
  const Case cases[] = {
      {"2026-11-29", k20261129, k20261129 + kDay},   {"eq2026-11-29", k20261129, k20261129 + kDay},
      {"gt2026-11-29", k20261129 + kDay, INT64_MAX}, {"sa2026-11-29", k20261129 + kDay, INT64_MAX},
      {"ge2026-11-29", k20261129, INT64_MAX},        {"lt2026-11-29", INT64_MIN, k20261129},
      {"eb2026-11-29", INT64_MIN, k20261129},        {"le2026-11-29", INT64_MIN, k20261129 + kDay},
  };
  for (const Case& c : cases) {
    auto q = ParseAuditQuery(std::string("date=") + c.date);
    ASSERT_TRUE(q.has_value()) << c.date;
    EXPECT_EQ(q->criteria.from_ms, c.from) << c.date;
    EXPECT_EQ(q->criteria.until_ms, c.until) << c.date;
  }
  auto username = ParseAuditQuery("agent-name=dr.martin");
  ASSERT_TRUE(username.has_value());
  EXPECT_EQ(username->agent_name, "dr.martin");
  EXPECT_EQ(ParseAuditQuery("")->count, 20u);
}

TEST(AuditQuery, RefusesWhatItDoesNotUnderstand) {
  for (const char* bad :
       {"family=Dupont", "patient=a/b", "patient=Practitioner/x", "patient=1&patient=2",
        "date=ne2026-11-29", "date=2026-02-30", "date=yesterday", "outcome=1", "outcome=0,",
        "_count=0", "_count=101", "_cursor=0", "_cursor=-5", "agent=", "patient", "_format=xml",
        "agent=a%zz"}) {
    auto q = ParseAuditQuery(bad);
    EXPECT_FALSE(q.has_value()) << bad;
    if (!q) {
      EXPECT_EQ(q.error().code, ErrorCode::kInvalid) << bad;
    }
  }
  EXPECT_FALSE(ParseAuditQuery("family=" + std::string(100, 'x'))
                   .error()
                   .message.contains(std::string(100, 'x')));
}

// Found by the audit_proof fuzzer: a query near the cap whose outcome list repeated
// codes kept every repeat in its canonical form, so the next link was over the cap and a
// client following it got 400.
TEST(AuditQuery, RepeatedOutcomeCodesCollapseAndTheNextLinkParses) {
  std::string outcomes = "outcome=12";
  while (outcomes.size() < 4000) outcomes += ",8,0,4";
  auto q = ParseAuditQuery(outcomes + "&_count=100");
  ASSERT_TRUE(q.has_value()) << q.error().message;
  EXPECT_EQ(q->criteria.outcomes, (std::vector<std::string>{"0", "4", "8", "12"}));
  EXPECT_EQ(q->canonical_query, "outcome=0%2C4%2C8%2C12");
  auto next = ParseAuditQuery(q->canonical_query + "&_count=100&_cursor=999999999999999999");
  ASSERT_TRUE(next.has_value()) << next.error().message;
  EXPECT_EQ(next->canonical_query, q->canonical_query);
}

// The longest query every parameter allows still leaves a next link under the cap.
TEST(AuditQuery, TheLongestCanonicalQueryLeavesRoomForTheNextLink) {
  const std::string id(64, 'a');
  std::string longest = "patient=Patient/" + id + "&agent=" + id + "&agent-name=";
  for (int i = 0; i < 32; ++i) longest += "%C3%A9";  // é: 64 bytes, each encoded as %XX
  for (int i = 0; i < 4; ++i) longest += "&date=ge2026-11-29T10:00:00.123456789%2B14:00";
  longest += "&outcome=0,4,8,12&_count=100&_cursor=999999999999999999";
  auto q = ParseAuditQuery(longest);
  ASSERT_TRUE(q.has_value()) << q.error().message;
  auto next = ParseAuditQuery(q->canonical_query + "&_count=100&_cursor=999999999999999999");
  ASSERT_TRUE(next.has_value()) << next.error().message;
  EXPECT_EQ(next->canonical_query, q->canonical_query);
  EXPECT_LT(q->canonical_query.size(), 1024u);
}

}  // namespace
}  // namespace medvault::api
