// `medvault audit verify` and `medvault audit proof` on the log a real server wrote: the
// untouched log verifies; every way of tampering with a copy of it (an edited, deleted or
// reordered entry, a truncated log, a changed head or stored tree hash) fails and names
// the place; proofs check with an independent RFC 6962 implementation. On either engine:
// the tampering is SQL, in each engine's dialect where they differ.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <optional>
#include <sstream>
#include <thread>

#include "practice_fixture.h"
#include "sample_resources.h"
#include "stored_database.h"
#include "support/reference_merkle.h"

namespace medvault::testing {
namespace {

using rfc6962::Digest;

std::optional<Digest> DigestOfHex(std::string hex) {
  if (hex.size() != 64) return std::nullopt;
  Digest out;
  for (size_t i = 0; i < out.size(); ++i) {
    unsigned value = 0;
    if (std::sscanf(hex.substr(2 * i, 2).c_str(), "%2x", &value) != 1) return std::nullopt;
    out[i] = static_cast<unsigned char>(value);
  }
  return out;
}

std::vector<Digest> Digests(const rapidjson::Value& array) {
  std::vector<Digest> out;
  for (const auto& v : array.GetArray()) {
    auto d = DigestOfHex(v.GetString());
    EXPECT_TRUE(d.has_value()) << v.GetString();
    if (d) out.push_back(*d);
  }
  return out;
}

std::string Lower(std::string s) {
  std::ranges::transform(s, s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

struct SignedHead {
  uint64_t size = 0;
  std::string root_hex;  // lowercase
};

class AuditVerify : public ::testing::Test {
 protected:
  // A practice's log: account creation and logins in the fixture, then a physician's
  // creates, reads and searches; stopping the server signs a last head over it all.
  static void SetUpTestSuite() {
    practice_ = StartPractice().release();
    // The server signs a head each second while entries arrive: waiting lets one cover
    // the fixture's entries, so that the log has heads of two sizes.
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    HttpsClient& doctor = practice_->as("physician");
    for (const char* family : {"Aubertin", "Bellamy", "Cordier"}) {
      auto created =
          doctor.Request("POST", "/fhir/Patient",
                         PatientJson(family, "Jeanne", "1961-03-04", practice_->organization_id));
      ASSERT_EQ(created.status, 201) << created.body;
      std::string id = IdFromLocation(created);
      ASSERT_EQ(doctor.Get("/fhir/Patient/" + id).status, 200);
      ASSERT_EQ(doctor
                    .Request("POST", "/fhir/Observation",
                             ObservationJson(id, "2026-01-05T09:30:00Z", "72"))
                    .status,
                201);
    }
    ASSERT_EQ(doctor.Get("/fhir/Patient?family=Bellamy").status, 200);
    ASSERT_EQ(practice_->server->Stop(), 0);
    entries_ = std::stoull(Sql(practice_->data_dir, "SELECT count(*) FROM audit_log;"));
  }
  static void TearDownTestSuite() { delete practice_; }

  // Tampers with a copy of the stopped server's data directory through SQL (PostgreSQL's
  // dialect in `postgres_sql` where it differs), then runs `audit verify` on it.
  CommandResult VerifyAfter(const std::string& sql, const std::string& postgres_sql = "") {
    copies_.push_back(std::make_unique<TempDir>());
    std::string copy = copies_.back()->path() + "/data";
    if (!CopyDataDirectory(practice_->data_dir, copy)) return {};
    Sql(copy, sql, postgres_sql);
    return RunMedvault({"audit", "verify", "--data", copy});
  }

  static SignedHead LatestHead() {
    std::string row = Sql(practice_->data_dir,
                          "SELECT size || ' ' || hex(root) FROM audit_tree_heads "
                          "ORDER BY size DESC LIMIT 1;",
                          "SELECT size || ' ' || encode(root, 'hex') FROM audit_tree_heads "
                          "ORDER BY size DESC LIMIT 1;");
    std::istringstream in(row);
    SignedHead head;
    in >> head.size >> head.root_hex;
    head.root_hex = Lower(head.root_hex);
    return head;
  }

  static std::string Entry(uint64_t k) { return "entry " + std::to_string(k) + " "; }

  static Practice* practice_;
  static uint64_t entries_;
  std::vector<std::unique_ptr<TempDir>> copies_;
};
Practice* AuditVerify::practice_ = nullptr;
uint64_t AuditVerify::entries_ = 0;

TEST_F(AuditVerify, TheUntouchedLogVerifiesAgainstItsLastSignedHead) {
  ASSERT_GE(entries_, 20u);
  SignedHead head = LatestHead();
  EXPECT_EQ(head.size, entries_) << "stopping the server signs a head over every entry";
  uint64_t heads = std::stoull(Sql(practice_->data_dir, "SELECT count(*) FROM audit_tree_heads;"));
  EXPECT_GE(heads, 2u);
  auto r = RunMedvault({"audit", "verify", "--data", practice_->data_dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "audit log verified: " + std::to_string(entries_) + " entries, " +
                       std::to_string(heads) + " signed heads, root " + head.root_hex + "\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(AuditVerify, AnEditedEntryDoesNotOpen) {
  const uint64_t k = entries_ / 2;
  const std::string where = " WHERE seq = " + std::to_string(k) + ";";
  auto r = VerifyAfter("UPDATE audit_log SET body = randomblob(length(body))" + where,
                       "UPDATE audit_log SET body = overlay(body placing "
                       "sha256(random()::text::bytea) from 25)" +
                           where);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(Entry(k) + "does not open"), std::string::npos) << r.err;
  EXPECT_EQ(std::ranges::count(r.err, '\n'), 1) << "one line: " << r.err;
}

TEST_F(AuditVerify, AChangedRecordedAtTimeIsNamed) {
  // The column sits outside the sealed body; the entry's sealed time must agree with it.
  auto r = VerifyAfter("UPDATE audit_log SET recorded_at = recorded_at - 60000 WHERE seq = 7;");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(Entry(7) + "has a changed recorded_at time"), std::string::npos) << r.err;
}

TEST_F(AuditVerify, ADeletedEntryIsNamedAsMissing) {
  const uint64_t k = entries_ / 3;
  auto r = VerifyAfter("DELETE FROM audit_log WHERE seq = " + std::to_string(k) + ";");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(Entry(k) + "is missing"), std::string::npos) << r.err;
}

TEST_F(AuditVerify, AnEntryNumberedFarPastTheEndIsNamedAsAGap) {
  // The verifier takes the log's extent from the highest number; a forged one at the
  // very end of the range shows as the first missing entry, as any gap does.
  auto r = VerifyAfter(
      "INSERT INTO audit_log (seq, recorded_at, body) SELECT 9223372036854775807, "
      "recorded_at, body FROM audit_log WHERE seq = 1;");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(Entry(entries_ + 1) + "is missing"), std::string::npos) << r.err;
}

TEST_F(AuditVerify, SwappedEntriesDoNotMatchTheTree) {
  // Both still open (the associated data is the same for every entry): only the tree
  // tells that they changed places.
  const uint64_t k = entries_ / 2;
  const std::string a = std::to_string(k), b = std::to_string(k + 1);
  auto r = VerifyAfter(
      "CREATE TEMP TABLE pair AS SELECT seq, body FROM audit_log WHERE seq IN (" + a + ", " + b +
      ");" + "UPDATE audit_log SET body = (SELECT body FROM pair WHERE pair.seq = " +
      std::to_string(2 * k + 1) + " - audit_log.seq) WHERE seq IN (" + a + ", " + b + ");");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(Entry(k) + "does not match the tree"), std::string::npos) << r.err;
}

TEST_F(AuditVerify, ATruncatedLogIsCaughtByTheLastHead) {
  const uint64_t k = entries_ - 3;
  auto r = VerifyAfter("DELETE FROM audit_log WHERE seq > " + std::to_string(k) + ";");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("only " + std::to_string(k) + " entries"), std::string::npos) << r.err;
}

