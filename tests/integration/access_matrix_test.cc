// The access matrix through the real HTTPS API: every role × resource type × interaction
// × relationship to the patient, each cell checked against kExpected, a table written
// out by hand from the authorization contract (care relationships, break-the-glass,
// confidentiality labels, separation of duties), never derived from the server's rules.
// A denial is a 403 OperationOutcome "forbidden" that shows none of the patient's names;
// a denied search may also be an empty 200 Bundle.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

enum Interaction { kRead, kVread, kHistory, kSearch, kCreate, kUpdate, kDelete };
constexpr std::array<const char*, 7> kInteractionNames = {"read",   "vread",  "history", "search",
                                                          "create", "update", "delete"};
constexpr char kLetters[] = "rvhscud";  // a cell's letter for each interaction, in order

constexpr std::array<const char*, 5> kRoles = {"physician", "nurse", "secretary",
                                               "security_officer", "admin"};
constexpr std::array<const char*, 5> kRelationships = {
    "in-care", "no-relationship", "other-practice", "break-the-glass", "confidential"};
// The patient compartment, in the order of the delete column: clinical types, then
// Patient, then CareTeam (deleting a CareTeam ends a care relationship).
constexpr std::array<const char*, 8> kCompartmentTypes = {
    "Encounter",         "Observation",       "Condition", "AllergyIntolerance",
    "MedicationRequest", "DocumentReference", "Patient",   "CareTeam"};
constexpr std::array<const char*, 2> kDirectoryTypes = {"Practitioner", "Organization"};

// One row per role and patient-compartment type; one cell per relationship, in the
// order of kRelationships; in a cell one character per interaction, in the order
// read vread history search create update delete: its letter when allowed, '.' when
// denied. A Patient create cell registers a new patient in the relationship's
// organization (A for in-care, no-relationship and confidential; B otherwise).
struct Row {
  const char* role;
  const char* type;
  std::array<const char*, 5> cells;
};

// clang-format off
constexpr Row kExpected[] = {
// role              type                   in-care    no-rel.    other-pr.  break-gl.  confid.
{"physician",        "Patient",            {"rvhscud", "....c..", ".......", "rvhs.ud", "....c.."}},
{"physician",        "CareTeam",           {"rvhscud", ".......", ".......", "rvhs...", "......."}},
{"physician",        "Encounter",          {"rvhscud", ".......", ".......", "rvhscud", "......."}},
{"physician",        "Observation",        {"rvhscud", ".......", ".......", "rvhscud", "......."}},
{"physician",        "Condition",          {"rvhscud", ".......", ".......", "rvhscud", "......."}},
{"physician",        "AllergyIntolerance", {"rvhscud", ".......", ".......", "rvhscud", "......."}},
{"physician",        "MedicationRequest",  {"rvhscud", ".......", ".......", "rvhscud", "......."}},
{"physician",        "DocumentReference",  {"rvhscud", ".......", ".......", "rvhscud", "......."}},

{"nurse",            "Patient",            {"rvhs...", ".......", ".......", "rvhs...", "......."}},
{"nurse",            "CareTeam",           {"rvhs...", ".......", ".......", "rvhs...", "......."}},
{"nurse",            "Encounter",          {"rvhs...", ".......", ".......", "rvhs...", "......."}},
{"nurse",            "Observation",        {"rvhscud", ".......", ".......", "rvhscud", "......."}},
{"nurse",            "Condition",          {"rvhs...", ".......", ".......", "rvhs...", "......."}},
{"nurse",            "AllergyIntolerance", {"rvhs...", ".......", ".......", "rvhs...", "......."}},
{"nurse",            "MedicationRequest",  {"rvhs...", ".......", ".......", "rvhs...", "......."}},
{"nurse",            "DocumentReference",  {"rvhs...", ".......", ".......", "rvhs...", "......."}},

{"secretary",        "Patient",            {"rvhscud", "rvhscud", ".......", ".......", "rvhscud"}},
{"secretary",        "CareTeam",           {"rvhs...", "rvhs...", ".......", ".......", "rvhs..."}},
{"secretary",        "Encounter",          {".......", ".......", ".......", ".......", "......."}},
{"secretary",        "Observation",        {".......", ".......", ".......", ".......", "......."}},
{"secretary",        "Condition",          {".......", ".......", ".......", ".......", "......."}},
{"secretary",        "AllergyIntolerance", {".......", ".......", ".......", ".......", "......."}},
{"secretary",        "MedicationRequest",  {".......", ".......", ".......", ".......", "......."}},
{"secretary",        "DocumentReference",  {".......", ".......", ".......", ".......", "......."}},

{"security_officer", "Patient",            {".......", ".......", ".......", ".......", "......."}},
{"security_officer", "CareTeam",           {".......", ".......", ".......", ".......", "......."}},
{"security_officer", "Encounter",          {".......", ".......", ".......", ".......", "......."}},
{"security_officer", "Observation",        {".......", ".......", ".......", ".......", "......."}},
{"security_officer", "Condition",          {".......", ".......", ".......", ".......", "......."}},
{"security_officer", "AllergyIntolerance", {".......", ".......", ".......", ".......", "......."}},
{"security_officer", "MedicationRequest",  {".......", ".......", ".......", ".......", "......."}},
{"security_officer", "DocumentReference",  {".......", ".......", ".......", ".......", "......."}},

{"admin",            "Patient",            {".......", ".......", ".......", ".......", "......."}},
{"admin",            "CareTeam",           {".......", ".......", ".......", ".......", "......."}},
{"admin",            "Encounter",          {".......", ".......", ".......", ".......", "......."}},
{"admin",            "Observation",        {".......", ".......", ".......", ".......", "......."}},
{"admin",            "Condition",          {".......", ".......", ".......", ".......", "......."}},
{"admin",            "AllergyIntolerance", {".......", ".......", ".......", ".......", "......."}},
{"admin",            "MedicationRequest",  {".......", ".......", ".......", ".......", "......."}},
{"admin",            "DocumentReference",  {".......", ".......", ".......", ".......", "......."}},
};
// clang-format on

