// The snooping feature's input over a real store: which patients an account reached
// share its clinician's family name or home, compared as blind-index hashes, and what
// happens when the clinician or the database cannot be read.
#include "api/clinician_kin.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "access/fake_care.h"
#include "api/search_terms.h"
#include "fhir/resource.h"

namespace medvault::api {
namespace {

using Kind = detect::DetectionEvent::Kind;
constexpr int64_t kNow = 1'780'000'000'000;
constexpr int64_t kHourMs = 3'600'000;

class ClinicianKinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/medvault-kin-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    auto opened = store::OpenSqliteStore(dir_ + "/medvault.db", true, {});
    ASSERT_TRUE(opened.has_value()) << opened.error().message;
    store_ = std::move(*opened);
    auto directory = vault_.NewCompartment(
        policy_.SystemDirectoryWrite(access::Action::kCreate, fhir::ResourceType::kPractitioner),
        1);
    ASSERT_TRUE(directory.has_value());
    directory_ = *directory;
    ASSERT_TRUE(
        store_->Write([&](store::Transaction& txn) { return txn.InsertCompartment(directory_); }));
    PutPractitioner("pr1", 1, "Le Gall", kClinicianHome);
    AddAccount("doctor", "pr1");
    AddAccount("secretary", "");
    FilePatient("kin", "Le Gall");
    FilePatient("stranger", "Martin");
    // The same building however written; the house next door; another town's street.
    FilePatient(
        "neighbour", "Quéré",
        R"({"use":"home","line":["12, Rue des Lilas","Appartement 3"],"postalCode":"29 200"})");
    FilePatient("next-door", "Quéré", R"({"line":["14 rue des Lilas"],"postalCode":"29200"})");
    FilePatient("elsewhere", "Quéré", R"({"line":["12 rue des Lilas"],"postalCode":"56100"})");
    // A patient whose work address is the clinician's home is not a neighbour.
    FilePatient("at-work", "Quéré",
                R"({"use":"work","line":["12 rue des lilas"],"postalCode":"29200"})");
    kin_ = std::make_unique<ClinicianKin>(*store_, policy_, vault_, keyring_);
  }
  void TearDown() override {
    kin_.reset();
    store_->Close();
    std::filesystem::remove_all(dir_);
  }

  static constexpr const char* kClinicianHome =
      R"({"use":"home","line":["12 rue des lilas"],"city":"Brest","postalCode":"29200"})";

  // `address`: a FHIR Address object, or "" for none.
  void PutPractitioner(const std::string& id, int64_t version, const std::string& family,
                       const std::string& address = "") {
    const std::string json = R"({"resourceType":"Practitioner","id":")" + id +
                             R"(","name":[{"family":")" + family + R"(","given":["Anne"]}])" +
                             (address.empty() ? "" : R"(,"address":[)" + address + "]") + "}";
    store::ResourceRow row{
        "Practitioner", id, version, std::string(store::kDirectoryCompartment), version, false, {}};
    auto sealed = vault_.Seal(policy_.SystemDirectoryWrite(
                                  version == 1 ? access::Action::kCreate : access::Action::kUpdate,
                                  fhir::ResourceType::kPractitioner),
                              directory_, row, json);
    ASSERT_TRUE(sealed.has_value()) << sealed.error().message;
    row.body = *sealed;
    ASSERT_TRUE(
        store_->Write([&](store::Transaction& txn) { return txn.PutResourceVersion(row); }));
  }
  void AddAccount(const std::string& id, const std::string& practitioner) {
    store::AccountRow account;
    account.id = id;
    account.username = id;
    account.role = practitioner.empty() ? "secretary" : "physician";
    account.practitioner_id = practitioner;
    account.password_hash = "unused";
    ASSERT_TRUE(store_->Write([&](store::Transaction& txn) { return txn.InsertAccount(account); }));
  }
  // Files a patient in the blind index as a create would (no record is needed here).
  void FilePatient(const std::string& id, const std::string& family,
                   const std::string& address = "") {
    auto values = fhir::ExtractSearchValues(
        fhir::ResourceType::kPatient,
        R"({"resourceType":"Patient","name":[{"family":")" + family + R"(","given":["Jo"]}])" +
            (address.empty() ? "" : R"(,"address":[)" + address + "]") + "}");
    ASSERT_TRUE(values.has_value()) << values.error().message;
    std::vector<int64_t> hashes = IndexHashes(fhir::ResourceType::kPatient, *values, keyring_);
    ASSERT_TRUE(store_->Write(
        [&](store::Transaction& txn) { return txn.ReplaceIndex("Patient", id, hashes); }));
  }

  static detect::DetectionEvent Event(const std::string& account, Kind kind,
                                      std::vector<detect::DetectionEvent::Patient> patients,
                                      int64_t at = kNow, int status = 200) {
    detect::DetectionEvent e;
    e.time_ms = at;
    e.account_id = account;
    e.kind = kind;
    e.status = status;
    e.patients = std::move(patients);
    return e;
  }
  static detect::DetectionEvent::Patient Outside(const char* id) { return {id, false, false}; }
  static detect::DetectionEvent::Patient InCare(const char* id) { return {id, true, false}; }
  static std::vector<bool> Marks(const detect::DetectionEvent& e) {
    std::vector<bool> marks;
    for (const auto& p : e.patients) marks.push_back(p.shares_clinician_name_or_home);
    return marks;
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
  crypto::Keyring keyring_{crypto::SecretKey::Random()};
  access::RecordVault vault_{keyring_};
  access::FakeCare care_;
  access::Policy policy_{care_};
  store::CompartmentRow directory_;
  std::unique_ptr<ClinicianKin> kin_;
};

