// The Policy cell by cell: role × data category × action × relationship, with the
// relationship supplied by a fake (tests/access/fake_care.h). The same rules are
// checked end to end over HTTPS by the integration suite AccessMatrixTest.
#include "access/policy.h"

#include <gtest/gtest.h>

#include "access/fake_care.h"
#include "identity/principal_test_peer.h"
#include "store/records.h"

namespace medvault::access {
namespace {

using fhir::ResourceType;
using identity::PrincipalTestPeer;
using identity::Role;

// Patients: "cared" (the caller's CareTeam), "granted" (a break-the-glass grant),
// "colleague" (same organization, someone else's care), "elsewhere" (organization B).
AccessTarget PatientData(ResourceType type, std::string patient, std::string organization,
                         std::string confidentiality = "") {
  return AccessTarget{type, std::move(patient), std::move(organization),
                      std::move(confidentiality)};
}

AccessTarget Directory(ResourceType type) {
  return AccessTarget{type, std::string(store::kDirectoryCompartment), "", ""};
}

class PolicyTest : public ::testing::Test {
 protected:
  PolicyTest() {
    for (const char* account : {"physician", "nurse"}) {
      care_.InCare(account, "cared");
      care_.Grant(account, "granted");
    }
  }
  identity::Principal As(Role role) {
    return PrincipalTestPeer::Make(role, "org-a", std::string(identity::NameOf(role)));
  }
  FakeCare care_;
  Policy policy_{care_};
};

// Expected actions per cell, as letters: r read, s search, c create, u update, d delete.
struct Cell {
  Role role;
  ResourceType type;
  const char* patient;
  const char* organization;
  const char* allowed;
};

TEST_F(PolicyTest, Matrix) {
  const auto P = ResourceType::kPatient, T = ResourceType::kCareTeam,
             O = ResourceType::kObservation, C = ResourceType::kCondition,
             N = ResourceType::kDocumentReference;
  const Cell cells[] = {
      // physicians: everything in their care; under a grant all but the care team's writes
      {Role::kPhysician, P, "cared", "org-a", "rsud"},
      {Role::kPhysician, T, "cared", "org-a", "rscud"},
      {Role::kPhysician, O, "cared", "org-a", "rscud"},
      {Role::kPhysician, N, "cared", "org-a", "rscud"},
      {Role::kPhysician, P, "granted", "org-b", "rsud"},
      {Role::kPhysician, T, "granted", "org-b", "rs"},
      {Role::kPhysician, C, "granted", "org-b", "rscud"},
      {Role::kPhysician, P, "colleague", "org-a", ""},
      {Role::kPhysician, O, "colleague", "org-a", ""},
      {Role::kPhysician, T, "elsewhere", "org-b", ""},
      {Role::kPhysician, N, "elsewhere", "org-b", ""},
      // nurses: read in care (or under a grant), write observations only
      {Role::kNurse, P, "cared", "org-a", "rs"},
      {Role::kNurse, T, "cared", "org-a", "rs"},
      {Role::kNurse, O, "cared", "org-a", "rscud"},
      {Role::kNurse, C, "cared", "org-a", "rs"},
      {Role::kNurse, O, "granted", "org-b", "rscud"},
      {Role::kNurse, N, "granted", "org-b", "rs"},
      {Role::kNurse, P, "colleague", "org-a", ""},
      {Role::kNurse, O, "elsewhere", "org-b", ""},
      // secretaries: their organization's patients, administrative data and care teams
      {Role::kSecretary, P, "colleague", "org-a", "rsud"},
      {Role::kSecretary, T, "colleague", "org-a", "rs"},
      {Role::kSecretary, O, "colleague", "org-a", ""},
      {Role::kSecretary, N, "colleague", "org-a", ""},
      {Role::kSecretary, P, "elsewhere", "org-b", ""},
      {Role::kSecretary, P, "nowhere", "", ""},
      // security officers and administrators: no patient data at all
      {Role::kSecurityOfficer, P, "colleague", "org-a", ""},
      {Role::kSecurityOfficer, O, "cared", "org-a", ""},
      {Role::kAdmin, P, "colleague", "org-a", ""},
      {Role::kAdmin, T, "cared", "org-a", ""},
      {Role::kAdmin, N, "cared", "org-a", ""},
  };
  const std::pair<char, Action> actions[] = {{'r', Action::kRead},
                                             {'s', Action::kSearch},
                                             {'c', Action::kCreate},
                                             {'u', Action::kUpdate},
                                             {'d', Action::kDelete}};
  int checked = 0;
  for (const Cell& cell : cells) {
    for (auto [letter, action] : actions) {
      // Creating a Patient is registration, decided on its own (next test).
      if (cell.type == P && action == Action::kCreate) continue;
      bool expected = std::string_view(cell.allowed).find(letter) != std::string_view::npos;
      auto d = policy_.Decide(As(cell.role), action,
                              PatientData(cell.type, cell.patient, cell.organization));
      EXPECT_EQ(d.allowed(), expected)
          << identity::NameOf(cell.role) << " " << NameOf(action) << " " << fhir::NameOf(cell.type)
          << " of " << cell.patient << ": " << d.reason();
      EXPECT_FALSE(d.reason().empty());
      EXPECT_EQ(d.mask(), FieldMask::kFull);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 140);  // every cell but Patient create
}

TEST_F(PolicyTest, RegistrationIsInOnesOwnOrganizationOnly) {
  for (Role role : identity::kAllRoles) {
    bool may_register = role == Role::kPhysician || role == Role::kSecretary;
    auto own = policy_.Decide(As(role), Action::kCreate,
                              PatientData(ResourceType::kPatient, "new", "org-a"));
    EXPECT_EQ(own.allowed(), may_register) << identity::NameOf(role) << ": " << own.reason();
    if (own.allowed()) {
      EXPECT_EQ(own.basis(), Basis::kRegistration);
    }
    EXPECT_FALSE(
        policy_
            .Decide(As(role), Action::kCreate, PatientData(ResourceType::kPatient, "new", "org-b"))
            .allowed());
  }
}

TEST_F(PolicyTest, RegisteringPhysicianJoinsTheCareTeamAndNobodyElse) {
  auto doctor = As(Role::kPhysician);
  auto created =
      policy_.Decide(doctor, Action::kCreate, PatientData(ResourceType::kPatient, "new", "org-a"));
  ASSERT_TRUE(created.allowed());
  auto team = policy_.RegistrationCareTeam(doctor, created);
  EXPECT_TRUE(team.allowed());
  EXPECT_EQ(team.target().type, ResourceType::kCareTeam);
  EXPECT_EQ(team.target().compartment, "new");

  auto secretary = As(Role::kSecretary);
  auto by_secretary = policy_.Decide(secretary, Action::kCreate,
                                     PatientData(ResourceType::kPatient, "new", "org-a"));
  ASSERT_TRUE(by_secretary.allowed());
  EXPECT_FALSE(policy_.RegistrationCareTeam(secretary, by_secretary).allowed());
  // Any other decision, even an allowing one, does not start a team.
  auto read =
      policy_.Decide(doctor, Action::kRead, PatientData(ResourceType::kPatient, "cared", "org-a"));
  ASSERT_TRUE(read.allowed());
  EXPECT_FALSE(policy_.RegistrationCareTeam(doctor, read).allowed());
}

TEST_F(PolicyTest, StartingCareIsForPhysiciansAndNeverForRestrictedPatients) {
  auto team = [](std::string confidentiality) {
    return AccessTarget{ResourceType::kCareTeam, "colleague", "org-a", std::move(confidentiality)};
  };
  EXPECT_TRUE(policy_.StartCare(As(Role::kPhysician), team("")).allowed());
  EXPECT_TRUE(policy_.StartCare(As(Role::kPhysician), team("N")).allowed());
  EXPECT_FALSE(policy_.StartCare(As(Role::kPhysician), team("R")).allowed());
  EXPECT_FALSE(policy_.StartCare(As(Role::kPhysician), team("V")).allowed());
  for (Role role : {Role::kNurse, Role::kSecretary, Role::kSecurityOfficer, Role::kAdmin})
    EXPECT_FALSE(policy_.StartCare(As(role), team("")).allowed()) << identity::NameOf(role);
  AccessTarget not_a_team{ResourceType::kObservation, "colleague", "org-a", ""};
  EXPECT_FALSE(policy_.StartCare(As(Role::kPhysician), not_a_team).allowed());
}

TEST_F(PolicyTest, RestrictedPatientsAreReachedOnlyInCareAndAlertOtherwise) {
  auto doctor = As(Role::kPhysician);
  for (const char* label : {"R", "V"}) {
    auto in_care = policy_.Decide(doctor, Action::kRead,
                                  PatientData(ResourceType::kObservation, "cared", "org-a", label));
    EXPECT_TRUE(in_care.allowed());
    EXPECT_FALSE(in_care.raises_confidentiality_alert());
    auto granted = policy_.Decide(
        doctor, Action::kRead, PatientData(ResourceType::kObservation, "granted", "org-b", label));
    EXPECT_TRUE(granted.allowed());
    EXPECT_EQ(granted.basis(), Basis::kBreakGlass);
    EXPECT_TRUE(granted.raises_confidentiality_alert());
    auto outside =
        policy_.Decide(doctor, Action::kRead,
                       PatientData(ResourceType::kObservation, "colleague", "org-a", label));
    EXPECT_FALSE(outside.allowed());
    EXPECT_TRUE(outside.raises_confidentiality_alert());
    // Not in the directory, and no alert for not being listed.
    auto listed = policy_.Decide(doctor, Action::kDirectoryLookup,
                                 PatientData(ResourceType::kPatient, "colleague", "org-a", label));
    EXPECT_FALSE(listed.allowed());
    EXPECT_FALSE(listed.raises_confidentiality_alert());
    // The organization's secretary works within the relationship.
    auto secretary =
        policy_.Decide(As(Role::kSecretary), Action::kRead,
                       PatientData(ResourceType::kPatient, "colleague", "org-a", label));
    EXPECT_TRUE(secretary.allowed());
    EXPECT_FALSE(secretary.raises_confidentiality_alert());
  }
  auto normal = policy_.Decide(doctor, Action::kRead,
                               PatientData(ResourceType::kObservation, "granted", "org-b", "N"));
  EXPECT_TRUE(normal.allowed());
  EXPECT_FALSE(normal.raises_confidentiality_alert());
}

TEST_F(PolicyTest, OnlyAPhysicianInTheCareTeamChangesTheLabel) {
  auto change = [](std::string patient, std::string organization) {
    AccessTarget t =
        PatientData(ResourceType::kPatient, std::move(patient), std::move(organization), "");
    t.changes_label = true;
    return t;
  };
  EXPECT_TRUE(
      policy_.Decide(As(Role::kPhysician), Action::kUpdate, change("cared", "org-a")).allowed());
  EXPECT_FALSE(
      policy_.Decide(As(Role::kPhysician), Action::kUpdate, change("granted", "org-b")).allowed());
  EXPECT_FALSE(policy_.Decide(As(Role::kSecretary), Action::kUpdate, change("colleague", "org-a"))
                   .allowed());
  EXPECT_FALSE(
      policy_.Decide(As(Role::kNurse), Action::kUpdate, change("cared", "org-a")).allowed());
  // A secretary registers patients, but not restricted ones.
  EXPECT_FALSE(
      policy_.Decide(As(Role::kSecretary), Action::kCreate, change("new", "org-a")).allowed());
  EXPECT_TRUE(
      policy_.Decide(As(Role::kPhysician), Action::kCreate, change("new", "org-a")).allowed());
}

TEST_F(PolicyTest, DirectoryLookupShowsMinimalIdentityOfPatientsOnly) {
  for (Role role : identity::kAllRoles) {
    auto d = policy_.Decide(As(role), Action::kDirectoryLookup,
                            PatientData(ResourceType::kPatient, "elsewhere", "org-b"));
    bool expected = role == Role::kPhysician || role == Role::kNurse || role == Role::kSecretary;
    EXPECT_EQ(d.allowed(), expected) << identity::NameOf(role);
    if (d.allowed()) {
      EXPECT_EQ(d.mask(), FieldMask::kMinimalIdentity);
    }
  }
  EXPECT_FALSE(policy_
                   .Decide(As(Role::kPhysician), Action::kDirectoryLookup,
                           PatientData(ResourceType::kObservation, "elsewhere", "org-b"))
                   .allowed());
}

TEST_F(PolicyTest, AFailedRelationshipLookupDenies) {
  care_.Fail();
  auto d = policy_.Decide(As(Role::kPhysician), Action::kRead,
                          PatientData(ResourceType::kObservation, "cared", "org-a"));
  EXPECT_FALSE(d.allowed());
  EXPECT_EQ(d.basis(), Basis::kNone);
}

TEST_F(PolicyTest, DirectoryIsReadByAllAndWrittenByAdminsOnly) {
  for (Role role : identity::kAllRoles) {
    for (ResourceType type : {ResourceType::kPractitioner, ResourceType::kOrganization}) {
      EXPECT_TRUE(policy_.Decide(As(role), Action::kRead, Directory(type)).allowed());
      EXPECT_TRUE(policy_.Decide(As(role), Action::kSearch, Directory(type)).allowed());
      EXPECT_EQ(policy_.Decide(As(role), Action::kCreate, Directory(type)).allowed(),
                role == Role::kAdmin);
    }
  }
}

TEST_F(PolicyTest, CompartmentMustFitTheType) {
  auto doctor = As(Role::kPhysician);
  EXPECT_FALSE(
      policy_.Decide(doctor, Action::kRead, Directory(ResourceType::kObservation)).allowed());
  EXPECT_FALSE(
      policy_
          .Decide(doctor, Action::kRead, PatientData(ResourceType::kPractitioner, "cared", "org-a"))
          .allowed());
  AccessTarget nowhere{ResourceType::kObservation, "", "", ""};
  EXPECT_FALSE(policy_.Decide(doctor, Action::kRead, nowhere).allowed());
}

TEST_F(PolicyTest, SystemDecisionCoversTheDirectoryOnly) {
  EXPECT_TRUE(policy_.SystemDirectoryWrite(Action::kCreate, ResourceType::kOrganization).allowed());
  EXPECT_FALSE(policy_.SystemDirectoryWrite(Action::kCreate, ResourceType::kPatient).allowed());
  EXPECT_FALSE(policy_.SystemDirectoryWrite(Action::kRead, ResourceType::kPractitioner).allowed());
}

// The detector opens a clinician's Practitioner to compare names (snooping): that one
// directory type, read only, never a patient's compartment.
TEST_F(PolicyTest, TheDetectorReadsPractitionersInTheDirectoryOnly) {
  auto clinician = policy_.DetectorReadsClinician(Directory(ResourceType::kPractitioner));
  EXPECT_TRUE(clinician.allowed());
  EXPECT_EQ(clinician.action(), Action::kRead);
  EXPECT_EQ(clinician.basis(), Basis::kSystem);
  EXPECT_FALSE(policy_.DetectorReadsClinician(Directory(ResourceType::kOrganization)).allowed());
  EXPECT_FALSE(
      policy_.DetectorReadsClinician(PatientData(ResourceType::kPatient, "x", "org-a")).allowed());
  EXPECT_FALSE(
      policy_.DetectorReadsClinician(PatientData(ResourceType::kPractitioner, "x", "org-a"))
          .allowed());
}

TEST_F(PolicyTest, MaySearchFollowsTheRoles) {
  EXPECT_TRUE(policy_.MaySearch(As(Role::kPhysician), ResourceType::kObservation));
  EXPECT_FALSE(policy_.MaySearch(As(Role::kSecretary), ResourceType::kObservation));
  EXPECT_FALSE(policy_.MaySearch(As(Role::kAdmin), ResourceType::kPatient));
  EXPECT_FALSE(policy_.MaySearch(As(Role::kSecurityOfficer), ResourceType::kPatient));
  EXPECT_TRUE(policy_.MaySearch(As(Role::kAdmin), ResourceType::kOrganization));
}

// The security officer's one way to patient data: a Patient's contact details, to notify
// a breach; nothing else, and nobody else.
TEST_F(PolicyTest, BreachNotificationReadsContactDetailsForTheSecurityOfficerOnly) {
  const auto officer = As(Role::kSecurityOfficer);
  auto allowed =
      policy_.BreachNotificationContact(officer, PatientData(ResourceType::kPatient, "x", "org-b"));
  EXPECT_TRUE(allowed.allowed());
  EXPECT_EQ(allowed.mask(), FieldMask::kContactDetails);
  EXPECT_EQ(allowed.action(), Action::kRead);
  EXPECT_EQ(allowed.basis(), Basis::kBreachNotification);
  EXPECT_FALSE(allowed.raises_confidentiality_alert());
  for (Role role : {Role::kPhysician, Role::kNurse, Role::kSecretary, Role::kAdmin})
    EXPECT_FALSE(policy_
                     .BreachNotificationContact(
                         As(role), PatientData(ResourceType::kPatient, "cared", "org-a"))
                     .allowed())
        << identity::NameOf(role);
  EXPECT_FALSE(
      policy_
          .BreachNotificationContact(officer, PatientData(ResourceType::kObservation, "x", "org-b"))
          .allowed());
  EXPECT_FALSE(
      policy_.BreachNotificationContact(officer, Directory(ResourceType::kPractitioner)).allowed());
  // The ordinary decisions still give the security officer nothing.
  EXPECT_FALSE(
      policy_.Decide(officer, Action::kRead, PatientData(ResourceType::kPatient, "x", "org-b"))
          .allowed());
}

}  // namespace
}  // namespace medvault::access
