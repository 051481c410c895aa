#include "api/json_fields.h"

#include <rapidjson/document.h>

#include <algorithm>

#include "common/utf8.h"

namespace medvault::api {

Result<std::map<std::string, std::string, std::less<>>> ParseStringFields(
    std::string_view body, std::initializer_list<std::string_view> allowed, size_t max_bytes) {
  std::string expected;
  for (std::string_view name : allowed)
    expected += (expected.empty() ? "\"" : ", \"") + std::string(name) + "\"";
  if (body.size() > max_bytes) return Fail(ErrorCode::kPayloadTooLarge, "request body too large");
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(),
                                                                                    body.size());
  if (doc.HasParseError() || !doc.IsObject())
    return Fail(ErrorCode::kInvalid, "send a JSON object with string fields among " + expected);
  std::map<std::string, std::string, std::less<>> fields;
  for (auto& m : doc.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end())
      return Fail(ErrorCode::kInvalid, "unexpected field; expected fields among " + expected);
    if (!m.value.IsString())
      return Fail(ErrorCode::kInvalid, "fields must be strings; expected fields among " + expected);
    std::string value(m.value.GetString(), m.value.GetStringLength());
    // The encoding check sees the body's bytes, not what escapes decode to: RapidJSON
    // 1.1.0 decodes a lone low surrogate ("\udc00") into bytes that are not UTF-8, and
    // such a value would reach the audit log, which then cannot read its own entry.
    if (!IsValidUtf8(value))
      return Fail(ErrorCode::kInvalid,
                  "fields must be Unicode text (a lone surrogate escape is not)");
    fields[std::string(name)] = std::move(value);
  }
  return fields;
}

}  // namespace medvault::api
