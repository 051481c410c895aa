// RapidJSON's Writer fed from a JsonTree: strings are re-escaped by the writer, numbers
// are copied as the client wrote them (5.40 stays 5.40).
#pragma once

#include <rapidjson/writer.h>

#include <algorithm>
#include <string>
#include <string_view>

#include "fhir/json_tree.h"

namespace medvault::fhir {

// A RapidJSON output stream over a std::string that becomes the result without a copy.
// RapidJSON reserves room before each run of characters and then writes unchecked
// (PutReserve, PutUnsafe below, found by argument-dependent lookup).
class StringOutput {
 public:
  using Ch = char;
  void Reserve(size_t count) {
    if (size_ + count > buffer_.size()) buffer_.resize(std::max(buffer_.size() * 2, size_ + count));
  }
  void PutUnsafe(char c) { buffer_[size_++] = c; }
  void Put(char c) {
    Reserve(1);
    PutUnsafe(c);
  }
  void Flush() {}
  std::string Take() {
    buffer_.resize(size_);
    size_ = 0;
    return std::move(buffer_);
  }

 private:
  std::string buffer_;
  size_t size_ = 0;
};

inline void PutReserve(StringOutput& out, size_t count) { out.Reserve(count); }
inline void PutUnsafe(StringOutput& out, char c) { out.PutUnsafe(c); }

class TreeWriter {
 public:
  // Output rarely exceeds the input (whitespace goes, escapes shrink or stay), so the
  // input's size plus room for server metadata avoids regrowing the string.
  explicit TreeWriter(const JsonTree& tree) : tree_(tree), writer_(output_) {
    output_.Reserve(tree.source_size() + 128);
  }

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
  std::string Finish() { return output_.Take(); }

 private:
  const JsonTree& tree_;
  StringOutput output_;
  rapidjson::Writer<StringOutput> writer_;
};

}  // namespace medvault::fhir