TEST_F(ClinicianKinTest, PatientsReachedOutsideCareWhoBearTheNameAreMarked) {
  auto read = Event("doctor", Kind::kRead, {Outside("kin")});
  ASSERT_TRUE(kin_->Mark(read));
  EXPECT_EQ(Marks(read), std::vector<bool>{true});
  auto page = Event("doctor", Kind::kSearch, {Outside("stranger"), Outside("kin"), InCare("kin")});
  ASSERT_TRUE(kin_->Mark(page));
  // In care a shared name is routine: not asked.
  EXPECT_EQ(Marks(page), (std::vector<bool>{false, true, false}));
  // Taking a namesake into one's own care is asked about, in care or not.
  auto start = Event("doctor", Kind::kStartCare, {InCare("kin")});
  ASSERT_TRUE(kin_->Mark(start));
  EXPECT_EQ(Marks(start), std::vector<bool>{true});
}

TEST_F(ClinicianKinTest, PatientsLivingInTheClinicianBuildingAreMarked) {
  auto page = Event("doctor", Kind::kSearch,
                    {Outside("neighbour"), Outside("next-door"), Outside("elsewhere"),
                     Outside("at-work"), InCare("neighbour")});
  ASSERT_TRUE(kin_->Mark(page));
  EXPECT_EQ(Marks(page), (std::vector<bool>{true, false, false, false, false}));
}

TEST_F(ClinicianKinTest, OnlyWhatReachedTheAccountIsAsked) {
  // A directory result is minimal identity, weighed as a search; a refused read gave
  // nothing; an account without a Practitioner has no name to compare.
  auto directory = Event("doctor", Kind::kDirectorySearch, {Outside("kin"), Outside("stranger")});
  auto refused = Event("doctor", Kind::kRead, {Outside("kin")}, kNow, 403);
  auto secretary = Event("secretary", Kind::kRead, {Outside("kin")});
  auto unknown = Event("nobody", Kind::kRead, {Outside("kin")});
  for (auto* e : {&directory, &refused, &secretary, &unknown}) {
    ASSERT_TRUE(kin_->Mark(*e));
    for (bool marked : Marks(*e)) EXPECT_FALSE(marked);
  }
}

TEST_F(ClinicianKinTest, ARenamedOrMovedClinicianIsFollowedWithinTheHour) {
  auto before =
      Event("doctor", Kind::kRead, {Outside("kin"), Outside("stranger"), Outside("neighbour")});
  ASSERT_TRUE(kin_->Mark(before));
  EXPECT_EQ(Marks(before), (std::vector<bool>{true, false, true}));
  PutPractitioner("pr1", 2, "Martin");  // and moved out: no home any more
  auto soon = Event("doctor", Kind::kRead,
                    {Outside("kin"), Outside("stranger"), Outside("neighbour")}, kNow + 60'000);
  ASSERT_TRUE(kin_->Mark(soon));
  EXPECT_EQ(Marks(soon), (std::vector<bool>{true, false, true}));  // the name read an hour ago
  auto later = Event("doctor", Kind::kRead,
                     {Outside("kin"), Outside("stranger"), Outside("neighbour")}, kNow + kHourMs);
  ASSERT_TRUE(kin_->Mark(later));
  EXPECT_EQ(Marks(later), (std::vector<bool>{false, true, false}));
}

// The feed's thread once died on a store that could not give it a read connection:
// now the error comes back, the event is left as it came, and the next minute's events
// are let through without asking again.
TEST_F(ClinicianKinTest, ADatabaseOutOfReachLeavesEventsUnmarkedAndQuiet) {
  std::filesystem::remove(dir_ + "/medvault.db");
  std::thread feed([&] {  // a thread without a read connection yet
    auto first = Event("doctor", Kind::kRead, {Outside("kin")});
    first.patients[0].shares_clinician_name_or_home = true;  // as it came
    auto marked = kin_->Mark(first);
    ASSERT_FALSE(marked.has_value());
    EXPECT_EQ(marked.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(Marks(first), std::vector<bool>{true});
    auto next = Event("doctor", Kind::kRead, {Outside("kin")}, kNow + 1'000);
    EXPECT_TRUE(kin_->Mark(next));
    EXPECT_EQ(Marks(next), std::vector<bool>{false});
  });
  feed.join();
}

}  // namespace
}  // namespace medvault::api
