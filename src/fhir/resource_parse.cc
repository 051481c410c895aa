#include "fhir/resource_parse.h"

#include <cstdint>
#include <string>

namespace medvault::fhir {
namespace {

Status CheckResourceType(const JsonTree& tree, ResourceType expected) {
  const JsonNode* type = tree.Member(tree.root(), "resourceType");
  if (type == nullptr || !type->IsString() || type->text != NameOf(expected)) {
    return Fail(ErrorCode::kInvalid,
                "resourceType must be \"" + std::string(NameOf(expected)) + "\"");
  }
  return Ok();
}

}  // namespace

Result<JsonTree> ParseResourceBody(std::string_view json, ResourceType expected,
                                   const ValidationLimits& limits) {
  if (json.size() > limits.max_bytes) {
    return Fail(ErrorCode::kPayloadTooLarge,
                "the resource is larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  ASSIGN_OR_RETURN(JsonTree tree, ParseJsonTree(json, limits.max_depth, limits.max_array_items));
  TRY(CheckResourceType(tree, expected));
  return tree;
}

Result<JsonTree> ParseStoredResource(std::string_view json, ResourceType expected) {
  return ParseResourceBody(
      json, expected,
      ValidationLimits{.max_bytes = SIZE_MAX, .max_depth = SIZE_MAX, .max_array_items = SIZE_MAX});
}

}  // namespace medvault::fhir
