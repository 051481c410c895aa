// The audit trail through the real server: every request to every non-public route
// leaves exactly one entry (the route table is walked, every method, with and without a
// session), a mixed concurrent workload leaves as many entries as it made requests,
// searches name every patient of the page they returned, and the security officer finds
// it all again through GET /fhir/AuditEvent (IHE BALP).
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "api/route.h"
#include "audit_events.h"
#include "fhir/resource_type.h"
#include "practice_fixture.h"
#include "sample_resources.h"

namespace medvault::testing {
namespace {

class AuditTrailTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // This suite is refused on purpose, cell after cell: the escalation that demands a
    // fresh code after 20 refusals (tested in CareAccessTest) would get in the way.
    practice_ =
        // The suite walks every route with refusals and errors on purpose: what the
        // detector would rightly call enumeration. Its escalations are tested in
        // DetectionTest and the drill; here they would only change the answers.
        StartPractice({{"refusals_before_step_up = 20", "refusals_before_step_up = 1000000"},
                       {"risk_scoring = true", "risk_scoring = false"}})
            .release();
    HttpsClient& doctor = practice_->as("physician");
    for (const char* family : {"Audibert", "Audiard", "Audouin"}) {
      auto p =
          doctor.Request("POST", "/fhir/Patient",
                         PatientJson(family, "Anne", "1970-01-01", practice_->organization_id));
      ASSERT_EQ(p.status, 201) << p.body;
      patients_.push_back(IdFromLocation(p));
    }
  }
  static void TearDownTestSuite() { delete practice_; }
  static Practice* practice_;
  static std::vector<std::string> patients_;
};
Practice* AuditTrailTest::practice_ = nullptr;
std::vector<std::string> AuditTrailTest::patients_;

std::vector<std::string> Methods(std::string_view allowed) {
  std::vector<std::string> out;
  while (!allowed.empty()) {
    size_t comma = allowed.find(", ");
    out.emplace_back(allowed.substr(0, comma));
    allowed = comma == std::string_view::npos ? "" : allowed.substr(comma + 2);
  }
  out.emplace_back("PATCH");  // never allowed anywhere: the refusal is audited too
  return out;
}

std::vector<std::string> Paths(std::string_view pattern) {
  std::vector<std::string> types;
  if (pattern.find("{type}") != std::string_view::npos) {
    for (auto t : fhir::kAllResourceTypes) types.emplace_back(fhir::NameOf(t));
  } else {
    types.emplace_back();
  }
  std::vector<std::string> out;
  for (const std::string& type : types) {
    std::string path(pattern);
    auto fill = [&](std::string_view hole, const std::string& value) {
      size_t at = path.find(hole);
      if (at != std::string::npos) path.replace(at, hole.size(), value);
    };
    fill("{unknown type}", "Spaceship");
    fill("{type}", type);
    // An id that names nothing: the walk's requests must not change the practice
    // (a fresh login may delete without step-up).
    fill("{id}", "0f1e2d3c-aaaa-bbbb-cccc-000000000001");
    fill("{vid}", "1");
    out.push_back(path);
  }
  return out;
}

