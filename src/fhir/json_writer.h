// RapidJSON's Writer fed from a JsonTree: strings are re-escaped by the writer, numbers
// are copied as the client wrote them (5.40 stays 5.40).
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "fhir/json_tree.h"

namespace medvault::fhir {

class TreeWriter {
 public:
  explicit TreeWriter(const JsonTree& tree) : tree_(tree), writer_(buffer_) {}

  void StartObject() { writer_.StartObject(); }
  void EndObject() { writer_.EndObject(); }
  void StartArray() { writer_.StartArray(); }
  void EndArray() { writer_.EndArray(); }
  void Key(std::string_view key) {
    writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }
  void String(std::string_view text) {
    writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }
  // The node's value, recursively.
  void Value(const JsonNode& node);
  // The node's key, then its value.
  void Member(const JsonNode& node) {
    Key(node.key);
    Value(node);
  }
  std::string Finish() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  const JsonTree& tree_;
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace medvault::fhir
