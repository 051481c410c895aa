#include "fhir/json_writer.h"

namespace medvault::fhir {

void TreeWriter::Value(const JsonNode& node) {
  switch (node.kind) {
    case JsonKind::kNull: writer_.Null(); return;
    case JsonKind::kFalse: writer_.Bool(false); return;
    case JsonKind::kTrue: writer_.Bool(true); return;
    case JsonKind::kNumber:
      writer_.RawValue(node.text.data(), node.text.size(), rapidjson::kNumberType);
      return;
    case JsonKind::kString: String(node.text); return;
    case JsonKind::kArray:
      StartArray();
      for (const JsonNode& item : tree_.ChildrenOf(node)) Value(item);
      EndArray();
      return;
    case JsonKind::kObject:
      StartObject();
      for (const JsonNode& member : tree_.ChildrenOf(node)) Member(member);
      EndObject();
      return;
  }
}

}  // namespace medvault::fhir