TEST_F(AuditTrailTest, EveryRequestToEveryNonPublicRouteIsAudited) {
  auto anonymous = practice_->NewClient();
  auto doctor = practice_->LoginAs("physician");
  struct Sent {
    std::string what;
    std::string request_id;
  };
  std::vector<Sent> sent;
  std::vector<std::pair<std::string, std::string>> logout_last;
  int public_requests = 0;
  for (const api::RouteSpec& spec : api::AllRoutes()) {
    for (const std::string& path : Paths(spec.pattern)) {
      for (const std::string& method : Methods(spec.methods)) {
        if (spec.kind == api::Route::kLogout && method == "POST") {
          logout_last.emplace_back(method, path);
          continue;
        }
        for (HttpsClient* client : {anonymous.get(), doctor.get()}) {
          std::string body = method == "POST" || method == "PUT" ? "{}" : "";
          auto r = client->Request(method, path, body, {"Content-Type: application/json"});
          std::string what =
              method + " " + path + (client == anonymous.get() ? " (anonymous)" : "");
          if (spec.is_public) {
            ++public_requests;
            continue;
          }
          EXPECT_FALSE(r.Header("x-request-id").empty()) << what << " -> " << r.status;
          sent.push_back({what, r.Header("x-request-id")});
        }
      }
    }
  }
  for (const auto& [method, path] : logout_last) {
    for (HttpsClient* client : {anonymous.get(), doctor.get()}) {
      auto r = client->Request(method, path);
      sent.push_back({method + " " + path, r.Header("x-request-id")});
    }
  }
  EXPECT_GT(public_requests, 0);
  ASSERT_GT(sent.size(), 200u);  // every FHIR type, every method, both clients

  std::set<std::string> audited;
  for (const Event& e : SearchAuditEvents(practice_->as("security_officer"), "_count=100"))
    audited.insert(e.request_id);
  for (const Sent& s : sent)
    EXPECT_TRUE(audited.contains(s.request_id)) << s.what << " left no audit entry";
}

TEST_F(AuditTrailTest, AMixedWorkloadLeavesOneEntryPerRequest) {
  const int64_t before = AuditEntriesVerified(practice_->data_dir);
  const std::string& patient = patients_[1];
  auto obs = practice_->as("physician")
                 .Request("POST", "/fhir/Observation",
                          ObservationJson(patient, "2026-11-01T10:00:00Z", "61"));
  ASSERT_EQ(obs.status, 201);
  const std::string observation = IdFromLocation(obs);
  std::atomic<int> requests{1};  // the create above
  std::atomic<int> denied{0};
  auto worker = [&](const std::string& role, int n) {
    auto client = practice_->SameSessionAs(role);
    auto anonymous = practice_->NewClient();
    for (int i = 0; i < n; ++i) {
      HttpResponse r;
      switch (i % 7) {
        case 0: r = client->Get("/fhir/Patient/" + patient); break;
        case 1: r = client->Get("/fhir/Observation/" + observation); break;
        case 2: r = client->Get("/fhir/Patient?family=Aud"); break;
        case 3: r = client->Get("/fhir/Observation?patient=Patient/" + patient); break;
        case 4: r = client->Get("/fhir/Observation/" + observation + "/_history"); break;
        case 5: r = anonymous->Get("/fhir/Patient/" + patient); break;  // 401
        case 6: r = client->Get("/fhir/Patient?unknown=1"); break;      // 400
      }
      ++requests;
      if (r.status == 403) ++denied;
    }
  };
  std::vector<std::thread> threads;
  // The secretary is refused the clinical reads: denials are entries too.
  for (const char* role : {"physician", "nurse", "secretary", "physician"})
    threads.emplace_back(worker, role, 35);
  for (auto& t : threads) t.join();
  // Failed logins (a wrong password; an unknown name) are entries as well.
  for (const char* name : {"physician", "nobody-here"}) {
    auto client = practice_->NewClient();
    auto r = client->Request(
        "POST", "/auth/login",
        R"({"username":")" + std::string(name) + R"(","password":"wrong)" + R"( password 123"})",
        {"Content-Type: application/json"});
    EXPECT_EQ(r.status, 401) << r.body;
    ++requests;
  }
  EXPECT_GT(denied.load(), 0);
  EXPECT_EQ(AuditEntriesVerified(practice_->data_dir) - before, requests.load());
}

