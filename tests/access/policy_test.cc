// The foundation's access matrix, cell by cell: role × data category × action, plus the
// organization scope of secretaries and the compartment rules.
#include "access/policy.h"

#include <gtest/gtest.h>

#include "identity/principal_test_peer.h"
#include "store/records.h"

namespace medvault::access {
namespace {

using fhir::ResourceType;
using identity::PrincipalTestPeer;
using identity::Role;

AccessTarget PatientData(ResourceType type, std::string organization = "org-a") {
  return AccessTarget{type, "patient-1", std::move(organization), ""};
}

AccessTarget Directory(ResourceType type) {
  return AccessTarget{type, std::string(store::kDirectoryCompartment), "", ""};
}

struct Row {
  Role role;
  ResourceType type;
  Action action;
  bool allowed;
};

TEST(Policy, Matrix) {
  const auto P = ResourceType::kPatient, O = ResourceType::kObservation,
             C = ResourceType::kCondition, N = ResourceType::kDocumentReference,
             T = ResourceType::kCareTeam;
  const Row rows[] = {
      // physicians: everything on patient data
      {Role::kPhysician, P, Action::kRead, true},
      {Role::kPhysician, P, Action::kCreate, true},
      {Role::kPhysician, P, Action::kUpdate, true},
      {Role::kPhysician, P, Action::kDelete, true},
      {Role::kPhysician, O, Action::kSearch, true},
      {Role::kPhysician, N, Action::kCreate, true},
      {Role::kPhysician, T, Action::kUpdate, true},
      // nurses: read all, write observations only
      {Role::kNurse, P, Action::kRead, true},
      {Role::kNurse, P, Action::kUpdate, false},
      {Role::kNurse, O, Action::kCreate, true},
      {Role::kNurse, O, Action::kUpdate, true},
      {Role::kNurse, C, Action::kCreate, false},
      {Role::kNurse, N, Action::kRead, true},
      {Role::kNurse, N, Action::kCreate, false},
      {Role::kNurse, T, Action::kRead, true},
      {Role::kNurse, T, Action::kCreate, false},
      // secretaries: administrative data of their organization, no clinical data
      {Role::kSecretary, P, Action::kRead, true},
      {Role::kSecretary, P, Action::kCreate, true},
      {Role::kSecretary, P, Action::kSearch, true},
      {Role::kSecretary, O, Action::kRead, false},
      {Role::kSecretary, N, Action::kSearch, false},
      {Role::kSecretary, T, Action::kRead, true},
      {Role::kSecretary, T, Action::kUpdate, false},
      // security officers and administrators: no patient data at all
      {Role::kSecurityOfficer, P, Action::kRead, false},
      {Role::kSecurityOfficer, O, Action::kRead, false},
      {Role::kSecurityOfficer, P, Action::kSearch, false},
      {Role::kAdmin, P, Action::kRead, false},
      {Role::kAdmin, P, Action::kCreate, false},
      {Role::kAdmin, O, Action::kRead, false},
      {Role::kAdmin, N, Action::kSearch, false},
      {Role::kAdmin, T, Action::kRead, false},
  };
  Policy policy;
  for (const Row& r : rows) {
    auto principal = PrincipalTestPeer::Make(r.role);
    auto d = policy.Decide(principal, r.action, PatientData(r.type));
    EXPECT_EQ(d.allowed(), r.allowed) << identity::NameOf(r.role) << " " << NameOf(r.action) << " "
                                      << fhir::NameOf(r.type) << ": " << d.reason();
    EXPECT_FALSE(d.reason().empty());
  }
}

TEST(Policy, DirectoryIsReadByAllAndWrittenByAdminsOnly) {
  Policy policy;
  for (Role role : identity::kAllRoles) {
    auto p = PrincipalTestPeer::Make(role);
    for (ResourceType type : {ResourceType::kPractitioner, ResourceType::kOrganization}) {
      EXPECT_TRUE(policy.Decide(p, Action::kRead, Directory(type)).allowed());
      EXPECT_TRUE(policy.Decide(p, Action::kSearch, Directory(type)).allowed());
      EXPECT_EQ(policy.Decide(p, Action::kCreate, Directory(type)).allowed(), role == Role::kAdmin);
    }
  }
}

TEST(Policy, SecretariesStayInTheirOrganization) {
  Policy policy;
  auto secretary = PrincipalTestPeer::Make(Role::kSecretary, "org-a");
  EXPECT_TRUE(
      policy.Decide(secretary, Action::kRead, PatientData(ResourceType::kPatient)).allowed());
  EXPECT_FALSE(policy.Decide(secretary, Action::kRead, PatientData(ResourceType::kPatient, "org-b"))
                   .allowed());
  EXPECT_FALSE(
      policy.Decide(secretary, Action::kRead, PatientData(ResourceType::kPatient, "")).allowed());
  auto homeless = PrincipalTestPeer::Make(Role::kSecretary, "");
  EXPECT_FALSE(
      policy.Decide(homeless, Action::kRead, PatientData(ResourceType::kPatient, "")).allowed());
}

TEST(Policy, CompartmentMustFitTheType) {
  Policy policy;
  auto doctor = PrincipalTestPeer::Make(Role::kPhysician);
  EXPECT_FALSE(
      policy.Decide(doctor, Action::kRead, Directory(ResourceType::kObservation)).allowed());
  EXPECT_FALSE(
      policy.Decide(doctor, Action::kRead, PatientData(ResourceType::kPractitioner)).allowed());
  AccessTarget nowhere{ResourceType::kObservation, "", "", ""};
  EXPECT_FALSE(policy.Decide(doctor, Action::kRead, nowhere).allowed());
}

TEST(Policy, SystemDecisionCoversTheDirectoryOnly) {
  Policy policy;
  EXPECT_TRUE(policy.SystemDirectoryWrite(Action::kCreate, ResourceType::kOrganization).allowed());
  EXPECT_FALSE(policy.SystemDirectoryWrite(Action::kCreate, ResourceType::kPatient).allowed());
  EXPECT_FALSE(policy.SystemDirectoryWrite(Action::kRead, ResourceType::kPractitioner).allowed());
}

TEST(Policy, MaySearchFollowsTheMatrix) {
  Policy policy;
  EXPECT_TRUE(
      policy.MaySearch(PrincipalTestPeer::Make(Role::kPhysician), ResourceType::kObservation));
  EXPECT_FALSE(
      policy.MaySearch(PrincipalTestPeer::Make(Role::kSecretary), ResourceType::kObservation));
  EXPECT_FALSE(policy.MaySearch(PrincipalTestPeer::Make(Role::kAdmin), ResourceType::kPatient));
  EXPECT_TRUE(policy.MaySearch(PrincipalTestPeer::Make(Role::kAdmin), ResourceType::kOrganization));
}

}  // namespace
}  // namespace medvault::access
