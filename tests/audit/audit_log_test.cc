#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "crypto/aead.h"

namespace medvault::audit {
namespace {

AuditEvent Sample() {
  AuditEvent e;
  e.time_ms = 1'700'000'000'123;
  e.request_id = "req-1";
  e.account_id = "acc-1";
  e.username = "dr.house";
  e.role = "physician";
  e.session_id = "sess-1";
  e.client_address = "10.0.0.1";
  e.user_agent = "agent \"quoted\"";
  e.interaction = "search";
  e.resource_type = "Patient";
  e.patients = {"p1", "p2"};
  e.outcome = "success";
  e.status = 200;
  return e;
}

TEST(AuditEvent, CanonicalJsonRoundTripsAndIsStable) {
  AuditEvent e = Sample();
  std::string json = CanonicalJson(e);
  EXPECT_EQ(json, CanonicalJson(e));
  EXPECT_TRUE(json.starts_with(R"({"time":1700000000123,"request":"req-1",)")) << json;
  auto back = ParseCanonicalJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(CanonicalJson(*back), json);
  EXPECT_EQ(back->patients, e.patients);
  EXPECT_FALSE(ParseCanonicalJson("{").has_value());
}

// Regression: client text that is not UTF-8 (a User-Agent, an id from a path) made an
// entry that was not JSON, which `audit verify` refused along with the rest of the log.
TEST(AuditEvent, ClientTextThatIsNotUtf8IsWrittenAsReplacementCharacters) {
  AuditEvent e = Sample();
  e.user_agent = "probe \xff\xc3";
  e.resource_id = "\xed\xa0\x80";   // an encoded surrogate
  e.patients = {"p1", "\xc0\xaf"};  // an overlong '/'
  std::string json = CanonicalJson(e);
  ASSERT_TRUE(CanonicalJsonHead(json).has_value()) << "not JSON: " << json;
  auto back = ParseCanonicalJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->user_agent, "probe \uFFFD\uFFFD");
  EXPECT_EQ(back->resource_id, "\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(back->patients[1], "\uFFFD\uFFFD");
  EXPECT_EQ(CanonicalJson(*back), json);
}

// The care basis is written after every other field and only when set, so entries from
// before it existed keep their bytes (and Merkle leaves) and read back as "unknown".
TEST(AuditEvent, TheCareBasisIsOptionalAndLast) {
  AuditEvent e = Sample();
  const std::string old_form = CanonicalJson(e);
  EXPECT_TRUE(old_form.ends_with(R"("status":200,"detail":""})")) << old_form;
  EXPECT_FALSE(ParseCanonicalJson(old_form)->outside_care.has_value());
  e.outside_care = std::vector<std::string>{"p2"};
  e.minimal_identity = {"p2"};
  const std::string json = CanonicalJson(e);
  EXPECT_TRUE(json.starts_with(old_form.substr(0, old_form.size() - 1)));
  EXPECT_TRUE(json.ends_with(R"(,"outside_care":["p2"],"minimal":["p2"]})")) << json;
  auto back = ParseCanonicalJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->outside_care, e.outside_care);
  EXPECT_EQ(back->minimal_identity, e.minimal_identity);
  EXPECT_EQ(CanonicalJson(*back), json);
  e.outside_care = std::vector<std::string>{};  // recorded: every patient in care
  e.minimal_identity.clear();
  EXPECT_TRUE(CanonicalJson(e).ends_with(R"("detail":"","outside_care":[]})"));
  EXPECT_EQ(ParseCanonicalJson(CanonicalJson(e))->outside_care, std::vector<std::string>{});
}

// The verifier's shortcut accepts and rejects what the full parse does.
// Several nodes: the node that appended an entry is named last, and only when set, so
// that entries of a single server keep their exact bytes.
TEST(AuditEvent, TheNodeIsOptionalAndLast) {
  AuditEvent e = Sample();
  const std::string single = CanonicalJson(e);
  EXPECT_EQ(single.find("node"), std::string::npos);
  e.node = "node-a";
  const std::string json = CanonicalJson(e);
  EXPECT_TRUE(json.ends_with(R"("detail":"","node":"node-a"})")) << json;
  auto back = ParseCanonicalJson(json);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->node, "node-a");
  EXPECT_EQ(CanonicalJson(*back), json);
  EXPECT_TRUE(ParseCanonicalJson(single)->node.empty());
}

TEST(AuditEvent, CanonicalJsonHeadChecksLikeTheFullParse) {
  const std::string json = CanonicalJson(Sample());
  auto head = CanonicalJsonHead(json);
  ASSERT_TRUE(head.has_value());
  EXPECT_EQ(head->time_ms, 1'700'000'000'123);
  for (std::string_view other :
       {std::string_view("{"), std::string_view("[1]"), std::string_view("not json"),
        std::string_view("{\"time\":1} trailing"), std::string_view("{\"a\":\"\xff\"}")}) {
    EXPECT_FALSE(CanonicalJsonHead(other).has_value()) << other;
    EXPECT_FALSE(ParseCanonicalJson(other).has_value()) << other;
  }
  for (std::string_view no_time : {R"({})", R"({"time":"soon"})", R"({"time":1.5})"}) {
    EXPECT_EQ(CanonicalJsonHead(no_time)->time_ms, 0) << no_time;
    EXPECT_EQ(ParseCanonicalJson(no_time)->time_ms, 0) << no_time;
  }
}

