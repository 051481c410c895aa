// Key rotation seen from the one place that decrypts: data sealed under a data key
// wrapped by KEK v1 reads back once the key is re-wrapped under v2, by this keyring or by
// another process's (learned through a KekSource); a retired version reads nothing.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "access/fake_care.h"
#include "access/record_vault.h"
#include "identity/principal_test_peer.h"

namespace medvault::access {
namespace {

using identity::PrincipalTestPeer;
using identity::Role;

crypto::SecretKey Fixed(uint8_t fill) {
  crypto::Bytes raw(crypto::kKeyBytes, fill);
  return crypto::SecretKey::FromBytes(raw);
}

// What the database and key files would say: versions, their file keys, the current one.
class FakeKekSource final : public crypto::KekSource {
 public:
  void AddFileVersion(int version, uint8_t fill) { files_[version] = fill; }
  void Retire(int version) { retired_.insert(version); }
  void SetCurrent(int version) { current_ = version; }
  mutable int loads = 0;

  Result<std::optional<crypto::SecretKey>> KekOf(int version) const override {
    ++loads;
    if (retired_.contains(version))
      return Fail(ErrorCode::kInternal, "data key wrapped with a retired key version");
    if (auto it = files_.find(version); it != files_.end())
      return std::optional<crypto::SecretKey>(Fixed(it->second));
    if (version == 1) return std::nullopt;  // derived
    return Fail(ErrorCode::kInternal, "data key wrapped with an unknown key version");
  }
  Result<int> CurrentKekVersion() const override { return current_; }

 private:
  std::map<int, uint8_t> files_;
  std::set<int> retired_;
  int current_ = 1;
};

class KeyRotationTest : public ::testing::Test {
 protected:
  KeyRotationTest() { care_.InCare("account-1", "p1"); }

  AccessTarget Target() { return AccessTarget{fhir::ResourceType::kPatient, "p1", "org-a", ""}; }
  store::ResourceRow Row() { return store::ResourceRow{"Patient", "p1", 1, "p1", 1, false, {}}; }

  // A patient sealed through `vault`; returns its compartment and sealed row.
  std::pair<store::CompartmentRow, store::ResourceRow> Sealed(const RecordVault& vault) {
    auto compartment = vault.NewCompartment(policy_.Decide(doctor_, Action::kCreate, Target()), 1);
    EXPECT_TRUE(compartment.has_value());
    store::ResourceRow row = Row();
    auto body =
        vault.Seal(policy_.Decide(doctor_, Action::kCreate, Target()), *compartment, row, kJson);
    EXPECT_TRUE(body.has_value());
    row.body = *body;
    return {*compartment, row};
  }
  Result<std::string> Read(const RecordVault& vault, const store::CompartmentRow& compartment,
                           const store::ResourceRow& row) {
    return vault.Open(policy_.Decide(doctor_, Action::kRead, Target()), compartment, row);
  }
  static store::CompartmentRow Rewrapped(store::CompartmentRow c,
                                         const crypto::WrappedDataKey& wrapped) {
    c.kek_version = wrapped.kek_version;
    c.wrapped_dek = wrapped.sealed;
    return c;
  }

  static constexpr const char* kJson = R"({"resourceType":"Patient","id":"p1"})";
  FakeCare care_;
  Policy policy_{care_};
  identity::Principal doctor_ = PrincipalTestPeer::Make(Role::kPhysician);
};

TEST_F(KeyRotationTest, ADataKeyReWrappedUnderAFileKeyStillOpensItsRecords) {
  crypto::Keyring keyring(Fixed(1));
  RecordVault vault(keyring);
  auto [compartment, row] = Sealed(vault);
  EXPECT_EQ(compartment.kek_version, 1);
  keyring.AddKek(2, Fixed(7));
  auto wrapped = keyring.RewrapDataKey("p1", {compartment.kek_version, compartment.wrapped_dek}, 2);
  ASSERT_TRUE(wrapped.has_value()) << wrapped.error().message;
  EXPECT_EQ(wrapped->kek_version, 2);
  EXPECT_NE(wrapped->sealed, compartment.wrapped_dek);
  auto json = Read(vault, Rewrapped(compartment, *wrapped), row);
  ASSERT_TRUE(json.has_value()) << json.error().message;
  EXPECT_EQ(*json, kJson);
  // Still bound to its compartment: a re-wrap under another id fails.
  EXPECT_FALSE(keyring.RewrapDataKey("p2", {1, compartment.wrapped_dek}, 2).has_value());
  // New data keys go under the current version once it is set (and only if it is held).
  EXPECT_FALSE(keyring.SetKekVersion(3).has_value());
  ASSERT_TRUE(keyring.SetKekVersion(2).has_value());
  EXPECT_EQ(Sealed(vault).first.kek_version, 2);
}

TEST_F(KeyRotationTest, AServerLearnsOfAVersionAnotherProcessAdded) {
  // The "rotation" process re-wraps under v2; the "server" never loaded v2.
  crypto::Keyring rotation(Fixed(1));
  rotation.AddKek(2, Fixed(7));
  crypto::Keyring server(Fixed(1));
  FakeKekSource source;
  server.Follow(&source, std::chrono::milliseconds(0));
  RecordVault server_vault(server);
  auto [compartment, row] = Sealed(server_vault);
  auto wrapped = rotation.RewrapDataKey("p1", {1, compartment.wrapped_dek}, 2);
  ASSERT_TRUE(wrapped.has_value());

  // Unknown to the source yet: refused, nothing cached.
  EXPECT_FALSE(Read(server_vault, Rewrapped(compartment, *wrapped), row).has_value());
  source.AddFileVersion(2, 7);
  auto json = Read(server_vault, Rewrapped(compartment, *wrapped), row);
  ASSERT_TRUE(json.has_value()) << json.error().message;
  EXPECT_TRUE(server.HasKek(2));
  int loads = source.loads;
  ASSERT_TRUE(Read(server_vault, Rewrapped(compartment, *wrapped), row).has_value());
  EXPECT_EQ(source.loads, loads);  // loaded once

  // New data keys follow the current version the source names.
  source.SetCurrent(2);
  auto fresh = Sealed(server_vault);
  EXPECT_EQ(fresh.first.kek_version, 2);
  ASSERT_TRUE(Read(server_vault, fresh.first, fresh.second).has_value());
}

TEST_F(KeyRotationTest, ARetiredVersionOpensNothing) {
  crypto::Keyring writer(Fixed(1));
  RecordVault writer_vault(writer);
  auto [compartment, row] = Sealed(writer_vault);
  // A keyring that holds no version by itself (as a server after retirement of v1).
  crypto::Keyring server(Fixed(1), 0);
  FakeKekSource source;
  source.Retire(1);
  server.Follow(&source);
  EXPECT_FALSE(Read(RecordVault(server), compartment, row).has_value());
  EXPECT_FALSE(server.HasKek(1));
}

}  // namespace
}  // namespace medvault::access
