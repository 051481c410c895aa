// The R4 complex datatypes the supported resources use
// (http://hl7.org/fhir/R4/datatypes.html, metadatatypes.html, references.html).
#include "fhir/schema.h"

namespace medvault::fhir {
namespace {

// Extension.value[x]: every primitive and the complex types medvault knows. R4 also
// lists metadata types (ContactDetail, UsageContext, …) that no supported resource
// uses; an extension carrying one of them is refused as an unknown element.
constexpr const DataType* kExtensionValueTypes[] = {
    &kBase64BinaryType, &kBooleanType,      &kCanonicalType,  &kCodeType,
    &kDateType,         &kDateTimeType,     &kDecimalType,    &kIdType,
    &kInstantType,      &kIntegerType,      &kMarkdownType,   &kOidType,
    &kPositiveIntType,  &kStringType,       &kTimeType,       &kUnsignedIntType,
    &kUriType,          &kUrlType,          &kUuidType,       &kAddressType,
    &kAgeType,          &kAnnotationType,   &kAttachmentType, &kCodeableConceptType,
    &kCodingType,       &kContactPointType, &kCountType,      &kDistanceType,
    &kDurationType,     &kHumanNameType,    &kIdentifierType, &kMoneyType,
    &kPeriodType,       &kQuantityType,     &kRangeType,      &kRatioType,
    &kReferenceType,    &kSampledDataType,  &kTimingType,     &kDosageType,
    &kMetaType,
};

constexpr ElementDef kExtensionElements[] = {
    {"url", kUriType, k11},
    ElementDef{"value", kExtensionValueTypes, k01}.Targets("*"),
};

constexpr ElementDef kCodingElements[] = {
    {"system", kUriType, k01},     {"version", kStringType, k01},       {"code", kCodeType, k01},
    {"display", kStringType, k01}, {"userSelected", kBooleanType, k01},
};

constexpr ElementDef kCodeableConceptElements[] = {
    {"coding", kCodingType, k0N},
    {"text", kStringType, k01},
};

constexpr ElementDef kIdentifierElements[] = {
    ElementDef{"use", kCodeType, k01}.Codes("usual|official|temp|secondary|old"),
    {"type", kCodeableConceptType, k01},
    {"system", kUriType, k01},
    {"value", kStringType, k01},
    {"period", kPeriodType, k01},
    ElementDef{"assigner", kReferenceType, k01}.Targets("Organization"),
};

constexpr ElementDef kHumanNameElements[] = {
    ElementDef{"use", kCodeType, k01}.Codes("usual|official|temp|nickname|anonymous|old|maiden"),
    {"text", kStringType, k01},
    {"family", kStringType, k01},
    {"given", kStringType, k0N},
    {"prefix", kStringType, k0N},
    {"suffix", kStringType, k0N},
    {"period", kPeriodType, k01},
};

constexpr ElementDef kContactPointElements[] = {
    ElementDef{"system", kCodeType, k01}.Codes("phone|fax|email|pager|url|sms|other"),
    {"value", kStringType, k01},
    ElementDef{"use", kCodeType, k01}.Codes("home|work|temp|old|mobile"),
    {"rank", kPositiveIntType, k01},
    {"period", kPeriodType, k01},
};

constexpr ElementDef kAddressElements[] = {
    ElementDef{"use", kCodeType, k01}.Codes("home|work|temp|old|billing"),
    ElementDef{"type", kCodeType, k01}.Codes("postal|physical|both"),
    {"text", kStringType, k01},
    {"line", kStringType, k0N},
    {"city", kStringType, k01},
    {"district", kStringType, k01},
    {"state", kStringType, k01},
    {"postalCode", kStringType, k01},
    {"country", kStringType, k01},
    {"period", kPeriodType, k01},
};

constexpr ElementDef kPeriodElements[] = {
    {"start", kDateTimeType, k01},
    {"end", kDateTimeType, k01},
};

// Quantity and its profiles Age, Duration, Count and Distance share one shape.
constexpr ElementDef kQuantityElements[] = {
    {"value", kDecimalType, k01}, ElementDef{"comparator", kCodeType, k01}.Codes("<|<=|>=|>"),
    {"unit", kStringType, k01},   {"system", kUriType, k01},
    {"code", kCodeType, k01},
};

// SimpleQuantity: a Quantity without a comparator.
constexpr ElementDef kSimpleQuantityElements[] = {
    {"value", kDecimalType, k01},
    {"unit", kStringType, k01},
    {"system", kUriType, k01},
    {"code", kCodeType, k01},
};

constexpr ElementDef kMoneyElements[] = {
    {"value", kDecimalType, k01},
    {"currency", kCodeType, k01},
};

constexpr ElementDef kRangeElements[] = {
    {"low", kSimpleQuantityType, k01},
    {"high", kSimpleQuantityType, k01},
};

constexpr ElementDef kRatioElements[] = {
    {"numerator", kQuantityType, k01},
    {"denominator", kQuantityType, k01},
};

constexpr ElementDef kSampledDataElements[] = {
    {"origin", kSimpleQuantityType, k11}, {"period", kDecimalType, k11},
    {"factor", kDecimalType, k01},        {"lowerLimit", kDecimalType, k01},
    {"upperLimit", kDecimalType, k01},    {"dimensions", kPositiveIntType, k11},
    {"data", kStringType, k01},
};

constexpr ElementDef kReferenceElements[] = {
    {"reference", kStringType, k01},
    {"type", kUriType, k01},
    {"identifier", kIdentifierType, k01},
    {"display", kStringType, k01},
};

constexpr ElementDef kMetaElements[] = {
    {"versionId", kIdType, k01},      {"lastUpdated", kInstantType, k01}, {"source", kUriType, k01},
    {"profile", kCanonicalType, k0N}, {"security", kCodingType, k0N},     {"tag", kCodingType, k0N},
};

constexpr ElementDef kNarrativeElements[] = {
    ElementDef{"status", kCodeType, k11}.Codes("generated|extensions|additional|empty"),
    {"div", kXhtmlType, k11},
};

constexpr const DataType* kReferenceOrString[] = {&kReferenceType, &kStringType};

constexpr ElementDef kAnnotationElements[] = {
    ElementDef{"author", kReferenceOrString, k01}.Targets(
        "Practitioner|Patient|RelatedPerson|Organization"),
    {"time", kDateTimeType, k01},
    {"text", kMarkdownType, k11},
};

constexpr ElementDef kAttachmentElements[] = {
    {"contentType", kCodeType, k01},  {"language", kCodeType, k01},
    {"data", kBase64BinaryType, k01}, {"url", kUrlType, k01},
    {"size", kUnsignedIntType, k01},  {"hash", kBase64BinaryType, k01},
    {"title", kStringType, k01},      {"creation", kDateTimeType, k01},
};

constexpr std::string_view kUnitsOfTime = "s|min|h|d|wk|mo|a";
constexpr const DataType* kTimingBoundsTypes[] = {&kDurationType, &kRangeType, &kPeriodType};

constexpr ElementDef kTimingRepeatElements[] = {
    {"bounds", kTimingBoundsTypes, k01},
    {"count", kPositiveIntType, k01},
    {"countMax", kPositiveIntType, k01},
    {"duration", kDecimalType, k01},
    {"durationMax", kDecimalType, k01},
    ElementDef{"durationUnit", kCodeType, k01}.Codes(kUnitsOfTime),
    {"frequency", kPositiveIntType, k01},
    {"frequencyMax", kPositiveIntType, k01},
    {"period", kDecimalType, k01},
    {"periodMax", kDecimalType, k01},
    ElementDef{"periodUnit", kCodeType, k01}.Codes(kUnitsOfTime),
    ElementDef{"dayOfWeek", kCodeType, k0N}.Codes("mon|tue|wed|thu|fri|sat|sun"),
    {"timeOfDay", kTimeType, k0N},
    // EventTiming: http://hl7.org/fhir/event-timing and the v3 TimingEvent codes.
    ElementDef{"when", kCodeType, k0N}.Codes(
        "MORN|MORN.early|MORN.late|NOON|AFT|AFT.early|AFT.late|EVE|EVE.early|EVE.late|NIGHT|"
        "PHS|HS|WAKE|C|CM|CD|CV|AC|ACM|ACD|ACV|PC|PCM|PCD|PCV"),
    {"offset", kUnsignedIntType, k01},
};
constexpr DataType kTimingRepeatType{"Element", Primitive::kNone, kTimingRepeatElements,
                                     &kElementType};

constexpr ElementDef kTimingElements[] = {
    {"event", kDateTimeType, k0N},
    {"repeat", kTimingRepeatType, k01},
    {"code", kCodeableConceptType, k01},
};

constexpr const DataType* kDoseTypes[] = {&kRangeType, &kSimpleQuantityType};
constexpr const DataType* kRateTypes[] = {&kRatioType, &kRangeType, &kSimpleQuantityType};

constexpr ElementDef kDoseAndRateElements[] = {
    {"type", kCodeableConceptType, k01},
    {"dose", kDoseTypes, k01},
    {"rate", kRateTypes, k01},
};
constexpr DataType kDoseAndRateType{"Element", Primitive::kNone, kDoseAndRateElements,
                                    &kElementType};

constexpr const DataType* kBooleanOrCodeableConcept[] = {&kBooleanType, &kCodeableConceptType};

constexpr ElementDef kDosageElements[] = {
    {"sequence", kIntegerType, k01},
    {"text", kStringType, k01},
    {"additionalInstruction", kCodeableConceptType, k0N},
    {"patientInstruction", kStringType, k01},
    {"timing", kTimingType, k01},
    {"asNeeded", kBooleanOrCodeableConcept, k01},
    {"site", kCodeableConceptType, k01},
    {"route", kCodeableConceptType, k01},
    {"method", kCodeableConceptType, k01},
    {"doseAndRate", kDoseAndRateType, k0N},
    {"maxDosePerPeriod", kRatioType, k01},
    {"maxDosePerAdministration", kSimpleQuantityType, k01},
    {"maxDosePerLifetime", kSimpleQuantityType, k01},
};

}  // namespace

constexpr DataType kExtensionType{"Extension", Primitive::kNone, kExtensionElements, &kElementType};
constexpr DataType kCodingType{"Coding", Primitive::kNone, kCodingElements, &kElementType};
constexpr DataType kCodeableConceptType{"CodeableConcept", Primitive::kNone,
                                        kCodeableConceptElements, &kElementType};
constexpr DataType kIdentifierType{"Identifier", Primitive::kNone, kIdentifierElements,
                                   &kElementType};
constexpr DataType kHumanNameType{"HumanName", Primitive::kNone, kHumanNameElements, &kElementType};
constexpr DataType kContactPointType{"ContactPoint", Primitive::kNone, kContactPointElements,
                                     &kElementType};
constexpr DataType kAddressType{"Address", Primitive::kNone, kAddressElements, &kElementType};
constexpr DataType kPeriodType{"Period", Primitive::kNone, kPeriodElements, &kElementType};
constexpr DataType kQuantityType{"Quantity", Primitive::kNone, kQuantityElements, &kElementType};
constexpr DataType kSimpleQuantityType{"Quantity", Primitive::kNone, kSimpleQuantityElements,
                                       &kElementType};
constexpr DataType kAgeType{"Age", Primitive::kNone, kQuantityElements, &kElementType};
constexpr DataType kDurationType{"Duration", Primitive::kNone, kQuantityElements, &kElementType};
constexpr DataType kCountType{"Count", Primitive::kNone, kQuantityElements, &kElementType};
constexpr DataType kDistanceType{"Distance", Primitive::kNone, kQuantityElements, &kElementType};
constexpr DataType kMoneyType{"Money", Primitive::kNone, kMoneyElements, &kElementType};
constexpr DataType kRangeType{"Range", Primitive::kNone, kRangeElements, &kElementType};
constexpr DataType kRatioType{"Ratio", Primitive::kNone, kRatioElements, &kElementType};
constexpr DataType kSampledDataType{"SampledData", Primitive::kNone, kSampledDataElements,
                                    &kElementType};
constexpr DataType kReferenceType{"Reference", Primitive::kNone, kReferenceElements, &kElementType};
constexpr DataType kMetaType{"Meta", Primitive::kNone, kMetaElements, &kElementType};
constexpr DataType kNarrativeType{"Narrative", Primitive::kNone, kNarrativeElements, &kElementType};
constexpr DataType kAnnotationType{"Annotation", Primitive::kNone, kAnnotationElements,
                                   &kElementType};
constexpr DataType kAttachmentType{"Attachment", Primitive::kNone, kAttachmentElements,
                                   &kElementType};
// Timing and Dosage are backbone types in R4: they may carry modifierExtension.
constexpr DataType kTimingType{"Timing", Primitive::kNone, kTimingElements, &kBackboneElementType};
constexpr DataType kDosageType{"Dosage", Primitive::kNone, kDosageElements, &kBackboneElementType};

}  // namespace medvault::fhir
