// The audit endpoints over HTTPS: the signed tree head checks out with the data
// directory's public key (verified here with OpenSSL, not medvault's code), and the
// inclusion and consistency proofs verify with an independent RFC 6962 implementation
// (tests/support/reference_merkle.h) against the heads' roots.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "practice_fixture.h"
#include "support/reference_merkle.h"

namespace medvault::testing {
namespace {

using Digest = rfc6962::Digest;

class AuditApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { practice_ = StartPractice().release(); }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
};
Practice* AuditApiTest::practice_ = nullptr;

std::vector<unsigned char> Unhex(const std::string& hex) {
  std::vector<unsigned char> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

Digest ToDigest(const std::string& hex) {
  Digest d{};
  auto bytes = Unhex(hex);
  EXPECT_EQ(bytes.size(), d.size()) << hex;
  std::copy_n(bytes.begin(), std::min(bytes.size(), d.size()), d.begin());
  return d;
}

std::vector<Digest> Path(const rapidjson::Value& array) {
  std::vector<Digest> out;
  for (const auto& h : array.GetArray()) out.push_back(ToDigest(h.GetString()));
  return out;
}

bool OpensslVerifiesEd25519(const std::vector<unsigned char>& public_key,
                            const std::string& message, const std::vector<unsigned char>& sig) {
  EVP_PKEY* key =
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size());
  if (key == nullptr) return false;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok =
      EVP_DigestVerifyInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
      EVP_DigestVerify(ctx, sig.data(), sig.size(),
                       reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  return ok;
}

struct Head {
  uint64_t size = 0;
  Digest root{};
};

// Waits for a signed head that covers at least `min_size` entries.
Head SignedHead(HttpsClient& officer, uint64_t min_size) {
  for (int i = 0; i < 50; ++i) {
    auto r = officer.Get("/audit/tree-head");
    if (r.status == 200) {
      auto doc = Json(r.body);
      if (doc["size"].GetUint64() >= min_size)
        return {doc["size"].GetUint64(), ToDigest(doc["root"].GetString())};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ADD_FAILURE() << "no signed head of size >= " << min_size;
  return {};
}

TEST_F(AuditApiTest, TheTreeHeadIsSignedByTheDataDirectorysKey) {
  HttpsClient& officer = practice_->as("security_officer");
  SignedHead(officer, 1);
  auto r = officer.Get("/audit/tree-head");
  ASSERT_EQ(r.status, 200) << r.body;
  auto doc = Json(r.body);
  std::string checkpoint = doc["checkpoint"].GetString();
  EXPECT_EQ(
      checkpoint.rfind("medvault audit log\n" + std::to_string(doc["size"].GetUint64()) + "\n", 0),
      0u)
      << checkpoint;
  std::ifstream pub(practice_->data_dir + "/signing.pub");
  std::string public_hex;
  pub >> public_hex;
  EXPECT_EQ(std::string(doc["key_id"].GetString()), public_hex);
  auto signature = Unhex(doc["signature"].GetString());
  EXPECT_TRUE(OpensslVerifiesEd25519(Unhex(public_hex), checkpoint, signature));
  signature[0] ^= 1;
  EXPECT_FALSE(OpensslVerifiesEd25519(Unhex(public_hex), checkpoint, signature));
}

TEST_F(AuditApiTest, ProofsVerifyIndependentlyAgainstSignedHeads) {
  HttpsClient& officer = practice_->as("security_officer");
  Head first = SignedHead(officer, 1);
  ASSERT_GT(first.size, 0u);
  // More audited requests, then a newer head.
  for (int i = 0; i < 5; ++i) practice_->as("physician").Get("/auth/me");
  Head second = SignedHead(officer, first.size + 5);
  ASSERT_GT(second.size, first.size);

  for (uint64_t index : {uint64_t{0}, first.size / 2, second.size - 1}) {
    auto r = officer.Get("/audit/proof/inclusion?index=" + std::to_string(index) +
                         "&size=" + std::to_string(second.size));
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = Json(r.body);
    Digest leaf = ToDigest(doc["leaf_hash"].GetString());
    auto path = Path(doc["path"]);
    EXPECT_TRUE(rfc6962::CheckInclusion(leaf, index, second.size, path, second.root)) << index;
    EXPECT_FALSE(rfc6962::CheckInclusion(leaf, index ^ 1, second.size, path, second.root));
  }
  auto c = officer.Get("/audit/proof/consistency?from=" + std::to_string(first.size) +
                       "&to=" + std::to_string(second.size));
  ASSERT_EQ(c.status, 200) << c.body;
  auto path = Path(Json(c.body)["path"]);
  EXPECT_TRUE(rfc6962::CheckConsistency(first.size, second.size, first.root, second.root, path));
  Digest wrong = first.root;
  wrong[0] ^= 1;
  EXPECT_FALSE(rfc6962::CheckConsistency(first.size, second.size, wrong, second.root, path));
}

TEST_F(AuditApiTest, OnlyTheSecurityOfficerAndOnlyWellFormedQueries) {
  for (const char* role : {"physician", "secretary", "admin"})
    EXPECT_EQ(practice_->as(role).Get("/audit/tree-head").status, 403) << role;
  HttpsClient& officer = practice_->as("security_officer");
  for (const char* query : {"", "?index=1", "?index=a&size=2", "?index=1&size=2&x=3",
                            "?index=-1&size=2", "?index=5&size=2", "?index=0&size=999999999"})
    EXPECT_EQ(officer.Get(std::string("/audit/proof/inclusion") + query).status, 400) << query;
  EXPECT_EQ(officer.Get("/audit/proof/consistency?from=5&to=2").status, 400);
  EXPECT_EQ(officer.Get("/audit/proof/consistency?from=1&to=999999999").status, 400);
  EXPECT_EQ(officer.Request("POST", "/audit/tree-head").status, 405);
}

}  // namespace
}  // namespace medvault::testing
