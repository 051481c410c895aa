// MinimalPatientIdentity: what the patient directory may show of a patient outside the
// caller's care scope; PatientContactDetails: what a breach notification needs to reach
// a patient. Both are built by allowing elements in, never by taking them out, so that
// an element R4 adds later stays hidden.
#include <array>

#include "fhir/json_writer.h"
#include "fhir/resource.h"
#include "fhir/resource_parse.h"

namespace medvault::fhir {
namespace {

constexpr std::array<std::string_view, 6> kNameParts = {"use",   "text",   "family",
                                                        "given", "prefix", "suffix"};
constexpr std::array<std::string_view, 3> kOrganizationParts = {"reference", "type", "display"};
constexpr std::array<std::string_view, 4> kTelecomParts = {"system", "value", "use", "rank"};
constexpr std::array<std::string_view, 9> kAddressParts = {
    "use", "type", "text", "line", "city", "district", "state", "postalCode", "country"};

template <size_t N>
bool Allowed(const std::array<std::string_view, N>& allowed, std::string_view key) {
  for (std::string_view name : allowed) {
    if (name == key) return true;
  }
  return false;
}

// A member worth copying: primitive arrays may hold nulls whose extensions (in
// "_given") are not copied, so the nulls go too.
bool HasValue(const JsonTree& tree, const JsonNode& member) {
  if (!member.IsArray()) return member.kind != JsonKind::kNull;
  for (const JsonNode& item : tree.ChildrenOf(member)) {
    if (item.kind != JsonKind::kNull) return true;
  }
  return false;
}

template <size_t N>
bool HasAllowedMember(const JsonTree& tree, const JsonNode& object,
                      const std::array<std::string_view, N>& allowed) {
  if (!object.IsObject()) return false;
  for (const JsonNode& member : tree.ChildrenOf(object)) {
    if (Allowed(allowed, member.key) && HasValue(tree, member)) return true;
  }
  return false;
}

template <size_t N>
void WriteAllowedMembers(TreeWriter& out, const JsonTree& tree, const JsonNode& object,
                         const std::array<std::string_view, N>& allowed) {
  out.StartObject();
  for (const JsonNode& member : tree.ChildrenOf(object)) {
    if (!Allowed(allowed, member.key) || !HasValue(tree, member)) continue;
    if (!member.IsArray()) {
      out.Member(member);
      continue;
    }
    out.Key(member.key);
    out.StartArray();
    for (const JsonNode& item : tree.ChildrenOf(member)) {
      if (item.kind != JsonKind::kNull) out.Value(item);
    }
    out.EndArray();
  }
  out.EndObject();
}

// An array of objects (name, telecom, address), each reduced to its `allowed` members;
// nothing when no item keeps any.
template <size_t N>
void WriteAllowedArray(TreeWriter& out, const JsonTree& tree, const JsonNode& array,
                       const std::array<std::string_view, N>& allowed) {
  if (!array.IsArray()) return;
  bool any = false;
  for (const JsonNode& item : tree.ChildrenOf(array)) {
    any = any || HasAllowedMember(tree, item, allowed);
  }
  if (!any) return;
  out.Key(array.key);
  out.StartArray();
  for (const JsonNode& item : tree.ChildrenOf(array)) {
    if (HasAllowedMember(tree, item, allowed)) WriteAllowedMembers(out, tree, item, allowed);
  }
  out.EndArray();
}

void WriteMeta(TreeWriter& out, const JsonTree& tree) {
  const JsonNode* meta = tree.Member(tree.root(), "meta");
  out.Key("meta");
  out.StartObject();
  if (meta != nullptr) {
    for (std::string_view key : {"versionId", "lastUpdated"}) {
      if (const JsonNode* member = tree.Member(*meta, key)) out.Member(*member);
    }
  }
  // The labels the resource carries stay (a V label must survive redaction); the
  // REDACTED label says that this is not the whole resource.
  out.Key("security");
  out.StartArray();
  const JsonNode* security = meta != nullptr ? tree.Member(*meta, "security") : nullptr;
  if (security != nullptr && security->IsArray()) {
    for (const JsonNode& coding : tree.ChildrenOf(*security)) out.Value(coding);
  }
  out.StartObject();
  out.Key("system");
  out.String("http://terminology.hl7.org/CodeSystem/v3-ObservationValue");
  out.Key("code");
  out.String("REDACTED");
  out.EndObject();
  out.EndArray();
  out.EndObject();
}

// A Patient cut down to resourceType, id and what `body` writes from the stored one.
template <typename Body>
Result<std::string> PatientSubset(std::string_view patient_json, Body body) {
  ASSIGN_OR_RETURN(JsonTree tree, ParseStoredResource(patient_json, ResourceType::kPatient));
  TreeWriter out(tree);
  out.StartObject();
  out.Key("resourceType");
  out.String("Patient");
  if (const JsonNode* id = tree.Member(tree.root(), "id")) out.Member(*id);
  body(out, tree);
  out.EndObject();
  return out.Finish();
}

}  // namespace

Result<std::string> MinimalPatientIdentity(std::string_view patient_json) {
  return PatientSubset(patient_json, [](TreeWriter& out, const JsonTree& tree) {
    WriteMeta(out, tree);
    for (const JsonNode& member : tree.ChildrenOf(tree.root())) {
      if (member.key == "name") {
        WriteAllowedArray(out, tree, member, kNameParts);
      } else if (member.key == "birthDate" || member.key == "gender") {
        out.Member(member);
      } else if (member.key == "managingOrganization" &&
                 HasAllowedMember(tree, member, kOrganizationParts)) {
        out.Key(member.key);
        WriteAllowedMembers(out, tree, member, kOrganizationParts);
      }
    }
  });
}

Result<std::string> PatientContactDetails(std::string_view patient_json) {
  return PatientSubset(patient_json, [](TreeWriter& out, const JsonTree& tree) {
    for (const JsonNode& member : tree.ChildrenOf(tree.root())) {
      if (member.key == "name") {
        WriteAllowedArray(out, tree, member, kNameParts);
      } else if (member.key == "telecom") {
        WriteAllowedArray(out, tree, member, kTelecomParts);
      } else if (member.key == "address") {
        WriteAllowedArray(out, tree, member, kAddressParts);
      } else if (member.key == "birthDate") {
        out.Member(member);
      }
    }
  });
}

}  // namespace medvault::fhir