TEST_F(AuditVerify, AChangedHeadRootOrSignatureIsNamed) {
  const std::string size = std::to_string(LatestHead().size);
  struct Change {
    const char* sqlite;
    const char* postgres;
  };
  for (auto [column, pg_column] :
       {Change{"root = randomblob(32)", "root = sha256(random()::text::bytea)"},
        Change{"signature = randomblob(64)", "signature = sha512(random()::text::bytea)"}}) {
    const std::string where = std::string(" WHERE size = ") + size + ";";
    auto r = VerifyAfter(std::string("UPDATE audit_tree_heads SET ") + column + where,
                         std::string("UPDATE audit_tree_heads SET ") + pg_column + where);
    EXPECT_EQ(r.exit_code, 1) << column;
    EXPECT_NE(r.err.find("head of size " + size + " "), std::string::npos) << column << r.err;
  }
}

TEST_F(AuditVerify, AChangedStoredTreeHashIsCaught) {
  constexpr const char* kRandomHash = "sha256(random()::text::bytea)";
  auto r =
      VerifyAfter("UPDATE audit_subtrees SET hash = randomblob(32) WHERE level = 1 AND idx = 2;",
                  std::string("UPDATE audit_subtrees SET hash = ") + kRandomHash +
                      " WHERE level = 1 AND idx = 2;");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("level 1, index 2"), std::string::npos) << r.err;
  // A changed leaf hash is told apart from a changed entry by the signed head.
  auto leaf =
      VerifyAfter("UPDATE audit_subtrees SET hash = randomblob(32) WHERE level = 0 AND idx = 4;",
                  std::string("UPDATE audit_subtrees SET hash = ") + kRandomHash +
                      " WHERE level = 0 AND idx = 4;");
  EXPECT_EQ(leaf.exit_code, 1);
  EXPECT_NE(leaf.err.find("stored leaf hash of entry 5 "), std::string::npos) << leaf.err;
}