// The directory types have no relationship to a patient: one cell per role and type.
struct DirectoryRow {
  const char* role;
  const char* type;
  const char* cell;
};

constexpr DirectoryRow kDirectoryExpected[] = {
    {"physician", "Practitioner", "rvhs..."},
    {"physician", "Organization", "rvhs..."},
    {"nurse", "Practitioner", "rvhs..."},
    {"nurse", "Organization", "rvhs..."},
    {"secretary", "Practitioner", "rvhs..."},
    {"secretary", "Organization", "rvhs..."},
    {"security_officer", "Practitioner", "rvhs..."},
    {"security_officer", "Organization", "rvhs..."},
    {"admin", "Practitioner", "rvhscud"},
    {"admin", "Organization", "rvhscud"},
};

// The records of one relationship column: its patient and one resource of every
// compartment type, and each resource's JSON as its owner read it (for updates).
struct Column {
  std::string relationship;
  std::string owner;                        // the physician who registered the patient
  std::string organization;                 // where this column's Patient create cell registers
  std::vector<std::string> names;           // the patient's names: no refusal shows them
  std::map<std::string, std::string> ids;   // type → id (Patient → the patient)
  std::map<std::string, std::string> json;  // type → current JSON
};

// A mismatching cell, for the summary.
struct Mismatch {
  std::string role, type, interaction, relationship;
  bool expected_allowed;
  std::string got;
  long status;
  std::string body;
};

class AccessMatrixTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // This suite is refused on purpose, cell after cell: the escalation that demands a
    // fresh code after 20 refusals (tested in CareAccessTest) would get in the way.
    practice_ =
        // Risk scoring off: walking the whole matrix is what the detector rightly calls
        // enumeration; its escalations are DetectionTest's and the drill's subject.
        StartPractice({{"refusals_before_step_up = 20", "refusals_before_step_up = 1000000"},
                       {"risk_scoring = true", "risk_scoring = false"}})
            .release();
    Practice& p = *practice_;
    const std::string& a = p.organization_id;
    const std::string& b = p.other_organization_id;
    columns_ = {
        Register("in-care", "physician", a, "Soignet", "Amandine", false),
        Register("no-relationship", "physician-2", a, "Voisinier", "Bastien", false),
        Register("other-practice", "physician-b", b, "Loinvilliers", "Coralie", false),
        Register("break-the-glass", "physician-b", b, "Urgencet", "Damien", false),
        Register("confidential", "physician-2", a, "Discretier", "Eulalie", true),
    };
    // Every role tries to break the glass on that column's patient: physicians and
    // nurses may, the others may not (checked by OnlyCliniciansMayBreakTheGlass; a
    // refused grant also shows in the matrix's break-the-glass column).
    const std::string& glass = columns_[3].ids["Patient"];
    for (const char* role : kRoles) break_glass_[role] = p.BreakGlass(role, glass);

    // The directory: one record of each type to read and update, one to delete.
    for (const char* type : kDirectoryTypes) {
      for (const char* purpose : {"target", "victim"}) {
        auto r = p.as("admin").Request("POST", std::string("/fhir/") + type,
                                       DirectoryJson(type, purpose));
        ASSERT_EQ(r.status, 201) << r.body;
        std::string id = IdFromLocation(r);
        directory_[std::string(type) + "/" + purpose] = id;
        if (std::string(purpose) == "target")
          directory_[std::string(type) + "/json"] =
              p.as("admin").Get(std::string("/fhir/") + type + "/" + id).body;
      }
    }

    auto colin =
        p.as("physician-b")
            .Request("POST", "/fhir/Patient", PatientJson("Colin", "Marc", "1950-01-01", b));
    ASSERT_EQ(colin.status, 201) << colin.body;
  }
  static void TearDownTestSuite() { delete practice_; }

  // `owner` registers the column's patient (restricted when `confidential`), gives it a
  // CareTeam (with the nurse too for the in-care column) and one resource of each
  // clinical type, then reads them all back.
  static Column Register(const std::string& relationship, const std::string& owner,
                         const std::string& organization, const std::string& family,
                         const std::string& given, bool confidential) {
    Practice& p = *practice_;
    Column c{relationship, owner, organization, {family, given}, {}, {}};
    std::string patient = PatientJson(family, given, "1966-06-06", organization);
    PatientRecord record = RegisterPatient(p, owner, confidential ? Restricted(patient) : patient);
    c.ids = record.ids;
    c.ids["Patient"] = record.patient;
    std::vector<std::string> members = {p.practitioners.at(owner)};
    if (relationship == "in-care") members.push_back(p.practitioners.at("nurse"));
    auto team =
        p.as(owner).Request("POST", "/fhir/CareTeam", CareTeamJson(record.patient, members));
    EXPECT_EQ(team.status, 201) << team.body;
    c.ids["CareTeam"] = IdFromLocation(team);
    for (const char* type : kCompartmentTypes) {
      auto r = p.as(owner).Get(std::string("/fhir/") + type + "/" + c.ids[type]);
      EXPECT_EQ(r.status, 200) << owner << " " << type << ": " << r.body;
      c.json[type] = r.body;
    }
    return c;
  }

  static std::string DirectoryJson(const std::string& type, const std::string& name) {
    if (type == "Practitioner")
      return R"({"resourceType":"Practitioner","name":[{"family":"Annuaire-)" + name +
             R"(","given":["Paul"]}]})";
    return R"({"resourceType":"Organization","name":"Cabinet )" + name + R"("})";
  }

  // A new resource of `type` for `column`, as `role` would write it: a CareTeam names
  // the caller when the caller is a clinician (a physician trying to make a grant
  // permanent), else the column's owner.
  static std::string NewResource(const std::string& role, const std::string& type,
                                 const Column& column) {
    const std::string& patient = column.ids.at("Patient");
    if (type == "Patient")
      return PatientJson("Nouvellet", "Fanny", "2001-02-03", column.organization);
    if (type == "CareTeam") {
      auto own = practice_->practitioners.find(role);
      return CareTeamJson(patient, {own != practice_->practitioners.end()
                                        ? own->second
                                        : practice_->practitioners.at(column.owner)});
    }
    return ClinicalJson(type, patient);
  }

  static Practice* practice_;
  static std::vector<Column> columns_;
  static std::map<std::string, std::string> directory_;     // "Type/target|victim|json"
  static std::map<std::string, HttpResponse> break_glass_;  // role → its attempt
};
Practice* AccessMatrixTest::practice_ = nullptr;
std::vector<Column> AccessMatrixTest::columns_;
std::map<std::string, std::string> AccessMatrixTest::directory_;
std::map<std::string, HttpResponse> AccessMatrixTest::break_glass_;

// The ids of a search Bundle's entries, and its total (-1 when not a Bundle).
std::pair<int, std::vector<std::string>> BundleIds(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.c_str());
  std::vector<std::string> ids;
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("total") || !doc["total"].IsInt())
    return {-1, ids};
  if (doc.HasMember("entry") && doc["entry"].IsArray())
    for (const auto& e : doc["entry"].GetArray())
      if (e.HasMember("resource") && e["resource"].HasMember("id"))
        ids.emplace_back(e["resource"]["id"].GetString());
  return {doc["total"].GetInt(), ids};
}

