// Checks on the schema tables themselves: mistakes there would not fail to compile.
#include "fhir/schema.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace medvault::fhir {
namespace {

// Every type reachable from the resource schemas, each once.
std::vector<const DataType*> AllTypes() {
  std::vector<const DataType*> pending;
  for (ResourceType type : kAllResourceTypes) pending.push_back(&SchemaOf(type));
  std::set<const DataType*> seen;
  std::vector<const DataType*> all;
  while (!pending.empty()) {
    const DataType* type = pending.back();
    pending.pop_back();
    if (!seen.insert(type).second) continue;
    all.push_back(type);
    for (const DataType* level = type; level != nullptr; level = level->base) {
      for (const ElementDef& element : level->elements) {
        if (element.type != nullptr) pending.push_back(element.type);
        for (const DataType* choice : element.choices) pending.push_back(choice);
      }
    }
  }
  return all;
}

TEST(Schema, EveryTypeFitsTheValidatorsFixedSets) {
  for (const DataType* type : AllTypes()) {
    size_t elements = 0;
    size_t choice_elements = 0;
    ForEachElement(*type, [&](const ElementDef& element, uint32_t) {
      ++elements;
      choice_elements += element.is_choice() ? 1 : 0;
    });
    EXPECT_LE(elements, kMaxElementsPerType) << type->name;
    EXPECT_LE(choice_elements, 8u) << type->name;
  }
}

TEST(Schema, ElementNamesAreUniqueWithinAType) {
  for (const DataType* type : AllTypes()) {
    std::set<std::string_view> names;
    ForEachElement(*type, [&](const ElementDef& element, uint32_t) {
      EXPECT_TRUE(names.insert(element.name).second) << type->name << "." << element.name;
    });
  }
}

TEST(Schema, EveryReferenceElementNamesItsTargets) {
  for (const DataType* type : AllTypes()) {
    ForEachElement(*type, [&](const ElementDef& element, uint32_t) {
      bool is_reference = element.type == &kReferenceType;
      for (const DataType* choice : element.choices) is_reference |= choice == &kReferenceType;
      EXPECT_EQ(is_reference, !element.targets.empty()) << type->name << "." << element.name;
    });
  }
}

TEST(Schema, BindingsSitOnCodesOrCodeableConcepts) {
  for (const DataType* type : AllTypes()) {
    ForEachElement(*type, [&](const ElementDef& element, uint32_t) {
      if (element.codes.empty()) return;
      ASSERT_FALSE(element.is_choice()) << element.name;
      if (element.type == &kCodeableConceptType) {
        EXPECT_FALSE(element.code_system.empty()) << type->name << "." << element.name;
      } else {
        EXPECT_EQ(element.type, &kCodeType) << type->name << "." << element.name;
        EXPECT_TRUE(element.code_system.empty()) << type->name << "." << element.name;
      }
    });
  }
}

TEST(Schema, CompartmentElementsAreReferencesToPatients) {
  for (ResourceType type : kAllResourceTypes) {
    std::string_view element = CompartmentElementOf(type);
    if (element.empty()) continue;
    auto match = FindElement(SchemaOf(type), element);
    ASSERT_TRUE(match) << NameOf(type);
    EXPECT_EQ(match->type, &kReferenceType) << NameOf(type);
    EXPECT_TRUE(ListContains(match->element->targets, "Patient")) << NameOf(type);
  }
}

TEST(FindElement, MatchesChoiceElementsByTypeSuffix) {
  auto value = FindElement(SchemaOf(ResourceType::kObservation), "valueCodeableConcept");
  ASSERT_TRUE(value);
  EXPECT_EQ(value->type, &kCodeableConceptType);
  auto time = FindElement(SchemaOf(ResourceType::kObservation), "valueDateTime");
  ASSERT_TRUE(time);
  EXPECT_EQ(time->type, &kDateTimeType);
  EXPECT_EQ(value->index, time->index);
  EXPECT_FALSE(FindElement(SchemaOf(ResourceType::kObservation), "valuedateTime"));
  EXPECT_FALSE(FindElement(SchemaOf(ResourceType::kObservation), "value"));
  // SimpleQuantity is written as Quantity in choice names.
  EXPECT_TRUE(FindElement(kDosageType, "maxDosePerLifetime"));
  // Inherited elements come after the type's own.
  auto meta = FindElement(SchemaOf(ResourceType::kPatient), "meta");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->type, &kMetaType);
}

TEST(ListContains, MatchesWholeItems) {
  EXPECT_TRUE(ListContains("Patient|Group", "Patient"));
  EXPECT_TRUE(ListContains("Patient|Group", "Group"));
  EXPECT_FALSE(ListContains("Patient|Group", "Pat"));
  EXPECT_FALSE(ListContains("Patient|Group", "Patient|Group"));
  EXPECT_FALSE(ListContains("", ""));
  EXPECT_TRUE(ListContains("<|<=|>=|>", "<="));
}

}  // namespace
}  // namespace medvault::fhir
