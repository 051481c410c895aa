// The primitive types, the bases every element inherits from, and element lookup.
#include "fhir/schema.h"

namespace medvault::fhir {
namespace {

constexpr DataType PrimitiveType(std::string_view name, Primitive primitive) {
  return DataType(name, primitive);
}

}  // namespace

constexpr DataType kBooleanType = PrimitiveType("boolean", Primitive::kBoolean);
constexpr DataType kIntegerType = PrimitiveType("integer", Primitive::kInteger);
constexpr DataType kPositiveIntType = PrimitiveType("positiveInt", Primitive::kPositiveInt);
constexpr DataType kUnsignedIntType = PrimitiveType("unsignedInt", Primitive::kUnsignedInt);
constexpr DataType kDecimalType = PrimitiveType("decimal", Primitive::kDecimal);
constexpr DataType kStringType = PrimitiveType("string", Primitive::kString);
constexpr DataType kMarkdownType = PrimitiveType("markdown", Primitive::kMarkdown);
constexpr DataType kCodeType = PrimitiveType("code", Primitive::kCode);
constexpr DataType kIdType = PrimitiveType("id", Primitive::kId);
constexpr DataType kUriType = PrimitiveType("uri", Primitive::kUri);
constexpr DataType kUrlType = PrimitiveType("url", Primitive::kUrl);
constexpr DataType kCanonicalType = PrimitiveType("canonical", Primitive::kCanonical);
constexpr DataType kOidType = PrimitiveType("oid", Primitive::kOid);
constexpr DataType kUuidType = PrimitiveType("uuid", Primitive::kUuid);
constexpr DataType kDateType = PrimitiveType("date", Primitive::kDate);
constexpr DataType kDateTimeType = PrimitiveType("dateTime", Primitive::kDateTime);
constexpr DataType kInstantType = PrimitiveType("instant", Primitive::kInstant);
constexpr DataType kTimeType = PrimitiveType("time", Primitive::kTime);
constexpr DataType kBase64BinaryType = PrimitiveType("base64Binary", Primitive::kBase64Binary);
constexpr DataType kXhtmlType = PrimitiveType("xhtml", Primitive::kXhtml);

namespace {

// Element: what every datatype and backbone element has. Element.id is a plain string.
constexpr ElementDef kElementElements[] = {
    {"id", kStringType, k01},
    {"extension", kExtensionType, k0N},
};

constexpr ElementDef kBackboneElementElements[] = {
    {"modifierExtension", kExtensionType, k0N},
};

// Resource: resourceType is checked before the walk and is not an element here.
constexpr ElementDef kResourceBaseElements[] = {
    {"id", kIdType, k01},
    {"meta", kMetaType, k01},
    {"implicitRules", kUriType, k01},
    {"language", kCodeType, k01},
};

constexpr ElementDef kDomainResourceElements[] = {
    {"text", kNarrativeType, k01},
    {"contained", kAnyResourceType, k0N},
    {"extension", kExtensionType, k0N},
    {"modifierExtension", kExtensionType, k0N},
};

// "Date" for "dateTime": the spelling of a type in a choice element's JSON name.
bool IsChoiceSuffix(std::string_view suffix, std::string_view type_name) {
  if (suffix.size() != type_name.size() || suffix.empty()) return false;
  char first = type_name[0];
  if (first >= 'a' && first <= 'z') first = static_cast<char>(first - 'a' + 'A');
  return suffix[0] == first && suffix.substr(1) == type_name.substr(1);
}

}  // namespace

constexpr DataType kElementType{"Element", Primitive::kNone, kElementElements};
constexpr DataType kBackboneElementType{"BackboneElement", Primitive::kNone,
                                        kBackboneElementElements, &kElementType};
constexpr DataType kResourceBaseType{"Resource", Primitive::kNone, kResourceBaseElements};
constexpr DataType kDomainResourceType{"DomainResource", Primitive::kNone, kDomainResourceElements,
                                       &kResourceBaseType};
constexpr DataType kAnyResourceType = PrimitiveType("Resource", Primitive::kNone);

const DataType& SchemaOf(ResourceType type) {
  switch (type) {
    case ResourceType::kPatient: return kPatientSchema;
    case ResourceType::kPractitioner: return kPractitionerSchema;
    case ResourceType::kOrganization: return kOrganizationSchema;
    case ResourceType::kCareTeam: return kCareTeamSchema;
    case ResourceType::kEncounter: return kEncounterSchema;
    case ResourceType::kObservation: return kObservationSchema;
    case ResourceType::kCondition: return kConditionSchema;
    case ResourceType::kAllergyIntolerance: return kAllergyIntoleranceSchema;
    case ResourceType::kMedicationRequest: return kMedicationRequestSchema;
    case ResourceType::kDocumentReference: return kDocumentReferenceSchema;
  }
  return kPatientSchema;
}

std::optional<ElementMatch> FindElement(const DataType& type, std::string_view json_name) {
  if (json_name.empty()) return std::nullopt;
  uint32_t index = 0;
  for (const DataType* level = &type; level != nullptr; level = level->base) {
    for (const ElementDef& element : level->elements) {
      // Most names differ in their first letter; test it before comparing the rest.
      if (element.name[0] != json_name[0]) {
        ++index;
        continue;
      }
      if (!element.is_choice()) {
        if (element.name == json_name) return ElementMatch{&element, element.type, index};
      } else if (json_name.starts_with(element.name)) {
        std::string_view suffix = json_name.substr(element.name.size());
        for (const DataType* choice : element.choices) {
          if (IsChoiceSuffix(suffix, choice->name)) return ElementMatch{&element, choice, index};
        }
      }
      ++index;
    }
  }
  return std::nullopt;
}

bool ListContains(std::string_view list, std::string_view item) {
  while (!list.empty()) {
    size_t bar = list.find('|');
    if (list.substr(0, bar) == item) return true;
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return false;
}

}  // namespace medvault::fhir
