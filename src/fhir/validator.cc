#include "fhir/validator.h"

#include <array>
#include <bitset>
#include <charconv>

#include "fhir/fhir_datetime.h"
#include "fhir/literal_reference.h"
#include "fhir/primitive_formats.h"

namespace medvault::fhir {
namespace {

// Member names are echoed in error locations only when they look like FHIR element
// names; anything else a client sent is not repeated back.
bool IsPlausibleElementName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

// "male|female" → "male, female", for messages listing what is allowed.
std::string ListForMessage(std::string_view list) {
  std::string out;
  for (char c : list) {
    if (c == '|') {
      out += ", ";
    } else {
      out += c;
    }
  }
  return out;
}

bool TargetAllowed(std::string_view targets, std::string_view type) {
  return targets == "*" || ListContains(targets, type);
}

// Appends a segment to the location for as long as the object lives.
class PathScope {
 public:
  PathScope(std::string& path, std::string_view name) : path_(path), size_(path.size()) {
    path_ += '.';
    path_ += name;
  }
  PathScope(std::string& path, uint32_t index) : path_(path), size_(path.size()) {
    char digits[16];
    auto end = std::to_chars(digits, digits + sizeof(digits), index).ptr;
    path_ += '[';
    path_.append(digits, end);
    path_ += ']';
  }
  ~PathScope() { path_.resize(size_); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  std::string& path_;
  size_t size_;
};

// The choice elements an object has used so far, and with which type.
class ChoicesSeen {
 public:
  // False when the element was already present with another type.
  bool Record(const ElementMatch& match) {
    for (size_t i = 0; i < count_; ++i) {
      if (seen_[i].index == match.index) return seen_[i].type == match.type;
    }
    // No R4 type has more choice elements than this; see schema_test.cc.
    if (count_ < seen_.size()) seen_[count_++] = {match.index, match.type};
    return true;
  }

 private:
  struct Seen {
    uint32_t index;
    const DataType* type;
  };
  // Left uninitialized: only the first count_ entries are read, and zeroing the
  // array showed in profiles (one per object validated).
  std::array<Seen, 8> seen_;
  size_t count_ = 0;
};

class SchemaValidator {
 public:
  SchemaValidator(const JsonTree& tree, ReferenceMode mode, std::vector<std::string>& references)
      : tree_(tree), mode_(mode), references_(references) {
    path_.reserve(128);
  }

  Status Validate(const DataType& schema) {
    path_.assign(schema.name);
    return ValidateObject(tree_.root(), schema);
  }

 private:
  std::unexpected<Error> Unprocessable(std::string_view message) const {
    return Fail(ErrorCode::kUnprocessable, std::string(message), path_);
  }

  Status ValidateObject(const JsonNode& object, const DataType& type) {
    if (object.size == 0) return Unprocessable("must not be an empty object");
    const bool is_root = &object == &tree_.root();
    std::bitset<kMaxElementsPerType> present;
    ChoicesSeen choices;
    for (const JsonNode& member : tree_.ChildrenOf(object)) {
      if (is_root && member.key == "resourceType") continue;
      const bool extension_only = member.key.starts_with('_');
      std::string_view name = extension_only ? member.key.substr(1) : member.key;
      std::optional<ElementMatch> match = FindElement(type, name);
      if (!match || (extension_only && match->type->primitive == Primitive::kNone)) {
        PathScope scope(path_, IsPlausibleElementName(member.key) ? member.key : "?");
        return Unprocessable("unknown element");
      }
      if (match->index >= kMaxElementsPerType) {
        return Fail(ErrorCode::kInternal, "schema table too large", path_);
      }
      if (match->element->is_choice() && !choices.Record(*match)) {
        PathScope scope(path_, std::string(match->element->name) + "[x]");
        return Unprocessable("only one type of this choice element may be present");
      }
      present.set(match->index);
      PathScope scope(path_, name);
      if (extension_only) {
        TRY(ValidatePrimitiveExtension(object, member, *match));
      } else {
        TRY(ValidateMember(object, member, *match));
      }
    }
    TRY(CheckRequired(type, present));
    if (&type == &kExtensionType) TRY(CheckExtensionHasValueOrExtensions(object));
    if (&type == &kPeriodType) TRY(CheckPeriodOrder(object));
    return Ok();
  }

  Status CheckRequired(const DataType& type, const std::bitset<kMaxElementsPerType>& present) {
    bool any_required = false;
    for (const DataType* level = &type; level != nullptr; level = level->base) {
      any_required = any_required || level->has_required_elements;
    }
    if (!any_required) return Ok();
    const ElementDef* missing = nullptr;
    ForEachElement(type, [&](const ElementDef& element, uint32_t index) {
      if (missing == nullptr && element.required() && !present.test(index)) missing = &element;
    });
    if (missing == nullptr) return Ok();
    PathScope scope(path_, missing->is_choice() ? std::string(missing->name) + "[x]"
                                                : std::string(missing->name));
    return Unprocessable("required element is missing");
  }

