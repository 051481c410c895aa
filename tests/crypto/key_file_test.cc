#include "crypto/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "crypto/encoding.h"
#include "crypto/signing_key.h"

namespace medvault::crypto {
namespace {

class KeyFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-keyfile-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    ::unsetenv("MEDVAULT_MASTER_KEY");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(KeyFileTest, WritesMode0600AndReadsBack) {
  std::string path = dir_ + "/master.key";
  SecretKey key = SecretKey::Random();
  ASSERT_TRUE(WriteKeyFile(path, kMasterKeyLabel, key).has_value());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto loaded = LoadMasterKey(path);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(ToHex({loaded->data(), loaded->size()}), ToHex({key.data(), key.size()}));
}

TEST_F(KeyFileTest, RefusesToOverwrite) {
  std::string path = dir_ + "/master.key";
  ASSERT_TRUE(WriteKeyFile(path, kMasterKeyLabel, SecretKey::Random()).has_value());
  auto again = WriteKeyFile(path, kMasterKeyLabel, SecretKey::Random());
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

TEST_F(KeyFileTest, RefusesGroupOrWorldReadableFiles) {
  std::string path = dir_ + "/master.key";
  ASSERT_TRUE(WriteKeyFile(path, kMasterKeyLabel, SecretKey::Random()).has_value());
  ::chmod(path.c_str(), 0644);
  auto loaded = LoadMasterKey(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_NE(loaded.error().message.find("0644"), std::string::npos);
  EXPECT_NE(loaded.error().message.find("chmod 600"), std::string::npos);
}

TEST_F(KeyFileTest, RefusesMissingAndMalformedFilesWithoutEchoingContent) {
  EXPECT_FALSE(LoadMasterKey(dir_ + "/absent.key").has_value());
  std::string path = dir_ + "/bad.key";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("medvault master key v1\nzz-secret-zz\n", f);
  std::fclose(f);
  ::chmod(path.c_str(), 0600);
  auto loaded = LoadMasterKey(path);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message.find("zz-secret-zz"), std::string::npos);
  EXPECT_FALSE(ReadKeyFile(path, kSigningKeyLabel).has_value());
}

TEST_F(KeyFileTest, EnvironmentOverridesTheFile) {
  ::setenv("MEDVAULT_MASTER_KEY", std::string(64, 'a').c_str(), 1);
  auto loaded = LoadMasterKey(dir_ + "/absent.key");
  ::unsetenv("MEDVAULT_MASTER_KEY");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(ToHex({loaded->data(), loaded->size()}), std::string(64, 'a'));
}

TEST_F(KeyFileTest, SigningKeyRoundTripsAndSignaturesVerify) {
  SigningKey key = SigningKey::Generate();
  ASSERT_TRUE(WriteSigningKey(key, dir_ + "/signing.key", dir_ + "/signing.pub").has_value());
  auto loaded = ReadSigningKey(dir_ + "/signing.key");
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->public_key(), key.public_key());
  std::string message = "tree head 42";
  Signature sig = loaded->Sign(AsBytes(message));
  EXPECT_TRUE(VerifySignature(key.public_key(), AsBytes(message), sig));
  sig[0] ^= 1;
  EXPECT_FALSE(VerifySignature(key.public_key(), AsBytes(message), sig));
}

}  // namespace
}  // namespace medvault::crypto