TEST(AuditLog, EntriesAreSealedAndReadBackInOrder) {
  char tmpl[] = "/tmp/medvault-audit-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  {
    auto store = std::move(*store::OpenSqliteStore(dir + "/db", true));
    crypto::Keyring keyring(crypto::SecretKey::Random());
    AuditLog log(keyring);
    for (int i = 0; i < 3; ++i) {
      AuditEvent e = Sample();
      e.request_id = "req-" + std::to_string(i);
      int64_t seq = 0;
      ASSERT_TRUE(store->Write([&](store::Transaction& t) -> Status {
        ASSIGN_OR_RETURN(auto receipt, log.Append(t, e));
        seq = receipt.sequence();
        return Ok();
      }));
      EXPECT_EQ(seq, i + 1);
    }
    auto rows = store->reader().AuditEntries(1, 10);
    ASSERT_TRUE(rows.has_value());
    for (const auto& row : *rows) {
      std::string body(row.body.begin(), row.body.end());
      EXPECT_EQ(body.find("dr.house"), std::string::npos);  // sealed, not plain
      if (crypto::RecordCipherAvailable()) {
        EXPECT_TRUE(crypto::LooksLikeSealedRecord(row.body));
        crypto::Bytes plain;
        ASSERT_TRUE(log.OpenEntry(row, plain).has_value());
        EXPECT_EQ(row.body.size(), plain.size() + crypto::kRecordCipherOverhead);
      }
    }
    auto events = log.ReadAll(store->reader());
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 3u);
    EXPECT_EQ((*events)[2].request_id, "req-2");
    EXPECT_TRUE((*events)[2].node.empty()) << "one server, no node named";
    // A log of several nodes names each entry's.
    AuditLog node_log(keyring, "node-b");
    ASSERT_TRUE(store->Write([&](store::Transaction& t) -> Status {
      TRY(node_log.Append(t, Sample()));
      return Ok();
    }));
    events = log.ReadAll(store->reader());
    ASSERT_TRUE(events.has_value());
    ASSERT_EQ(events->size(), 4u);
    EXPECT_EQ((*events)[3].node, "node-b");
    // Another key cannot read the log.
    crypto::Keyring other(crypto::SecretKey::Random());
    EXPECT_FALSE(AuditLog(other).ReadAll(store->reader()).has_value());
  }
  std::filesystem::remove_all(dir);
}

// Entries are sealed with the record cipher (AES-256-GCM under subkeys of the audit
// key) where the CPU runs it; entries of logs written before, sealed with
// XChaCha20-Poly1305 under the audit key itself, still open, including the one in 256
// whose random nonce starts with the record cipher's tag.
TEST(AuditLog, EntriesSealedBeforeTheRecordCipherStillOpen) {
  crypto::Keyring keyring(crypto::SecretKey::Random());
  AuditLog log(keyring);
  const std::string canonical = CanonicalJson(Sample());
  EntryOpener opener = log.NewOpener();
  crypto::Bytes plain;

  auto legacy = [&](bool starting_with_tag) {
    while (true) {
      crypto::Bytes body =
          crypto::Seal(keyring.audit_key(), crypto::AsBytes(canonical), "medvault/audit/v1");
      if ((body[0] == crypto::kRecordCipherTag) == starting_with_tag) return body;
    }
  };
  for (bool starting_with_tag : {false, true}) {
    store::AuditRow row{.seq = 1, .recorded_at_ms = 0, .body = legacy(starting_with_tag)};
    ASSERT_TRUE(opener.Open(row, plain).has_value()) << starting_with_tag;
    EXPECT_EQ(crypto::AsText(plain), canonical);
    EXPECT_EQ(*log.OpenEntry(row), canonical);
    row.body.back() ^= 1;
    EXPECT_FALSE(opener.Open(row, plain).has_value());
  }
}

// The server's clock starts no earlier than this (cli::OpenRuntime), so that a clock set
// back while the server was down revives nothing that had expired.
TEST(AuditLog, LatestRecordedTimeIsTheLaterOfTheNewestEntryAndTheNewestHead) {
  char tmpl[] = "/tmp/medvault-audit-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  {
    auto store = std::move(*store::OpenSqliteStore(dir + "/db", true));
    crypto::Keyring keyring(crypto::SecretKey::Random());
    auto key = crypto::SigningKey::Generate();
    AuditLog log(keyring);
    auto latest = [&] { return ToUnixMillis(*LatestRecordedTime(store->reader())); };
    EXPECT_EQ(latest(), 0);
    auto append = [&](int64_t time_ms) {
      AuditEvent e = Sample();
      e.time_ms = time_ms;
      ASSERT_TRUE(store->Write([&](store::Transaction& t) -> Status {
        TRY(log.Append(t, e));
        return Ok();
      }));
    };
    append(1'700'000'000'000);
    EXPECT_EQ(latest(), 1'700'000'000'000);
    ASSERT_TRUE(store->Write([&](store::Transaction& t) -> Status {
      ASSIGN_OR_RETURN(auto head, log.NextTreeHead(t, key, 1'700'000'005'000));
      return t.InsertTreeHead(*head);
    }));
    EXPECT_EQ(latest(), 1'700'000'005'000);
    append(1'700'000'009'000);
    EXPECT_EQ(latest(), 1'700'000'009'000);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace medvault::audit
