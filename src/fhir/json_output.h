// Small helpers over RapidJSON's Writer for the documents the server composes (Bundles,
// OperationOutcome, CapabilityStatement). Text from callers passes through ToValidUtf8
// so that the output stays valid JSON whatever it holds.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "common/utf8.h"

namespace medvault::fhir {

using JsonOutput = rapidjson::Writer<rapidjson::StringBuffer>;

inline void JsonKey(JsonOutput& w, std::string_view key) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
}

inline void JsonString(JsonOutput& w, std::string_view text) {
  const std::string valid = ToValidUtf8(text);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

inline void JsonMember(JsonOutput& w, std::string_view key, std::string_view text) {
  JsonKey(w, key);
  JsonString(w, text);
}

// Not an overload of JsonMember: a string literal would convert to bool first.
inline void JsonBoolMember(JsonOutput& w, std::string_view key, bool value) {
  JsonKey(w, key);
  w.Bool(value);
}

inline std::string JsonText(const rapidjson::StringBuffer& buffer) {
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace medvault::fhir
