#include "fhir/json_tree.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <string>

namespace medvault::fhir {
namespace {

namespace ondemand = simdjson::ondemand;

// The deepest nesting accepted whatever the caller's limit: every walk over the tree
// recurses once per level, and this keeps that recursion far from the end of a
// thread's stack (a few KB a level in the sanitizer build).
constexpr size_t kMaxSupportedDepth = 256;
// Documents above this size are parsed with a transient parser so that one large body
// does not pin megabytes of buffers to a thread for its lifetime.
constexpr size_t kThreadParserMaxBytes = 256 * 1024;
// Objects with more members than this are checked for duplicate keys by sorting.
constexpr uint32_t kPairwiseDuplicateCheckMax = 16;

struct ParserState {
  ondemand::parser parser;
  std::vector<char> padded;  // the input copied with the padding simdjson reads past
};

ParserState& ThreadParserState() {
  thread_local ParserState state;
  return state;
}

std::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalid, std::move(message));
}

std::unexpected<Error> FromSimdjson(simdjson::error_code code) {
  switch (code) {
    case simdjson::UTF8_ERROR: return Invalid("the body is not valid UTF-8");
    case simdjson::DEPTH_ERROR: return Invalid("JSON nesting is too deep");
    case simdjson::UNESCAPED_CHARS:
      return Invalid("malformed JSON: unescaped control character in a string");
    case simdjson::STRING_ERROR: return Invalid("malformed JSON: bad escape in a string");
    case simdjson::INCORRECT_TYPE:
    case simdjson::N_ATOM_ERROR:
    case simdjson::T_ATOM_ERROR:
    case simdjson::F_ATOM_ERROR: return Invalid("malformed JSON: bad literal");
    default: return Invalid("malformed JSON");
  }
}

std::string_view TrimTrailingSpace(std::string_view token) {
  while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                            token.back() == '\r')) {
    token.remove_suffix(1);
  }
  return token;
}

}  // namespace

// Builds the tree depth-first, in document order, from simdjson's On-Demand iteration
// (which keeps numbers as written; the DOM API would turn 5.40 into 5.4).
class JsonTreeBuilder {
 public:
  JsonTreeBuilder(JsonTree& tree, size_t input_size, size_t max_depth, size_t max_array_items)
      : tree_(tree), max_depth_(max_depth), max_array_items_(max_array_items) {
    tree_.strings_ = std::make_unique_for_overwrite<char[]>(input_size);
    tree_.source_size_ = input_size;
    // A typical resource has a node for every 15 to 25 bytes.
    tree_.nodes_.reserve(input_size / 16 + 8);
  }

  Status BuildRoot(ondemand::document& doc) {
    ondemand::object root;
    ondemand::json_type type;
    if (auto error = doc.type().get(type)) return FromSimdjson(error);
    if (type != ondemand::json_type::object) return Invalid("the body must be a JSON object");
    if (auto error = doc.get_object().get(root)) return FromSimdjson(error);
    uint32_t index = NewNode({}, JsonKind::kObject);
    TRY(AddMembers(root, index, 1));
    // Anything after the root object is an error; at the end simdjson has no location.
    const char* location = nullptr;
    if (doc.current_location().get(location) == simdjson::SUCCESS) {
      return Invalid("malformed JSON: content after the root object");
    }
    return Ok();
  }

 private:
  uint32_t NewNode(std::string_view key, JsonKind kind) {
    JsonNode& node = tree_.nodes_.emplace_back();
    node.key = key;
    node.kind = kind;
    return static_cast<uint32_t>(tree_.nodes_.size() - 1);
  }

  // Copies into the tree's string buffer. Unescaped strings are never longer than
  // their escaped form, so the buffer (the input's size) cannot overflow.
  std::string_view Keep(std::string_view text) {
    char* out = tree_.strings_.get() + strings_used_;
    if (!text.empty()) std::memcpy(out, text.data(), text.size());
    strings_used_ += text.size();
    return {out, text.size()};
  }

  // Appends `child` to the children of `parent`, keeping `last` as the tail.
  void Link(uint32_t parent, uint32_t& last, uint32_t child) {
    if (last == kNoNode) {
      tree_.nodes_[parent].first_child = child;
    } else {
      tree_.nodes_[last].next_sibling = child;
    }
    last = child;
    ++tree_.nodes_[parent].size;
  }

  Status AddMembers(ondemand::object& object, uint32_t index, size_t depth) {
    uint32_t last = kNoNode;
    for (auto field : object) {
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return FromSimdjson(error);
      key = Keep(key);
      ondemand::value value;
      if (auto error = field.value().get(value)) return FromSimdjson(error);
      ASSIGN_OR_RETURN(uint32_t child, AddValue(value, key, depth));
      Link(index, last, child);
    }
    return CheckDuplicateKeys(tree_.nodes_[index]);
  }

  Status AddItems(ondemand::array& array, uint32_t index, size_t depth) {
    uint32_t last = kNoNode;
    for (auto item : array) {
      ondemand::value value;
      if (auto error = item.get(value)) return FromSimdjson(error);
      if (tree_.nodes_[index].size >= max_array_items_) {
        return Invalid("a JSON array has more than " + std::to_string(max_array_items_) + " items");
      }
      ASSIGN_OR_RETURN(uint32_t child, AddValue(value, {}, depth));
      Link(index, last, child);
    }
    return Ok();
  }

