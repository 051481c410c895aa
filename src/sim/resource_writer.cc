#include "sim/resource_writer.h"

#include <cmath>
#include <cstring>

namespace medvault::sim {
namespace {

constexpr std::string_view kUcum = "http://unitsofmeasure.org";

}  // namespace

ResourceWriter::ResourceWriter(std::string_view resource_type, std::string_view id)
    : JsonWriter(output) {
  output.Reserve(1024);
  StartObject();
  Member("resourceType", resource_type);
  Member("id", id);
}

void ResourceWriter::Decimal(double value, int decimals) {
  static constexpr int64_t kScale[] = {1, 10, 100, 1000, 10000};
  const int64_t scale = kScale[decimals];
  const int64_t scaled = std::llround(value * static_cast<double>(scale));
  const bool negative = scaled < 0;
  uint64_t magnitude = static_cast<uint64_t>(negative ? -scaled : scaled);
  char text[32];
  char* end = text + sizeof text;
  char* out = end;
  for (int digit = 0; digit < decimals; ++digit) {
    *--out = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  }
  if (decimals > 0) *--out = '.';
  do {
    *--out = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) *--out = '-';
  RawValue(out, static_cast<size_t>(end - out), rapidjson::kNumberType);
}

void ResourceWriter::Reference(std::string_view type, std::string_view id) {
  char text[96];
  const size_t size = type.size() + 1 + id.size();
  std::memcpy(text, type.data(), type.size());
  text[type.size()] = '/';
  std::memcpy(text + type.size() + 1, id.data(), id.size());
  StartObject();
  Member("reference", std::string_view(text, size));
  EndObject();
}

void ResourceWriter::Coding(std::string_view system, std::string_view code,
                            std::string_view display) {
  StartObject();
  Member("system", system);
  Member("code", code);
  if (!display.empty()) Member("display", display);
  EndObject();
}

void ResourceWriter::CodeableConcept(std::string_view system, std::string_view code,
                                     std::string_view display, std::string_view text) {
  StartObject();
  Key("coding");
  StartArray();
  Coding(system, code, display);
  EndArray();
  if (!text.empty()) Member("text", text);
  EndObject();
}

void ResourceWriter::CodeableConceptArrayMember(std::string_view key, std::string_view system,
                                                std::string_view code, std::string_view display) {
  Key(key);
  StartArray();
  CodeableConcept(system, code, display);
  EndArray();
}

void ResourceWriter::TextConcept(std::string_view text) {
  StartObject();
  Member("text", text);
  EndObject();
}

void ResourceWriter::UcumQuantity(double value, int decimals, std::string_view unit) {
  StartObject();
  Key("value");
  Decimal(value, decimals);
  Member("unit", unit);
  Member("system", kUcum);
  Member("code", unit);
  EndObject();
}

void ResourceWriter::Period(std::string_view start, std::string_view end) {
  StartObject();
  Member("start", start);
  if (!end.empty()) Member("end", end);
  EndObject();
}

std::string ResourceWriter::Finish() {
  EndObject();
  return output.Take();
}

}  // namespace medvault::sim
