#include "cli/import_validation.h"

#include <optional>
#include <string>
#include <string_view>

namespace medvault::cli {
namespace {

// The top-level resourceType, found without parsing the whole line; validation checks
// it again properly, so a wrong guess can only reject, never import as another type.
std::optional<fhir::ResourceType> TypeOf(std::string_view json) {
  size_t key = json.find("\"resourceType\"");
  if (key == std::string_view::npos) return std::nullopt;
  size_t open = json.find('"', json.find(':', key));
  size_t close = open == std::string_view::npos ? open : json.find('"', open + 1);
  if (close == std::string_view::npos) return std::nullopt;
  return fhir::ParseResourceType(json.substr(open + 1, close - open - 1));
}

std::unexpected<Error> Bad(const std::string& where, const Error& e) {
  std::string message = where + ": " + e.message;
  if (!e.expression.empty() && e.message.find(e.expression) == std::string::npos)
    message += " (at " + e.expression + ")";
  return Fail(ErrorCode::kInvalid, message);
}

}  // namespace

Result<fhir::ValidatedResource> ValidateImportItem(const ImportItem& item) {
  auto type = TypeOf(item.json);
  if (!type)
    return Fail(ErrorCode::kInvalid,
                item.where + ": resourceType is missing or not a type medvault stores");
  auto resource = fhir::ValidateResource(item.json, *type);
  if (!resource) return Bad(item.where, resource.error());
  return resource;
}

}  // namespace medvault::cli