// What a response means for a cell: "allowed", "denied", or what else it was.
std::string Verdict(Interaction interaction, const HttpResponse& r, const std::string& target,
                    const std::vector<std::string>& names) {
  auto shows_a_name = [&] {
    for (const std::string& name : names)
      if (r.body.find(name) != std::string::npos) return true;
    return false;
  };
  if (r.status == 403) {
    rapidjson::Document doc;
    doc.Parse(r.body.c_str());
    bool forbidden = !doc.HasParseError() && doc.IsObject() && doc.HasMember("resourceType") &&
                     std::string(doc["resourceType"].GetString()) == "OperationOutcome" &&
                     doc.HasMember("issue") && doc["issue"].IsArray() && !doc["issue"].Empty() &&
                     doc["issue"][0].HasMember("code") &&
                     std::string(doc["issue"][0]["code"].GetString()) == "forbidden";
    if (!forbidden) return "403 without an OperationOutcome 'forbidden'";
    if (shows_a_name()) return "403 showing the patient's name";
    return "denied";
  }
  switch (interaction) {
    case kRead:
    case kVread:
    case kHistory:
    case kUpdate:
      if (r.status == 200) return "allowed";
      break;
    case kCreate:
      if (r.status == 201) return "allowed";
      break;
    case kDelete:
      if (r.status == 204) return "allowed";
      break;
    case kSearch:
      if (r.status == 200) {
        auto [total, ids] = BundleIds(r.body);
        if (std::find(ids.begin(), ids.end(), target) != ids.end()) return "allowed";
        if (shows_a_name()) return "200 without the id but showing the patient's name";
        if (total == 0 && ids.empty()) return "denied";
        return "200 without the id but total " + std::to_string(total) + ", " +
               std::to_string(ids.size()) + " entries";
      }
      break;
  }
  return "status " + std::to_string(r.status);
}

// What a cell acts on and sends.
struct Target {
  std::string id;
  std::string search;              // finds the resource when the caller may see it
  std::string create_body;         // a new resource of the same type
  std::string update_body;         // the resource's current JSON
  std::vector<std::string> names;  // the patient's names, which no refusal may show
};

// Runs cells and keeps the mismatches.
class MatrixRun {
 public:
  explicit MatrixRun(Practice& p) : p_(p) {}

  // Performs `interaction` as `role` on `target`, of `type`, and checks the outcome
  // against `expected_cell`.
  void Cell(const std::string& role, const std::string& type, Interaction interaction,
            const std::string& relationship, const std::string& expected_cell,
            const Target& target) {
    HttpsClient& c = p_.as(role);
    const std::string url = "/fhir/" + type + "/" + target.id;
    HttpResponse r;
    switch (interaction) {
      case kRead: r = c.Get(url); break;
      case kVread: r = c.Get(url + "/_history/1"); break;
      case kHistory: r = c.Get(url + "/_history"); break;
      case kSearch: r = c.Get(target.search); break;
      case kCreate: r = c.Request("POST", "/fhir/" + type, target.create_body); break;
      case kUpdate: r = c.Request("PUT", url, target.update_body); break;
      case kDelete: r = c.Request("DELETE", url); break;
    }
    ++checked_;
    char letter = expected_cell.at(interaction);
    if (letter != kLetters[interaction] && letter != '.')
      ADD_FAILURE() << "bad table cell " << expected_cell << " for " << role << " " << type;
    bool expected_allowed = letter == kLetters[interaction];
    std::string got = Verdict(interaction, r, target.id, target.names);
    if (got == (expected_allowed ? "allowed" : "denied")) return;
    if (!expected_allowed && r.status >= 200 && r.status < 300) ++unexpected_allows_;
    mismatches_.push_back({role, type, kInteractionNames[interaction], relationship,
                           expected_allowed, got, r.status, r.body.substr(0, 200)});
  }

  void Report() const {
    for (const Mismatch& m : mismatches_)
      std::printf("MISMATCH %-16s %-18s %-7s %-15s expected %-7s got %s (%ld) %s\n", m.role.c_str(),
                  m.type.c_str(), m.interaction.c_str(), m.relationship.c_str(),
                  m.expected_allowed ? "allowed" : "denied", m.got.c_str(), m.status,
                  m.body.c_str());
    std::printf("access matrix: %d cells checked, %zu mismatches, %d unexpected allows\n", checked_,
                mismatches_.size(), unexpected_allows_);
  }

  int checked() const { return checked_; }
  int unexpected_allows() const { return unexpected_allows_; }
  size_t mismatches() const { return mismatches_.size(); }

 private:
  Practice& p_;
  int checked_ = 0;
  int unexpected_allows_ = 0;
  std::vector<Mismatch> mismatches_;
};

const Row* FindRow(const std::string& role, const std::string& type) {
  for (const Row& row : kExpected)
    if (role == row.role && type == row.type) return &row;
  return nullptr;
}

const DirectoryRow* FindDirectoryRow(const std::string& role, const std::string& type) {
  for (const DirectoryRow& row : kDirectoryExpected)
    if (role == row.role && type == row.type) return &row;
  return nullptr;
}

