#include "api/access_helpers.h"

#include "api/json_fields.h"
#include "common/time_format.h"

namespace medvault::api {

AuditFacts FactsFor(std::string_view interaction, fhir::ResourceType type, std::string_view id) {
  AuditFacts f;
  f.interaction = interaction;
  f.resource_type = fhir::NameOf(type);
  f.resource_id = id;
  return f;
}

Result<store::CompartmentRow> LoadCompartment(store::Reader& reader, std::string_view id) {
  ASSIGN_OR_RETURN(auto row, reader.Compartment(id));
  if (!row) return Fail(ErrorCode::kInternal, "a stored resource has no compartment key");
  return std::move(*row);
}

access::AccessTarget TargetOf(fhir::ResourceType type, const store::CompartmentRow& compartment) {
  return access::AccessTarget{type, compartment.id, compartment.organization_id,
                              compartment.confidentiality};
}

std::string PatientOf(const store::CompartmentRow& compartment) {
  return compartment.id == store::kDirectoryCompartment ? std::string() : compartment.id;
}

Error Denied(const access::AccessDecision& decision) {
  return Error{ErrorCode::kForbidden, "access denied: " + decision.reason(), {}};
}

std::vector<store::CareLinkRow> CareLinksOf(const fhir::ResourceFacts& careteam,
                                            std::string_view careteam_id,
                                            std::string_view patient_id) {
  std::vector<store::CareLinkRow> links;
  for (const fhir::CareMembership& m : careteam.care_members)
    links.push_back(
        {std::string(patient_id), m.practitioner, std::string(careteam_id), m.start_ms, m.end_ms});
  return links;
}

std::string CareTeamJson(std::string_view patient_id, const identity::Principal& physician,
                         std::string_view name, std::string_view reason, Time now) {
  auto reference = [](JsonWriter& w, std::string_view key, std::string_view target) {
    w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
    w.StartObject();
    w.Key("reference");
    Str(w, target);
    w.EndObject();
  };
  std::string organization = "Organization/" + physician.organization_id();
  return WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("resourceType");
    w.String("CareTeam");
    w.Key("status");
    w.String("active");
    w.Key("name");
    Str(w, name);
    reference(w, "subject", "Patient/" + std::string(patient_id));
    w.Key("period");
    w.StartObject();
    w.Key("start");
    Str(w, FormatInstant(now).substr(0, 10));
    w.EndObject();
    w.Key("participant");
    w.StartArray();
    w.StartObject();
    reference(w, "member", "Practitioner/" + physician.practitioner_id());
    if (!physician.organization_id().empty()) reference(w, "onBehalfOf", organization);
    w.EndObject();
    w.EndArray();
    if (!reason.empty()) {
      w.Key("reasonCode");
      w.StartArray();
      w.StartObject();
      w.Key("text");
      Str(w, reason);
      w.EndObject();
      w.EndArray();
    }
    if (!physician.organization_id().empty()) {
      w.Key("managingOrganization");
      w.StartArray();
      w.StartObject();
      w.Key("reference");
      Str(w, organization);
      w.EndObject();
      w.EndArray();
    }
    w.EndObject();
  });
}

std::optional<std::string> IdFromReference(std::string_view reference, std::string_view type) {
  if (reference.size() <= type.size() + 1 || !reference.starts_with(type) ||
      reference[type.size()] != '/')
    return std::nullopt;
  std::string_view id = reference.substr(type.size() + 1);
  if (auto history = id.find("/_history/"); history != std::string_view::npos)
    id = id.substr(0, history);
  if (id.empty() || id.find('/') != std::string_view::npos) return std::nullopt;
  return std::string(id);
}

}  // namespace medvault::api
