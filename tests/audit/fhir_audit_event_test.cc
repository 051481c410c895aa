// Audit entries as FHIR AuditEvents following IHE BALP: profiles, codes, agents and
// entities, one event per patient, and ids that name one event.
#include "audit/fhir_audit_event.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

namespace medvault::audit {
namespace {

AuditEvent Read() {
  AuditEvent e;
  e.time_ms = 1'800'000'000'123;
  e.request_id = "req-1";
  e.account_id = "acc-1";
  e.username = "dr.martin";
  e.role = "physician";
  e.session_id = "sess-1";
  e.client_address = "192.0.2.7";
  e.user_agent = "curl/7.88";
  e.interaction = "read";
  e.resource_type = "Observation";
  e.resource_id = "obs-1";
  e.patients = {"pat-1"};
  e.outcome = "success";
  e.status = 200;
  return e;
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

std::string At(const rapidjson::Document& d, const char* pointer) {
  const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(d);
  if (v == nullptr || !v->IsString()) return "(missing " + std::string(pointer) + ")";
  return v->GetString();
}

TEST(FhirAuditEvent, PatientReadFollowsBalp) {
  auto events = ToFhirAuditEvents(42, Read());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, "42");
  auto d = Parse(events[0].json);
  EXPECT_EQ(At(d, "/resourceType"), "AuditEvent");
  EXPECT_EQ(At(d, "/id"), "42");
  EXPECT_EQ(At(d, "/meta/profile/0"),
            "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead");
  EXPECT_EQ(At(d, "/type/code"), "rest");
  EXPECT_EQ(At(d, "/subtype/0/system"), "http://hl7.org/fhir/restful-interaction");
  EXPECT_EQ(At(d, "/subtype/0/code"), "read");
  EXPECT_EQ(At(d, "/subtype/1/code"), "read");  // medvault's own code
  EXPECT_EQ(At(d, "/action"), "R");
  EXPECT_EQ(At(d, "/recorded"), "2027-01-15T08:00:00.123Z");
  EXPECT_EQ(At(d, "/outcome"), "0");
  // The user, the client (Source Role ID), the server (Destination Role ID).
  EXPECT_EQ(At(d, "/agent/0/who/identifier/value"), "acc-1");
  EXPECT_EQ(At(d, "/agent/0/who/display"), "dr.martin");
  EXPECT_EQ(At(d, "/agent/0/role/0/coding/0/code"), "physician");
  EXPECT_EQ(At(d, "/agent/0/policy/0"), "urn:medvault:session:sess-1");
  EXPECT_TRUE(rapidjson::Pointer("/agent/0/requestor").Get(d)->GetBool());
  EXPECT_EQ(At(d, "/agent/1/type/coding/0/code"), "110153");
  EXPECT_EQ(At(d, "/agent/1/network/address"), "192.0.2.7");
  EXPECT_EQ(At(d, "/agent/1/who/display"), "curl/7.88");
  EXPECT_EQ(At(d, "/agent/2/type/coding/0/code"), "110152");
  // The request id, the patient, the resource.
  EXPECT_EQ(At(d, "/entity/0/type/code"), "XrequestId");
  EXPECT_EQ(At(d, "/entity/0/what/identifier/value"), "req-1");
  EXPECT_EQ(At(d, "/entity/1/what/reference"), "Patient/pat-1");
  EXPECT_EQ(At(d, "/entity/1/role/code"), "1");
  EXPECT_EQ(At(d, "/entity/2/what/reference"), "Observation/obs-1");
  EXPECT_EQ(At(d, "/entity/2/role/code"), "4");
}

TEST(FhirAuditEvent, QueryYieldsOneEventPerPatient) {
  AuditEvent e = Read();
  e.interaction = "search";
  e.resource_id.clear();
  e.patients = {"pat-1", "pat-2", "pat-3"};
  auto events = ToFhirAuditEvents(7, e);
  ASSERT_EQ(events.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].id, "7." + std::to_string(i + 1));
    auto d = Parse(events[i].json);
    EXPECT_EQ(At(d, "/meta/profile/0").substr(54), "IHE.BasicAudit.PatientQuery");
    EXPECT_EQ(At(d, "/subtype/0/code"), "search-type");
    EXPECT_EQ(At(d, "/action"), "E");
    EXPECT_EQ(At(d, "/entity/1/what/reference"), "Patient/" + e.patients[i]);
    EXPECT_EQ(At(d, "/entity/2/role/code"), "24");  // the query (no query string kept)
  }
  // Only the asked-for patient's event, and each id reads back its own event.
  auto only = ToFhirAuditEvents(7, e, "pat-2");
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].id, "7.2");
  auto id = ParseFhirAuditEventId("7.2");
  ASSERT_TRUE(id.has_value());
  auto one = ToFhirAuditEvent(*id, e);
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->json, only[0].json);
  EXPECT_FALSE(ToFhirAuditEvent({7, 4}, e).has_value());
  EXPECT_FALSE(ToFhirAuditEvent({7, 0}, e).has_value());  // several patients: 7.k only
}

TEST(FhirAuditEvent, WritesAndLoginsAndFailures) {
  AuditEvent e = Read();
  e.interaction = "delete";
  e.outcome = "denied";
  e.status = 403;
  e.detail = "no care relationship";
  auto d = Parse(ToFhirAuditEvents(1, e)[0].json);
  EXPECT_EQ(At(d, "/action"), "D");
  EXPECT_EQ(At(d, "/meta/profile/0").substr(54), "IHE.BasicAudit.PatientDelete");
  EXPECT_EQ(At(d, "/outcome"), "8");
  EXPECT_EQ(At(d, "/outcomeDesc"), "denied (HTTP 403): no care relationship");

  AuditEvent login;
  login.time_ms = 1;
  login.username = "mallory";
  login.interaction = "login";
  login.outcome = "unauthenticated";
  login.status = 401;
  auto l = Parse(ToFhirAuditEvents(2, login)[0].json);
  EXPECT_EQ(At(l, "/type/code"), "110114");
  EXPECT_EQ(At(l, "/subtype/0/code"), "110122");
  EXPECT_EQ(At(l, "/agent/0/who/display"), "mallory");
  EXPECT_EQ(rapidjson::Pointer("/meta").Get(l), nullptr);
  EXPECT_EQ(rapidjson::Pointer("/entity/1").Get(l), nullptr);  // no patient, no resource
  EXPECT_EQ(FhirOutcomeCode("invalid"), "4");
  EXPECT_EQ(FhirOutcomeCode("failed"), "12");
}

TEST(FhirAuditEvent, BreakTheGlassIsAnEmergencyOverride) {
  AuditEvent e = Read();
  e.interaction = "break-glass";
  e.resource_type = "Patient";
  e.resource_id = "pat-1";
  e.status = 201;
  e.detail = "purpose ETREAT";
  auto d = Parse(ToFhirAuditEvents(3, e)[0].json);
  EXPECT_EQ(At(d, "/type/code"), "110113");
  EXPECT_EQ(At(d, "/subtype/0/code"), "110127");
  EXPECT_EQ(At(d, "/subtype/0/display"), "Emergency Override Started");
}

TEST(FhirAuditEvent, Ids) {
  EXPECT_EQ(ParseFhirAuditEventId("12")->seq, 12);
  EXPECT_EQ(ParseFhirAuditEventId("12.3")->patient_index, 3u);
  for (const char* bad : {"", "0", "012", "1.", "1.0", "a", "1.2.3", "-1", "99999999999999999999"})
    EXPECT_FALSE(ParseFhirAuditEventId(bad).has_value()) << bad;
}

}  // namespace
}  // namespace medvault::audit
