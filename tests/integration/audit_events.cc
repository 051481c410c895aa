#include "audit_events.h"

#include <gtest/gtest.h>

#include "practice_fixture.h"

namespace medvault::testing {
namespace {

std::string Member(const rapidjson::Value& v, std::initializer_list<const char*> path) {
  const rapidjson::Value* at = &v;
  for (const char* step : path) {
    if (at->IsArray()) {
      size_t i = std::stoul(step);
      if (i >= at->Size()) return "";
      at = &(*at)[static_cast<rapidjson::SizeType>(i)];
    } else {
      if (!at->IsObject() || !at->HasMember(step)) return "";
      at = &(*at)[step];
    }
  }
  return at->IsString() ? at->GetString() : "";
}

}  // namespace

std::vector<Event> SearchAuditEvents(HttpsClient& officer, const std::string& query) {
  std::vector<Event> events;
  std::string path = "/fhir/AuditEvent?" + query;
  for (int page = 0; page < 200 && !path.empty(); ++page) {
    auto r = officer.Get(path);
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200) break;
    auto doc = Json(r.body);
    path = NextPage(doc, officer.base_url());
    if (!doc.HasMember("entry")) continue;
    for (const auto& entry : doc["entry"].GetArray()) {
      const rapidjson::Value& e = entry["resource"];
      Event ev;
      ev.id = Member(e, {"id"});
      ev.outcome = Member(e, {"outcome"});
      ev.username = Member(e, {"agent", "0", "who", "display"});
      ev.observer = Member(e, {"source", "observer", "display"});
      for (const auto& sub : e["subtype"].GetArray())
        if (std::string(sub["system"].GetString()) == "urn:medvault:interaction")
          ev.interaction = sub["code"].GetString();
      for (const auto& entity : e["entity"].GetArray()) {
        std::string type = Member(entity, {"type", "code"});
        if (type == "XrequestId") ev.request_id = Member(entity, {"what", "identifier", "value"});
        if (Member(entity, {"role", "code"}) == "1")
          ev.patient = Member(entity, {"what", "reference"});
      }
      events.push_back(std::move(ev));
    }
  }
  return events;
}

}  // namespace medvault::testing