TEST_F(AuditTrailTest, ASearchEntryNamesEveryPatientOfItsPage) {
  HttpsClient& doctor = practice_->as("physician");
  auto r = doctor.Get("/fhir/Patient?family=Aud&_count=2");
  ASSERT_EQ(r.status, 200) << r.body;
  std::set<std::string> returned;
  auto bundle = Json(r.body);  // a temporary's array would not outlive the loop's start
  for (const auto& entry : bundle["entry"].GetArray())
    returned.insert("Patient/" + std::string(entry["resource"]["id"].GetString()));
  ASSERT_EQ(returned.size(), 2u);  // a page of two out of three
  const std::string request_id = r.Header("x-request-id");
  std::set<std::string> audited;
  for (const Event& e :
       SearchAuditEvents(practice_->as("security_officer"), "agent-name=physician"))
    if (e.request_id == request_id) {
      audited.insert(e.patient);
      EXPECT_EQ(e.interaction, "search");
      EXPECT_EQ(e.id.find('.') != std::string::npos, true) << "one event per patient: seq.k";
    }
  EXPECT_EQ(audited, returned);
}

TEST_F(AuditTrailTest, TheSecurityOfficerSearchesByPatientAgentDateAndOutcome) {
  const std::string& patient = patients_[2];
  auto read = practice_->as("physician").Get("/fhir/Patient/" + patient);
  ASSERT_EQ(read.status, 200);
  auto refused = practice_->as("secretary-b").Get("/fhir/Patient/" + patient);
  ASSERT_EQ(refused.status, 403) << refused.body;  // another organization's patient
  HttpsClient& officer = practice_->as("security_officer");

  auto by_patient = SearchAuditEvents(officer, "patient=Patient/" + patient);
  std::set<std::string> ids;
  for (const Event& e : by_patient) {
    EXPECT_EQ(e.patient, "Patient/" + patient);
    ids.insert(e.request_id);
  }
  EXPECT_TRUE(ids.contains(read.Header("x-request-id")));
  EXPECT_TRUE(ids.contains(refused.Header("x-request-id")));

  auto denied = SearchAuditEvents(officer, "patient=" + patient + "&outcome=8");
  ASSERT_EQ(denied.size(), 1u);
  EXPECT_EQ(denied[0].request_id, refused.Header("x-request-id"));
  EXPECT_EQ(denied[0].username, "secretary-b");

  auto by_agent =
      SearchAuditEvents(officer, "agent-name=secretary-b&date=ge2020-01-01&date=lt2100-01-01");
  EXPECT_FALSE(by_agent.empty());
  for (const Event& e : by_agent) EXPECT_EQ(e.username, "secretary-b");
  EXPECT_TRUE(SearchAuditEvents(officer, "agent-name=secretary-b&date=lt2020-01-01").empty());
  EXPECT_TRUE(SearchAuditEvents(officer, "agent-name=no-such-user").empty());

  // Each event reads back by its id.
  auto one = officer.Get("/fhir/AuditEvent/" + denied[0].id);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(Json(one.body)["outcome"].GetString(), std::string("8"));
  EXPECT_EQ(officer.Get("/fhir/AuditEvent/999999999").status, 404);
}

TEST_F(AuditTrailTest, OnlyTheSecurityOfficerReadsTheTrail) {
  for (const char* role : {"physician", "nurse", "secretary", "admin"}) {
    auto r = practice_->as(role).Get("/fhir/AuditEvent?patient=" + patients_[0]);
    EXPECT_EQ(r.status, 403) << role;
    EXPECT_EQ(Json(r.body)["resourceType"].GetString(), std::string("OperationOutcome"));
  }
  HttpsClient& officer = practice_->as("security_officer");
  for (const char* bad : {"family=Dupont", "date=ne2026-01-01", "outcome=3", "_count=1000"}) {
    auto r = officer.Get(std::string("/fhir/AuditEvent?") + bad);
    EXPECT_EQ(r.status, 400) << bad;
  }
  EXPECT_EQ(officer.Request("POST", "/fhir/AuditEvent", "{}").status, 405);
  EXPECT_EQ(officer.Request("DELETE", "/fhir/AuditEvent/1").status, 405);
}

}  // namespace
}  // namespace medvault::testing
