#include "fhir/literal_reference.h"

#include "fhir/primitive_formats.h"

namespace medvault::fhir {
namespace {

bool IsTypeName(std::string_view text) {
  if (text.empty() || text.size() > 64 || text[0] < 'A' || text[0] > 'Z') return false;
  for (char c : text) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

// Splits off the text before the next '/', consuming the slash.
std::string_view NextSegment(std::string_view& rest) {
  size_t slash = rest.find('/');
  std::string_view segment = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  return segment;
}

}  // namespace

std::string LiteralReference::Target() const {
  if (is_urn_uuid()) return std::string(id);
  std::string target;
  target.reserve(type.size() + 1 + id.size());
  target.append(type).append("/").append(id);
  return target;
}

std::optional<LiteralReference> ParseLiteralReference(std::string_view text) {
  if (IsUrnUuid(text)) return LiteralReference{.type = {}, .id = text, .version = {}};
  std::string_view rest = text;
  LiteralReference reference;
  reference.type = NextSegment(rest);
  const bool has_id = !rest.empty();
  reference.id = NextSegment(rest);
  if (!has_id || !IsTypeName(reference.type) || !IsValidFhirId(reference.id)) {
    return std::nullopt;
  }
  if (text.size() == reference.type.size() + 1 + reference.id.size()) return reference;
  if (NextSegment(rest) != "_history" || rest.empty()) return std::nullopt;
  reference.version = NextSegment(rest);
  // Anything after the version (another '/') makes it something else.
  if (reference.version.data() + reference.version.size() != text.data() + text.size() ||
      !IsValidFhirId(reference.version)) {
    return std::nullopt;
  }
  return reference;
}

}  // namespace medvault::fhir