// A subtree row moved to a position no subtree has leaves its node without a stored
// hash. Pos 385 reads as level 1, index 2, but appending leaf 6 completes no pair; with
// leaf 6's own row (pos 384) gone, nothing else stands between the two positions.
TEST_F(AuditVerify, AStoredTreeHashMovedAwayIsNamedAsRemoved) {
  const std::string move =
      "DELETE FROM audit_subtrees WHERE pos = 384; "
      "UPDATE audit_subtrees SET pos = 385 WHERE pos = 321;";
  auto r = VerifyAfter(move, move);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("level 1, index 2 (entries 5 to 6) was removed"), std::string::npos)
      << r.err;
}

TEST_F(AuditVerify, InclusionProofsVerifyIndependently) {
  SignedHead head = LatestHead();
  auto root = DigestOfHex(head.root_hex);
  ASSERT_TRUE(root.has_value()) << head.root_hex;
  for (uint64_t index : {uint64_t{0}, head.size / 2, head.size - 1}) {
    auto r = RunMedvault({"audit", "proof", "inclusion", "--data", practice_->data_dir, "--index",
                          std::to_string(index), "--size", std::to_string(head.size)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto doc = Json(r.out);
    auto leaf = DigestOfHex(doc["leaf_hash"].GetString());
    ASSERT_TRUE(leaf.has_value()) << r.out;
    std::vector<Digest> path = Digests(doc["path"]);
    EXPECT_TRUE(rfc6962::CheckInclusion(*leaf, index, head.size, path, *root)) << index;
    // The same leaf and path do not pass for another position.
    uint64_t other = (index + 1) % head.size;
    EXPECT_FALSE(rfc6962::CheckInclusion(*leaf, other, head.size, path, *root)) << index;
  }
}

TEST_F(AuditVerify, ConsistencyProofsBetweenSignedHeadsVerifyIndependently) {
  SignedHead newest = LatestHead();
  auto new_root = DigestOfHex(newest.root_hex);
  ASSERT_TRUE(new_root.has_value());
  std::istringstream rows(Sql(
      practice_->data_dir, "SELECT size || ' ' || hex(root) FROM audit_tree_heads ORDER BY size;",
      "SELECT size || ' ' || encode(root, 'hex') FROM audit_tree_heads ORDER BY size;"));
  std::string line;
  int checked = 0;
  while (std::getline(rows, line)) {
    std::istringstream in(line);
    SignedHead old;
    in >> old.size >> old.root_hex;
    auto old_root = DigestOfHex(Lower(old.root_hex));
    ASSERT_TRUE(old_root.has_value()) << line;
    auto r = RunMedvault({"audit", "proof", "consistency", "--data", practice_->data_dir, "--from",
                          std::to_string(old.size), "--to", std::to_string(newest.size)});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::vector<Digest> path = Digests(Json(r.out)["path"]);
    EXPECT_TRUE(rfc6962::CheckConsistency(old.size, newest.size, *old_root, *new_root, path))
        << old.size;
    if (old.size != newest.size && old.size > 1) {
      EXPECT_FALSE(rfc6962::CheckConsistency(old.size - 1, newest.size, *old_root, *new_root, path))
          << old.size;
    }
    ++checked;
  }
  EXPECT_GE(checked, 2);
}

TEST_F(AuditVerify, ProofArgumentsOutsideTheLogFailWithAMessage) {
  const std::string n = std::to_string(entries_);
  const std::string& dir = practice_->data_dir;
  struct Case {
    std::vector<std::string> args;
    int exit_code;
  };
  for (const Case& c : {
           Case{{"audit", "proof", "inclusion", "--data", dir, "--index", n, "--size", n}, 1},
           Case{{"audit", "proof", "inclusion", "--data", dir, "--index", "0", "--size",
                 std::to_string(entries_ + 1)},
                1},
           Case{{"audit", "proof", "inclusion", "--data", dir, "--index", "-1", "--size", n}, 1},
           Case{{"audit", "proof", "consistency", "--data", dir, "--from", n, "--to", "1"}, 1},
           Case{{"audit", "proof", "consistency", "--data", dir, "--from", "1", "--to",
                 std::to_string(entries_ + 1)},
                1},
           Case{{"audit", "proof", "inclusion", "--data", dir, "--index", "0"}, 2},
           Case{{"audit", "proof", "consistency", "--data", dir, "--from", "x", "--to", n}, 2},
           Case{{"audit", "proof", "--data", dir}, 2},
           Case{{"audit", "verify"}, 2},
       }) {
    auto r = RunMedvault(c.args);
    std::string shown;
    for (const std::string& a : c.args) shown += a + " ";
    EXPECT_EQ(r.exit_code, c.exit_code) << shown << r.err;
    EXPECT_EQ(r.out, "") << shown;
    EXPECT_FALSE(r.err.empty()) << shown;
  }
}

TEST_F(AuditVerify, HelpOnEveryAuditCommand) {
  for (std::vector<std::string> args : {std::vector<std::string>{"audit", "--help"},
                                        {"audit", "verify", "--help"},
                                        {"audit", "proof", "--help"},
                                        {"audit", "proof", "inclusion", "--help"},
                                        {"audit", "proof", "consistency", "--help"}}) {
    auto r = RunMedvault(args);
    EXPECT_EQ(r.exit_code, 0) << args.back();
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace medvault::testing
