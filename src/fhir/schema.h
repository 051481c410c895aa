// The R4 shape of the supported resources as data: one table of elements per resource,
// backbone element and complex datatype, each element with its type (or choice of
// types), cardinality, allowed reference targets and required code binding. The
// validator walks these tables; nothing about a particular resource lives in code.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "fhir/resource_type.h"

namespace medvault::fhir {

// The FHIR primitive types (http://hl7.org/fhir/R4/datatypes.html#primitive), and
// kNone for complex types.
enum class Primitive : uint8_t {
  kNone,
  kBoolean,
  kInteger,
  kPositiveInt,
  kUnsignedInt,
  kDecimal,
  kString,
  kMarkdown,
  kCode,
  kId,
  kUri,
  kUrl,
  kCanonical,
  kOid,
  kUuid,
  kDate,
  kDateTime,
  kInstant,
  kTime,
  kBase64Binary,
  kXhtml,
};

enum class Cardinality : uint8_t { k01, k0N, k11, k1N };
inline constexpr Cardinality k01 = Cardinality::k01;
inline constexpr Cardinality k0N = Cardinality::k0N;
inline constexpr Cardinality k11 = Cardinality::k11;
inline constexpr Cardinality k1N = Cardinality::k1N;

struct DataType;

struct ElementDef {
  // A single-type element.
  constexpr ElementDef(std::string_view element_name, const DataType& element_type,
                       Cardinality card)
      : name(element_name), type(&element_type), cardinality(card) {}
  // A choice element ("value[x]"): `name` is the stem ("value"), and the JSON name is
  // the stem followed by the capitalized type name ("valueQuantity").
  constexpr ElementDef(std::string_view stem, std::span<const DataType* const> choice_types,
                       Cardinality card)
      : name(stem), choices(choice_types), cardinality(card) {}

  // Reference types this element may point to, '|'-separated as R4 writes them;
  // "*" for Reference(Any).
  constexpr ElementDef Targets(std::string_view allowed) const {
    ElementDef copy = *this;
    copy.targets = allowed;
    return copy;
  }
  // A required binding: the codes ('|'-separated) a code element may take, or that a
  // CodeableConcept must carry in a Coding of `system`.
  constexpr ElementDef Codes(std::string_view allowed, std::string_view system = {}) const {
    ElementDef copy = *this;
    copy.codes = allowed;
    copy.code_system = system;
    return copy;
  }

  constexpr bool required() const { return cardinality == k11 || cardinality == k1N; }
  constexpr bool repeats() const { return cardinality == k0N || cardinality == k1N; }
  constexpr bool is_choice() const { return type == nullptr; }

  std::string_view name;
  const DataType* type = nullptr;  // nullptr for a choice element
  std::span<const DataType* const> choices;
  Cardinality cardinality;
  std::string_view targets;
  std::string_view codes;
  std::string_view code_system;
};

struct DataType {
  constexpr DataType(std::string_view type_name, Primitive type_primitive,
                     std::span<const ElementDef> type_elements = {},
                     const DataType* type_base = nullptr)
      : name(type_name),
        primitive(type_primitive),
        elements(type_elements),
        base(type_base),
        has_required_elements(AnyRequired(type_elements)) {}

  // The R4 type name; for a profile of another type (SimpleQuantity) the name of the
  // type it profiles, as choice element names use it ("doseQuantity").
  std::string_view name;
  Primitive primitive = Primitive::kNone;
  std::span<const ElementDef> elements;
  // Where the inherited elements come from: Element, BackboneElement, DomainResource.
  const DataType* base = nullptr;
  // Whether `elements` (not the base's) has a required one: most types have none, and
  // the validator skips their check.
  bool has_required_elements = false;

 private:
  static constexpr bool AnyRequired(std::span<const ElementDef> list) {
    for (const ElementDef& element : list) {
      if (element.required()) return true;
    }
    return false;
  }
};

// Primitive types.
extern const DataType kBooleanType, kIntegerType, kPositiveIntType, kUnsignedIntType, kDecimalType,
    kStringType, kMarkdownType, kCodeType, kIdType, kUriType, kUrlType, kCanonicalType, kOidType,
    kUuidType, kDateType, kDateTimeType, kInstantType, kTimeType, kBase64BinaryType, kXhtmlType;

// Bases and complex datatypes.
// kAnyResourceType stands for R4's Resource in `contained`, which medvault refuses.
extern const DataType kElementType, kBackboneElementType, kResourceBaseType, kDomainResourceType,
    kAnyResourceType, kExtensionType, kCodingType, kCodeableConceptType, kIdentifierType,
    kHumanNameType, kContactPointType, kAddressType, kPeriodType, kQuantityType,
    kSimpleQuantityType, kAgeType, kDurationType, kCountType, kDistanceType, kMoneyType, kRangeType,
    kRatioType, kSampledDataType, kReferenceType, kMetaType, kNarrativeType, kAnnotationType,
    kAttachmentType, kTimingType, kDosageType;

// The element table of each supported resource (its base is DomainResource).
extern const DataType kPatientSchema, kPractitionerSchema, kOrganizationSchema, kCareTeamSchema,
    kEncounterSchema, kObservationSchema, kConditionSchema, kAllergyIntoleranceSchema,
    kMedicationRequestSchema, kDocumentReferenceSchema;

const DataType& SchemaOf(ResourceType type);

// A resource's BackboneElement ("Patient.contact"), and a resource.
constexpr DataType BackboneElement(std::span<const ElementDef> elements) {
  return DataType{"BackboneElement", Primitive::kNone, elements, &kBackboneElementType};
}
constexpr DataType ResourceSchema(std::string_view name, std::span<const ElementDef> elements) {
  return DataType{name, Primitive::kNone, elements, &kDomainResourceType};
}

// At most this many elements, inherited ones included, in any type: the validator
// tracks the elements an object holds in a fixed-size set.
inline constexpr size_t kMaxElementsPerType = 96;

struct ElementMatch {
  const ElementDef* element = nullptr;
  const DataType* type = nullptr;  // the type chosen, for a choice element
  uint32_t index = 0;              // position among the type's elements, inherited ones last
};

// Finds the element that JSON member `json_name` denotes in `type` or its bases.
std::optional<ElementMatch> FindElement(const DataType& type, std::string_view json_name);

// The elements of `type` followed by those of its bases, by flat index.
template <typename Visit>
void ForEachElement(const DataType& type, Visit&& visit) {
  uint32_t index = 0;
  for (const DataType* level = &type; level != nullptr; level = level->base) {
    for (const ElementDef& element : level->elements) visit(element, index++);
  }
}

// True when `list` ('|'-separated) contains `item`.
bool ListContains(std::string_view list, std::string_view item);

}  // namespace medvault::fhir
