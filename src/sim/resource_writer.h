// Writes one resource's JSON: RapidJSON's Writer (it escapes strings) over the fhir
// module's StringOutput, plus the FHIR shapes the population repeats (references,
// codings, quantities, periods).
#pragma once

#include <rapidjson/writer.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/json_writer.h"

namespace medvault::sim {

// The output string, a base so that it exists before the Writer that points to it.
struct ResourceWriterOutput {
  fhir::StringOutput output;
};

// RapidJSON's own StartObject, EndObject, StartArray, EndArray and Bool, plus the
// members below.
class ResourceWriter : private ResourceWriterOutput, private rapidjson::Writer<fhir::StringOutput> {
  using JsonWriter = rapidjson::Writer<fhir::StringOutput>;

 public:
  // Opens the resource object with "resourceType" and "id".
  ResourceWriter(std::string_view resource_type, std::string_view id);

  using JsonWriter::Bool;
  using JsonWriter::EndArray;
  using JsonWriter::EndObject;
  using JsonWriter::StartArray;
  using JsonWriter::StartObject;
  void Key(std::string_view key) {
    JsonWriter::Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }
  void String(std::string_view text) {
    JsonWriter::String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }
  // A decimal written with exactly `decimals` digits after the point (rounded half away
  // from zero), so that the text does not depend on floating-point printing.
  void Decimal(double value, int decimals);

  void Member(std::string_view key, std::string_view text) {
    Key(key);
    String(text);
  }
  // {"reference":"Type/id"}
  void Reference(std::string_view type, std::string_view id);
  void ReferenceMember(std::string_view key, std::string_view type, std::string_view id) {
    Key(key);
    Reference(type, id);
  }
  // {"system":…,"code":…,"display":…}; an empty display is left out.
  void Coding(std::string_view system, std::string_view code, std::string_view display = {});
  // {"coding":[Coding],"text":…}; an empty text is left out.
  void CodeableConcept(std::string_view system, std::string_view code,
                       std::string_view display = {}, std::string_view text = {});
  void CodeableConceptMember(std::string_view key, std::string_view system, std::string_view code,
                             std::string_view display = {}, std::string_view text = {}) {
    Key(key);
    CodeableConcept(system, code, display, text);
  }
  // [CodeableConcept], for the 0..* category-like elements.
  void CodeableConceptArrayMember(std::string_view key, std::string_view system,
                                  std::string_view code, std::string_view display = {});
  // {"text":…}
  void TextConcept(std::string_view text);
  // {"value":…,"unit":…,"system":"http://unitsofmeasure.org","code":…}
  void UcumQuantity(double value, int decimals, std::string_view unit);
  // {"start":…,"end":…}; an empty end is left out.
  void Period(std::string_view start, std::string_view end = {});

  // Closes the resource object and returns its JSON.
  std::string Finish();
};

}  // namespace medvault::sim
