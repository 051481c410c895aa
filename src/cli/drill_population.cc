// DrillPopulation::Observe: what the drill learns of the population as it is generated.
#include <rapidjson/document.h>

#include "cli/drill_scenario.h"

namespace medvault::cli {
namespace {

std::string Reference(const rapidjson::Value& v, const char* member) {
  if (!v.IsObject() || !v.HasMember(member) || !v[member].IsObject()) return "";
  const auto& ref = v[member];
  if (!ref.HasMember("reference") || !ref["reference"].IsString()) return "";
  return ref["reference"].GetString();
}

std::string AfterSlash(const std::string& reference) {
  size_t at = reference.find('/');
  return at == std::string::npos ? "" : reference.substr(at + 1);
}

}  // namespace

void DrillPopulation::Observe(fhir::ResourceType type, const std::string& json) {
  if (type != fhir::ResourceType::kPatient && type != fhir::ResourceType::kCareTeam) return;
  rapidjson::Document doc;
  if (doc.Parse(json.data(), json.size()).HasParseError() || !doc.IsObject()) return;
  if (type == fhir::ResourceType::kPatient) {
    DrillPatient p;
    p.id = doc["id"].GetString();
    if (doc.HasMember("name") && doc["name"].IsArray() && !doc["name"].Empty() &&
        doc["name"][0].HasMember("family"))
      p.family = doc["name"][0]["family"].GetString();
    if (doc.HasMember("birthDate")) p.birth_date = doc["birthDate"].GetString();
    p.organization_id = AfterSlash(Reference(doc, "managingOrganization"));
    index_of_id[p.id] = patients.size();
    by_organization[p.organization_id].push_back(patients.size());
    patients.push_back(std::move(p));
    return;
  }
  auto patient = index_of_id.find(AfterSlash(Reference(doc, "subject")));
  if (patient == index_of_id.end()) return;
  const bool active =
      doc.HasMember("status") && std::string_view(doc["status"].GetString()) == "active";
  if (!active) {
    past_by_organization[patients[patient->second].organization_id].push_back(patient->second);
    return;
  }
  if (!doc.HasMember("participant") || !doc["participant"].IsArray()) return;
  // The médecin traitant, and the nurse when there is one.
  for (const auto& participant : doc["participant"].GetArray()) {
    std::string member = Reference(participant, "member");
    if (member.starts_with("Practitioner/"))
      active_by_practitioner[AfterSlash(member)].push_back(patient->second);
  }
}

}  // namespace medvault::cli
