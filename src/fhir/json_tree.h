// Untrusted JSON read into a compact, read-only tree. This is the one place where raw
// bytes from a client are parsed: it enforces what JSON itself demands (UTF-8, syntax,
// a single root object, no duplicate keys) and the nesting and array limits, so that
// the schema walk, the writers and the search extraction can follow the tree freely.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace medvault::fhir {

enum class JsonKind : uint8_t { kNull, kFalse, kTrue, kNumber, kString, kArray, kObject };

inline constexpr uint32_t kNoNode = UINT32_MAX;

struct JsonNode {
  std::string_view key;   // member name (unescaped) when the parent is an object
  std::string_view text;  // kString: the unescaped value; kNumber: the number as written
  uint32_t first_child = kNoNode;
  uint32_t next_sibling = kNoNode;
  uint32_t size = 0;  // number of children of an array or object
  JsonKind kind = JsonKind::kNull;

  bool IsObject() const { return kind == JsonKind::kObject; }
  bool IsArray() const { return kind == JsonKind::kArray; }
  bool IsString() const { return kind == JsonKind::kString; }
};

class JsonTree {
 public:
  // Walks the children of an array or object in document order.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = JsonNode;
    using difference_type = std::ptrdiff_t;
    using pointer = const JsonNode*;
    using reference = const JsonNode&;

    Iterator() = default;
    Iterator(const JsonNode* nodes, uint32_t index) : nodes_(nodes), index_(index) {}
    const JsonNode& operator*() const { return nodes_[index_]; }
    const JsonNode* operator->() const { return &nodes_[index_]; }
    Iterator& operator++() {
      index_ = nodes_[index_].next_sibling;
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }

   private:
    const JsonNode* nodes_ = nullptr;
    uint32_t index_ = kNoNode;
  };

  struct Children {
    Iterator first;
    Iterator last;
    Iterator begin() const { return first; }
    Iterator end() const { return last; }
  };

  JsonTree() = default;
  JsonTree(JsonTree&&) noexcept = default;
  JsonTree& operator=(JsonTree&&) noexcept = default;

  // The root object.
  const JsonNode& root() const { return nodes_.front(); }
  Children ChildrenOf(const JsonNode& node) const {
    return {Iterator(nodes_.data(), node.first_child), Iterator(nodes_.data(), kNoNode)};
  }
  // The member `key` of `object`, or nullptr (also when `object` is not an object).
  const JsonNode* Member(const JsonNode& object, std::string_view key) const;
  size_t node_count() const { return nodes_.size(); }
  // The size in bytes of the JSON text the tree was parsed from.
  size_t source_size() const { return source_size_; }

 private:
  friend class JsonTreeBuilder;
  std::vector<JsonNode> nodes_;
  size_t source_size_ = 0;
  // Unescaped strings and number texts; a fixed buffer so that moving the tree keeps
  // every string_view valid.
  std::unique_ptr<char[]> strings_;
};

// Parses `json`, whose root must be an object. Errors are kInvalid with a message that
// never quotes the input: invalid UTF-8, malformed JSON, trailing content, a duplicate
// key, nesting deeper than `max_depth` (objects and arrays; the root object is depth 1;
// never more than 256), or an array of more than `max_array_items` items.
Result<JsonTree> ParseJsonTree(std::string_view json, size_t max_depth, size_t max_array_items);

// True when `text` is a number as the JSON grammar writes it (RFC 8259 section 6).
bool IsJsonNumber(std::string_view text);

}  // namespace medvault::fhir