  Status ValidateMember(const JsonNode& object, const JsonNode& member, const ElementMatch& match) {
    const ElementDef& element = *match.element;
    if (match.type == &kAnyResourceType) {
      return Unprocessable(
          "contained resources are not supported: medvault seals every resource with its own "
          "patient's key");
    }
    if (!element.repeats()) {
      if (member.IsArray()) return Unprocessable("must not be an array (at most one value)");
      return ValidateValue(member, element, *match.type);
    }
    if (!member.IsArray()) {
      return Unprocessable("must be an array: FHIR JSON writes repeating elements as arrays");
    }
    if (member.size == 0) return Unprocessable("must not be an empty array");
    // A null keeps the place of a primitive value that only has extensions: the item at
    // the same position in "_given" must then be an object. Walked in step, not searched.
    JsonTree::Iterator extension;
    JsonTree::Iterator extensions_end;
    if (match.type->primitive != Primitive::kNone) {
      const JsonNode* extensions = ExtensionsOf(object, member.key);
      if (extensions != nullptr && extensions->IsArray()) {
        extension = tree_.ChildrenOf(*extensions).begin();
        extensions_end = tree_.ChildrenOf(*extensions).end();
      }
    }
    uint32_t index = 0;
    for (const JsonNode& item : tree_.ChildrenOf(member)) {
      PathScope scope(path_, index++);
      const bool has_extension = extension != extensions_end && extension->IsObject();
      if (extension != extensions_end) ++extension;
      if (item.kind != JsonKind::kNull) {
        TRY(ValidateValue(item, element, *match.type));
      } else if (!has_extension) {
        return Unprocessable(match.type->primitive == Primitive::kNone
                                 ? "must not be null"
                                 : "must not be null unless _" + std::string(member.key) +
                                       " has extensions at the same position");
      }
    }
    return Ok();
  }

  // The "_name" member beside "name".
  const JsonNode* ExtensionsOf(const JsonNode& object, std::string_view name) const {
    for (const JsonNode& member : tree_.ChildrenOf(object)) {
      if (member.key.size() == name.size() + 1 && member.key[0] == '_' &&
          member.key.substr(1) == name) {
        return &member;
      }
    }
    return nullptr;
  }

  // "_birthDate": the id and extensions of a primitive, next to or instead of its value.
  Status ValidatePrimitiveExtension(const JsonNode& object, const JsonNode& member,
                                    const ElementMatch& match) {
    if (!match.element->repeats()) {
      if (member.IsArray()) return Unprocessable("must not be an array (at most one value)");
      if (!member.IsObject()) return Unprocessable("must be a JSON object");
      return ValidateObject(member, kElementType);
    }
    if (!member.IsArray()) {
      return Unprocessable("must be an array: FHIR JSON writes repeating elements as arrays");
    }
    if (member.size == 0) return Unprocessable("must not be an empty array");
    const JsonNode* values = tree_.Member(object, member.key.substr(1));
    if (values != nullptr && values->IsArray() && values->size != member.size) {
      return Unprocessable("must have as many items as the values it extends");
    }
    uint32_t index = 0;
    for (const JsonNode& item : tree_.ChildrenOf(member)) {
      PathScope scope(path_, index);
      if (item.kind == JsonKind::kNull) {
        if (values == nullptr || !values->IsArray()) {
          return Unprocessable("must not be null without a value at the same position");
        }
      } else if (!item.IsObject()) {
        return Unprocessable("must be a JSON object or null");
      } else {
        TRY(ValidateObject(item, kElementType));
      }
      ++index;
    }
    return Ok();
  }

  Status ValidateValue(const JsonNode& value, const ElementDef& element, const DataType& type) {
    if (type.primitive != Primitive::kNone) {
      if (auto error = PrimitiveFormatError(type.primitive, value.kind, value.text)) {
        return Unprocessable(*error);
      }
      if (!element.codes.empty() && type.primitive == Primitive::kCode &&
          !ListContains(element.codes, value.text)) {
        return Unprocessable("must be one of: " + ListForMessage(element.codes));
      }
      return Ok();
    }
    if (!value.IsObject()) return Unprocessable("must be a JSON object");
    TRY(ValidateObject(value, type));
    if (&type == &kReferenceType) return CheckReference(value, element);
    if (&type == &kCodeableConceptType && !element.codes.empty()) {
      return CheckConceptBinding(value, element);
    }
    return Ok();
  }