TEST_F(AccessMatrixTest, EveryRoleTypeInteractionAndRelationship) {
  // The table covers every role and type once.
  for (const char* role : kRoles) {
    for (const char* type : kCompartmentTypes)
      ASSERT_NE(FindRow(role, type), nullptr) << role << " " << type;
    for (const char* type : kDirectoryTypes)
      ASSERT_NE(FindDirectoryRow(role, type), nullptr) << role << " " << type;
  }
  ASSERT_EQ(std::size(kExpected), kRoles.size() * kCompartmentTypes.size());
  ASSERT_EQ(std::size(kDirectoryExpected), kRoles.size() * kDirectoryTypes.size());

  MatrixRun run(*practice_);
  auto compartment_cell = [&](const char* role, const char* type, Interaction interaction,
                              size_t column) {
    const Column& c = columns_[column];
    const std::string& patient = c.ids.at("Patient");
    Target target{
        c.ids.at(type),
        std::string(type) == "Patient" ? "/fhir/Patient?_id=" + patient
                                       : std::string("/fhir/") + type + "?patient=" + patient,
        interaction == kCreate ? NewResource(role, type, c) : "", c.json.at(type), c.names};
    run.Cell(role, type, interaction, c.relationship, FindRow(role, type)->cells[column], target);
  };
  auto directory_cell = [&](const char* role, const char* type, Interaction interaction) {
    std::string t = type;
    const std::string& id = directory_.at(t + (interaction == kDelete ? "/victim" : "/target"));
    Target target{
        id, "/fhir/" + t + "?_id=" + id, DirectoryJson(t, "new"), directory_.at(t + "/json"), {}};
    run.Cell(role, type, interaction, "directory", FindDirectoryRow(role, type)->cell, target);
  };

  // Everything but delete.
  for (Interaction i : {kRead, kVread, kHistory, kSearch, kCreate, kUpdate})
    for (const char* role : kRoles) {
      for (const char* type : kCompartmentTypes)
        for (size_t column = 0; column < columns_.size(); ++column)
          compartment_cell(role, type, i, column);
      for (const char* type : kDirectoryTypes) directory_cell(role, type, i);
    }

  // The delete column last (deleting needs a recent code), in the order of
  // kCompartmentTypes; deleting what is already deleted still answers 204 or 403.
  for (const char* role : kRoles) EXPECT_EQ(practice_->StepUp(role).status, 200) << role;
  for (const char* type : kCompartmentTypes)
    for (size_t column = 0; column < columns_.size(); ++column)
      for (const char* role : kRoles) compartment_cell(role, type, kDelete, column);
  for (const char* type : kDirectoryTypes)
    for (const char* role : kRoles) directory_cell(role, type, kDelete);

  run.Report();
  EXPECT_EQ(run.checked(), 5 * (8 * 5 + 2) * 7);
  EXPECT_EQ(run.unexpected_allows(), 0);
  EXPECT_EQ(run.mismatches(), 0u) << "see the MISMATCH lines above";
}

TEST_F(AccessMatrixTest, OnlyCliniciansMayBreakTheGlass) {
  EXPECT_EQ(break_glass_.at("physician").status, 201) << break_glass_.at("physician").body;
  EXPECT_EQ(break_glass_.at("nurse").status, 201) << break_glass_.at("nurse").body;
  for (const char* role : {"secretary", "security_officer", "admin"})
    EXPECT_EQ(break_glass_.at(role).status, 403) << role << ": " << break_glass_.at(role).body;
}

TEST_F(AccessMatrixTest, SearchResultsOnlyCountWhatTheCallerMaySee) {
  // Organization B's patient: a secretary of organization A neither sees nor counts it.
  auto a = practice_->as("secretary").Get("/fhir/Patient?family=colin");
  ASSERT_EQ(a.status, 200) << a.body;
  EXPECT_EQ(Json(a.body)["total"].GetInt(), 0);
  EXPECT_EQ(a.body.find("Colin"), std::string::npos);
  auto b = practice_->as("secretary-b").Get("/fhir/Patient?family=colin");
  ASSERT_EQ(b.status, 200) << b.body;
  EXPECT_EQ(Json(b.body)["total"].GetInt(), 1);
}

TEST_F(AccessMatrixTest, SecretaryCannotRegisterAPatientInAnotherOrganization) {
  auto r =
      practice_->as("secretary")
          .Request("POST", "/fhir/Patient",
                   PatientJson("Ailleurs", "Jean", "1999-09-09", practice_->other_organization_id));
  EXPECT_EQ(r.status, 403) << r.body;
}

}  // namespace
}  // namespace medvault::testing
