// ValidateResource and StampResource: the pipeline from request bytes to the canonical
// body medvault seals, and the stamping of each stored version.
#include "fhir/resource.h"

#include <stdexcept>

#include "fhir/canonical_writer.h"
#include "fhir/resource_facts.h"
#include "fhir/resource_parse.h"
#include "fhir/schema.h"
#include "fhir/search_extraction.h"
#include "fhir/validator.h"

namespace medvault::fhir {

Result<ValidatedResource> ValidateResource(std::string_view json, ResourceType expected,
                                           const ValidationLimits& limits,
                                           ReferenceMode references) {
  ASSIGN_OR_RETURN(JsonTree tree, ParseResourceBody(json, expected, limits));
  ValidatedResource resource;
  resource.type = expected;
  TRY(ValidateAgainstSchema(tree, SchemaOf(expected), references, resource.facts.references));
  TRY(CollectResourceFacts(tree, expected, resource.facts));
  if (const JsonNode* id = tree.Member(tree.root(), "id")) resource.id = id->text;
  resource.canonical_json = WriteResource(tree, nullptr);
  resource.search_values = ExtractFromTree(tree, expected);
  return resource;
}

std::string StampResource(std::string_view canonical_json, std::string_view id, int64_t version_id,
                          std::string_view last_updated) {
  // Any resource type will do: only the root's shape matters here.
  const JsonNode* type = nullptr;
  Result<JsonTree> tree = ParseJsonTree(canonical_json, SIZE_MAX, SIZE_MAX);
  if (tree) type = tree->Member(tree->root(), "resourceType");
  if (type == nullptr || !type->IsString()) {
    // The contract says the input comes from ValidateResource: anything else is a bug
    // in the caller, not bad input.
    throw std::invalid_argument("StampResource: not a resource written by ValidateResource");
  }
  ServerStamp stamp;
  stamp.id = id;
  stamp.version_id = version_id;
  stamp.last_updated = last_updated;
  return WriteResource(*tree, &stamp);
}

}  // namespace medvault::fhir