  Status CheckReference(const JsonNode& object, const ElementDef& element) {
    std::string_view literal_type;
    if (const JsonNode* literal = tree_.Member(object, "reference")) {
      PathScope scope(path_, "reference");
      ASSIGN_OR_RETURN(LiteralReference reference, ParseReference(literal->text));
      if (reference.is_urn_uuid()) {
        if (mode_ != ReferenceMode::kAllowUrnUuid) {
          return Unprocessable("urn:uuid references are only allowed inside a Bundle");
        }
      } else if (!TargetAllowed(element.targets, reference.type)) {
        return Unprocessable("must reference one of: " + ListForMessage(element.targets));
      }
      literal_type = reference.type;
      references_.push_back(reference.Target());
    }
    const JsonNode* declared = tree_.Member(object, "type");
    // Reference.type may also be an absolute URL (logical models); only type names are
    // compared with the allowed targets.
    if (declared != nullptr && declared->IsString() &&
        declared->text.find_first_of(":/") == std::string_view::npos) {
      PathScope scope(path_, "type");
      if (!TargetAllowed(element.targets, declared->text)) {
        return Unprocessable("must be one of: " + ListForMessage(element.targets));
      }
      if (!literal_type.empty() && literal_type != declared->text) {
        return Unprocessable("must name the type that reference points to");
      }
    }
    return Ok();
  }

  Result<LiteralReference> ParseReference(std::string_view text) const {
    if (text.starts_with('#')) {
      return Unprocessable(
          "references to contained resources are not supported, as contained resources are "
          "not");
    }
    std::optional<LiteralReference> reference = ParseLiteralReference(text);
    if (reference) return *reference;
    if (text.find(':') != std::string_view::npos) {
      return Unprocessable(
          "must be a relative reference (Type/id): absolute URLs are not supported");
    }
    return Unprocessable("must be a relative reference (Type/id or Type/id/_history/version)");
  }

  // A required binding on a CodeableConcept: a Coding from the bound system, with one
  // of its codes, must be there.
  Status CheckConceptBinding(const JsonNode& codeable_concept, const ElementDef& element) {
    bool found = false;
    const JsonNode* codings = tree_.Member(codeable_concept, "coding");
    uint32_t index = 0;
    for (const JsonNode& coding : codings ? tree_.ChildrenOf(*codings) : JsonTree::Children{}) {
      const JsonNode* system = tree_.Member(coding, "system");
      const JsonNode* code = tree_.Member(coding, "code");
      if (system != nullptr && system->text == element.code_system && code != nullptr) {
        if (!ListContains(element.codes, code->text)) {
          PathScope item(path_, "coding");
          PathScope at(path_, index);
          PathScope field(path_, "code");
          return Unprocessable("must be one of: " + ListForMessage(element.codes));
        }
        found = true;
      }
      ++index;
    }
    if (found) return Ok();
    return Unprocessable("must have a coding from " + std::string(element.code_system) +
                         " (one of: " + ListForMessage(element.codes) + ")");
  }

  // ext-1: an extension has a value or nested extensions, not both.
  Status CheckExtensionHasValueOrExtensions(const JsonNode& object) {
    bool has_value = false;
    bool has_extensions = false;
    for (const JsonNode& member : tree_.ChildrenOf(object)) {
      if (member.key == "extension") {
        has_extensions = true;
      } else if (member.key.starts_with("value") || member.key.starts_with("_value")) {
        has_value = true;
      }
    }
    if (has_value == has_extensions) {
      return Unprocessable("an extension must have either a value or nested extensions");
    }
    return Ok();
  }

  // per-1: a Period does not end before it starts (each bound at its own precision).
  Status CheckPeriodOrder(const JsonNode& period) {
    const JsonNode* start = tree_.Member(period, "start");
    const JsonNode* end = tree_.Member(period, "end");
    if (start == nullptr || end == nullptr) return Ok();
    std::optional<DateRange> from = DateRangeOf(start->text);
    std::optional<DateRange> to = DateRangeOf(end->text);
    if (from && to && from->start_ms >= to->end_ms) {
      return Unprocessable("start must not be after end");
    }
    return Ok();
  }

  const JsonTree& tree_;
  ReferenceMode mode_;
  std::vector<std::string>& references_;
  std::string path_;
};

}  // namespace

Status ValidateAgainstSchema(const JsonTree& tree, const DataType& schema, ReferenceMode mode,
                             std::vector<std::string>& references) {
  return SchemaValidator(tree, mode, references).Validate(schema);
}

}  // namespace medvault::fhir