  // `depth` is the depth of the container holding `value`. Each kind has its own
  // function so that the recursion's stack frames stay small.
  Result<uint32_t> AddValue(ondemand::value& value, std::string_view key, size_t depth) {
    ondemand::json_type type;
    if (auto error = value.type().get(type)) return FromSimdjson(error);
    switch (type) {
      case ondemand::json_type::object: return AddObject(value, key, depth + 1);
      case ondemand::json_type::array: return AddArray(value, key, depth + 1);
      case ondemand::json_type::string: return AddString(value, key);
      case ondemand::json_type::number: return AddNumber(value, key);
      case ondemand::json_type::boolean:
      case ondemand::json_type::null: return AddLiteral(value, key, type);
    }
    return Invalid("malformed JSON");
  }

  Result<uint32_t> AddObject(ondemand::value& value, std::string_view key, size_t depth) {
    if (depth > max_depth_) return Invalid("JSON nesting is too deep");
    ondemand::object object;
    if (auto error = value.get_object().get(object)) return FromSimdjson(error);
    uint32_t index = NewNode(key, JsonKind::kObject);
    TRY(AddMembers(object, index, depth));
    return index;
  }

  Result<uint32_t> AddArray(ondemand::value& value, std::string_view key, size_t depth) {
    if (depth > max_depth_) return Invalid("JSON nesting is too deep");
    ondemand::array array;
    if (auto error = value.get_array().get(array)) return FromSimdjson(error);
    uint32_t index = NewNode(key, JsonKind::kArray);
    TRY(AddItems(array, index, depth));
    return index;
  }

  Result<uint32_t> AddString(ondemand::value& value, std::string_view key) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) return FromSimdjson(error);
    uint32_t index = NewNode(key, JsonKind::kString);
    tree_.nodes_[index].text = Keep(text);
    return index;
  }

  Result<uint32_t> AddNumber(ondemand::value& value, std::string_view key) {
    // On-Demand hands numbers over unchecked; the grammar is checked here.
    std::string_view text = TrimTrailingSpace(value.raw_json_token());
    if (!IsJsonNumber(text)) return Invalid("malformed JSON: bad number");
    uint32_t index = NewNode(key, JsonKind::kNumber);
    tree_.nodes_[index].text = Keep(text);
    return index;
  }

  Result<uint32_t> AddLiteral(ondemand::value& value, std::string_view key,
                              ondemand::json_type type) {
    if (type == ondemand::json_type::boolean) {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return FromSimdjson(error);
      return NewNode(key, flag ? JsonKind::kTrue : JsonKind::kFalse);
    }
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return FromSimdjson(error);
    if (!is_null) return Invalid("malformed JSON: bad literal");
    return NewNode(key, JsonKind::kNull);
  }

  Status CheckDuplicateKeys(const JsonNode& object) {
    if (object.size < 2) return Ok();
    const JsonNode* nodes = tree_.nodes_.data();
    if (object.size <= kPairwiseDuplicateCheckMax) {
      for (uint32_t i = object.first_child; i != kNoNode; i = nodes[i].next_sibling) {
        for (uint32_t j = nodes[i].next_sibling; j != kNoNode; j = nodes[j].next_sibling) {
          if (nodes[i].key == nodes[j].key) return Invalid("duplicate key in a JSON object");
        }
      }
      return Ok();
    }
    keys_.clear();
    for (uint32_t i = object.first_child; i != kNoNode; i = nodes[i].next_sibling) {
      keys_.push_back(nodes[i].key);
    }
    std::sort(keys_.begin(), keys_.end());
    if (std::adjacent_find(keys_.begin(), keys_.end()) != keys_.end()) {
      return Invalid("duplicate key in a JSON object");
    }
    return Ok();
  }

  JsonTree& tree_;
  size_t max_depth_;
  size_t max_array_items_;
  size_t strings_used_ = 0;
  std::vector<std::string_view> keys_;  // scratch for the duplicate check of large objects
};

const JsonNode* JsonTree::Member(const JsonNode& object, std::string_view key) const {
  if (object.kind != JsonKind::kObject) return nullptr;
  for (const JsonNode& member : ChildrenOf(object)) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

bool IsJsonNumber(std::string_view text) {
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i - start;
  };
  if (i < text.size() && text[i] == '-') ++i;
  if (i < text.size() && text[i] == '0') {
    ++i;
  } else if (digits() == 0) {
    return false;
  }
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == text.size();
}

Result<JsonTree> ParseJsonTree(std::string_view json, size_t max_depth, size_t max_array_items) {
  // simdjson checks UTF-8 as it indexes, but reports it with other errors; checking
  // first gives the client the precise reason.
  if (!simdjson::validate_utf8(json.data(), json.size())) {
    return Invalid("the body is not valid UTF-8");
  }
  std::optional<ParserState> transient;
  if (json.size() > kThreadParserMaxBytes) transient.emplace();
  ParserState& state = transient ? *transient : ThreadParserState();
  state.padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
  if (!json.empty()) std::memcpy(state.padded.data(), json.data(), json.size());

  ondemand::document doc;
  if (auto error = state.parser
                       .iterate(simdjson::padded_string_view(state.padded.data(), json.size(),
                                                             state.padded.size()))
                       .get(doc)) {
    return FromSimdjson(error);
  }
  JsonTree tree;
  JsonTreeBuilder builder(tree, json.size(), std::min(max_depth, kMaxSupportedDepth),
                          max_array_items);
  TRY(builder.BuildRoot(doc));
  return tree;
}

}  // namespace medvault::fhir
