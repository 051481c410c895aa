// The RecordVault opens and seals only for an allowing decision about the very record
// in hand, and sealed bodies cannot be moved between records or compartments.
#include "access/record_vault.h"

#include <gtest/gtest.h>

#include "access/fake_care.h"
#include "identity/principal_test_peer.h"

namespace medvault::access {
namespace {

using fhir::ResourceType;
using identity::PrincipalTestPeer;
using identity::Role;

class RecordVaultTest : public ::testing::Test {
 protected:
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  RecordVault vault_{keyring_};
  FakeCare care_ = [] {
    FakeCare care;  // the doctor cares for p1 and p2
    care.InCare("account-1", "p1");
    care.InCare("account-1", "p2");
    return care;
  }();
  Policy policy_{care_};
  identity::Principal doctor_ = PrincipalTestPeer::Make(Role::kPhysician);
  identity::Principal admin_ = PrincipalTestPeer::Make(Role::kAdmin);

  AccessTarget Target(std::string patient, ResourceType type = ResourceType::kPatient) {
    return AccessTarget{type, std::move(patient), "org-a", ""};
  }
  store::CompartmentRow NewPatient(const std::string& id) {
    auto d = policy_.Decide(doctor_, Action::kCreate, Target(id));
    auto row = vault_.NewCompartment(d, 1);
    EXPECT_TRUE(row.has_value());
    return *row;
  }
  store::ResourceRow Row(const std::string& patient, int64_t version = 1) {
    return store::ResourceRow{"Patient", patient, version, patient, 1, false, {}};
  }
};

TEST_F(RecordVaultTest, SealsAndOpensForAllowedDecisions) {
  auto compartment = NewPatient("p1");
  auto row = Row("p1");
  auto write = policy_.Decide(doctor_, Action::kCreate, Target("p1"));
  auto sealed = vault_.Seal(write, compartment, row, R"({"resourceType":"Patient"})");
  ASSERT_TRUE(sealed.has_value());
  row.body = *sealed;
  auto read = policy_.Decide(doctor_, Action::kRead, Target("p1"));
  auto opened = vault_.Open(read, compartment, row);
  ASSERT_TRUE(opened.has_value());
  EXPECT_EQ(*opened, R"({"resourceType":"Patient"})");
}

TEST_F(RecordVaultTest, RefusesDeniedMismatchedOrWrongKindDecisions) {
  auto compartment = NewPatient("p1");
  auto row = Row("p1");
  auto write = policy_.Decide(doctor_, Action::kCreate, Target("p1"));
  row.body = *vault_.Seal(write, compartment, row, "{}");

  auto denied = policy_.Decide(admin_, Action::kRead, Target("p1"));
  ASSERT_FALSE(denied.allowed());
  EXPECT_EQ(vault_.Open(denied, compartment, row).error().code, ErrorCode::kForbidden);
  auto other_patient = policy_.Decide(doctor_, Action::kRead, Target("p2"));
  EXPECT_FALSE(vault_.Open(other_patient, compartment, row).has_value());
  auto other_type =
      policy_.Decide(doctor_, Action::kRead, Target("p1", ResourceType::kObservation));
  EXPECT_FALSE(vault_.Open(other_type, compartment, row).has_value());
  // A write decision does not open, a read decision does not seal.
  EXPECT_FALSE(vault_.Open(write, compartment, row).has_value());
  auto read = policy_.Decide(doctor_, Action::kRead, Target("p1"));
  EXPECT_FALSE(vault_.Seal(read, compartment, row, "{}").has_value());
  EXPECT_FALSE(vault_.NewCompartment(read, 1).has_value());
}

TEST_F(RecordVaultTest, ABreachNotificationOpensContactDetailsOnly) {
  auto compartment = NewPatient("p1");
  auto row = Row("p1");
  row.body = *vault_.Seal(policy_.Decide(doctor_, Action::kCreate, Target("p1")), compartment, row,
                          R"({"resourceType":"Patient","id":"p1","identifier":[{"value":"1"}],)"
                          R"("name":[{"family":"Brulard"}],"telecom":[{"system":"phone",)"
                          R"("value":"0612"}],"extension":[{"url":"http://x","valueString":)"
                          R"("comment"}]})");
  auto officer = PrincipalTestPeer::Make(Role::kSecurityOfficer);
  auto notify = policy_.BreachNotificationContact(officer, Target("p1"));
  ASSERT_TRUE(notify.allowed());
  auto opened = vault_.Open(notify, compartment, row);
  ASSERT_TRUE(opened.has_value()) << opened.error().message;
  EXPECT_EQ(*opened, R"({"resourceType":"Patient","id":"p1","name":[{"family":"Brulard"}],)"
                     R"("telecom":[{"system":"phone","value":"0612"}]})");
  auto searched = vault_.OpenForSearch(notify, compartment, row);
  ASSERT_TRUE(searched.has_value());
  EXPECT_EQ(searched->json, *opened) << "the mask holds on the search path too";
}

TEST_F(RecordVaultTest, SealedBodiesAreBoundToTheirRecord) {
  auto c1 = NewPatient("p1");
  auto c2 = NewPatient("p2");
  auto row = Row("p1");
  row.body = *vault_.Seal(policy_.Decide(doctor_, Action::kCreate, Target("p1")), c1, row, "{}");
  auto read = policy_.Decide(doctor_, Action::kRead, Target("p1"));
  ASSERT_TRUE(vault_.Open(read, c1, row).has_value());

  auto moved_version = row;
  moved_version.version = 2;  // replaying version 1's ciphertext as version 2
  EXPECT_FALSE(vault_.Open(read, c1, moved_version).has_value());

  auto other_key = c1;
  other_key.wrapped_dek = c2.wrapped_dek;  // swapping wrapped keys between patients
  EXPECT_FALSE(vault_.Open(read, other_key, row).has_value());
}

}  // namespace
}  // namespace medvault::access
