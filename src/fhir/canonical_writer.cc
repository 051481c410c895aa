#include "fhir/canonical_writer.h"

#include "fhir/json_writer.h"

namespace medvault::fhir {
namespace {

bool IsServerMetaMember(std::string_view key) {
  return key == "versionId" || key == "lastUpdated" || key == "_versionId" || key == "_lastUpdated";
}

// Members the canonical form writes before the others, in this order.
bool IsLeadingMember(std::string_view key) {
  return key == "resourceType" || key == "id" || key == "_id" || key == "meta";
}

void WriteMeta(TreeWriter& out, const JsonTree& tree, const JsonNode* meta,
               const ServerStamp* stamp) {
  bool has_client_members = false;
  if (meta != nullptr) {
    for (const JsonNode& member : tree.ChildrenOf(*meta)) {
      has_client_members = has_client_members || !IsServerMetaMember(member.key);
    }
  }
  if (stamp == nullptr && !has_client_members) return;
  out.Key("meta");
  out.StartObject();
  if (stamp != nullptr) {
    out.Key("versionId");
    out.String(std::to_string(stamp->version_id));
    out.Key("lastUpdated");
    out.String(stamp->last_updated);
  }
  if (meta != nullptr) {
    for (const JsonNode& member : tree.ChildrenOf(*meta)) {
      if (!IsServerMetaMember(member.key)) out.Member(member);
    }
  }
  out.EndObject();
}

}  // namespace

std::string WriteResource(const JsonTree& tree, const ServerStamp* stamp) {
  const JsonNode& root = tree.root();
  TreeWriter out(tree);
  out.StartObject();
  if (const JsonNode* type = tree.Member(root, "resourceType")) out.Member(*type);
  if (stamp != nullptr) {
    out.Key("id");
    out.String(stamp->id);
  } else if (const JsonNode* id = tree.Member(root, "id")) {
    out.Member(*id);
  }
  if (const JsonNode* id_extensions = tree.Member(root, "_id")) out.Member(*id_extensions);
  WriteMeta(out, tree, tree.Member(root, "meta"), stamp);
  for (const JsonNode& member : tree.ChildrenOf(root)) {
    if (!IsLeadingMember(member.key)) out.Member(member);
  }
  out.EndObject();
  return out.Finish();
}

}  // namespace medvault::fhir
