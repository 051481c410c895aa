#include "crypto/record_cipher.h"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace medvault::crypto {
namespace {

class RecordCipher : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!RecordCipherAvailable()) GTEST_SKIP() << "this CPU cannot run AES-256-GCM";
  }
  SecretKey key_ = SecretKey::Random();
};

Bytes OpenOrDie(RecordOpener& opener, std::span<const uint8_t> sealed, std::string_view ad) {
  Bytes plain;
  Status opened = opener.Open(sealed, ad, plain);
  EXPECT_TRUE(opened.has_value());
  return plain;
}

TEST_F(RecordCipher, RoundTripsAndHidesPlaintext) {
  RecordSealer sealer(key_);
  RecordOpener opener(key_);
  std::string text = R"({"agent":"Jeanne Dupont","patients":["p-1"]})";
  Bytes sealed = sealer.Seal(AsBytes(text), "medvault/audit/v1");
  EXPECT_EQ(sealed.size(), text.size() + kRecordCipherOverhead);
  EXPECT_TRUE(LooksLikeSealedRecord(sealed));
  EXPECT_EQ(std::string(AsText(sealed)).find("Dupont"), std::string::npos);
  EXPECT_EQ(AsText(OpenOrDie(opener, sealed, "medvault/audit/v1")), text);
  Bytes empty = sealer.Seal({}, "ad");
  EXPECT_TRUE(OpenOrDie(opener, empty, "ad").empty());
}

TEST_F(RecordCipher, RefusesWrongKeyWrongContextTamperingAndShortInput) {
  RecordSealer sealer(key_);
  Bytes sealed = sealer.Seal(AsBytes("entry"), "audit");
  SecretKey other = SecretKey::Random();
  RecordOpener wrong_key(other);
  RecordOpener opener(key_);
  Bytes plain;
  EXPECT_FALSE(wrong_key.Open(sealed, "audit", plain).has_value());
  EXPECT_FALSE(opener.Open(sealed, "audit2", plain).has_value());
  for (size_t i = 0; i < sealed.size(); ++i) {
    Bytes flipped = sealed;
    flipped[i] ^= 0x01;
    EXPECT_FALSE(opener.Open(flipped, "audit", plain).has_value()) << "byte " << i;
  }
  for (size_t size = 0; size < kRecordCipherOverhead; ++size) {
    Bytes cut(sealed.begin(), sealed.begin() + static_cast<ptrdiff_t>(size));
    EXPECT_FALSE(opener.Open(cut, "audit", plain).has_value()) << size << " bytes";
  }
  EXPECT_EQ(AsText(OpenOrDie(opener, sealed, "audit")), "entry");  // still opens
}

// The nonce is a counter under a random subkey: no two records of one sealer, or of two
// sealers of the same key (two processes), share a subkey and a nonce.
TEST_F(RecordCipher, NoTwoRecordsShareSubkeyAndNonceAcrossThreadsAndSealers) {
  RecordSealer first(key_);
  RecordSealer second(key_);
  constexpr int kPerThread = 500;
  std::vector<std::vector<Bytes>> sealed(4);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        RecordSealer& sealer = t % 2 == 0 ? first : second;
        for (int i = 0; i < kPerThread; ++i) sealed[t].push_back(sealer.Seal(AsBytes("x"), "ad"));
      });
    }
  }
  std::set<Bytes> headers;
  std::set<Bytes> subkeys;
  RecordOpener opener(key_);
  for (const auto& records : sealed) {
    for (const Bytes& record : records) {
      headers.emplace(record.begin(), record.begin() + 1 + 16 + 12);
      subkeys.emplace(record.begin() + 1, record.begin() + 1 + 16);
      EXPECT_EQ(AsText(OpenOrDie(opener, record, "ad")), "x");
    }
  }
  EXPECT_EQ(headers.size(), 4u * kPerThread);
  EXPECT_EQ(subkeys.size(), 2u);
}

TEST_F(RecordCipher, DrawsANewSubkeyAfterItsQuota) {
  RecordSealer sealer(key_);
  sealer.set_records_per_subkey(3);
  std::set<Bytes> subkeys;
  std::vector<Bytes> records;
  for (int i = 0; i < 7; ++i) {
    records.push_back(sealer.Seal(AsBytes(std::to_string(i)), "ad"));
    subkeys.emplace(records.back().begin() + 1, records.back().begin() + 17);
  }
  EXPECT_EQ(subkeys.size(), 3u);  // 3 + 3 + 1
  RecordOpener opener(key_);
  for (int i = 0; i < 7; ++i)
    EXPECT_EQ(AsText(OpenOrDie(opener, records[i], "ad")), std::to_string(i));
}

TEST_F(RecordCipher, AnOpenerStaysBoundedWhateverTheSubkeysItSees) {
  RecordOpener opener(key_);
  // A forged log could name a new subkey in every entry: each costs a derivation and
  // fails, and the cache is cleared rather than grown.
  for (int i = 0; i < 2000; ++i) {
    RecordSealer sealer(key_);
    Bytes record = sealer.Seal(AsBytes("x"), "ad");
    EXPECT_EQ(AsText(OpenOrDie(opener, record, "ad")), "x");
  }
}

}  // namespace
}  // namespace medvault::crypto
