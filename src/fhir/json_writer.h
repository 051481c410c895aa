// RapidJSON's Writer fed from a JsonTree: strings are re-escaped by the writer, numbers
// are copied as the client wrote them (5.40 stays 5.40).
#pragma once

#include <rapidjson/writer.h>

#include <algorithm>
#include <cstring>
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
  // Within room already reserved.
  void AppendUnsafe(const char* text, size_t count) {
    if (count > 0) std::memcpy(buffer_.data() + size_, text, count);
    size_ += count;
  }
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

}  // namespace medvault::fhir

namespace rapidjson {

// RapidJSON's hook for copying, in one go, the run of a string that needs no escaping
// (1.1.0 ships one for StringBuffer only). The writer still escapes what stops the run:
// control characters, '"' and '\\'. WriteString has reserved room for the worst case.
template <>
inline bool Writer<medvault::fhir::StringOutput>::ScanWriteUnescapedString(StringStream& is,
                                                                           size_t length) {
  const char* stop = is.src_;
  const char* end = is.head_ + length;
  while (stop != end) {
    auto byte = static_cast<unsigned char>(*stop);
    if (byte < 0x20 || byte == '"' || byte == '\\') break;
    ++stop;
  }
  os_->AppendUnsafe(is.src_, static_cast<size_t>(stop - is.src_));
  is.src_ = stop;
  return stop != end;
}

}  // namespace rapidjson

namespace medvault::fhir {

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
