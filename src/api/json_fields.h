// Small JSON request and response bodies of the non-FHIR endpoints (/auth, /admin):
// flat objects of string fields in, objects built with RapidJSON's Writer out.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/utf8.h"

namespace medvault::api {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Parses `body` as one JSON object whose members are all strings named in `allowed`.
// Unknown members, other types, bodies over `max_bytes` and malformed JSON are refused
// with a message that names the expected fields (never the values).
Result<std::map<std::string, std::string, std::less<>>> ParseStringFields(
    std::string_view body, std::initializer_list<std::string_view> allowed,
    size_t max_bytes = 4096);

template <typename Fn>
std::string WriteJson(Fn fn) {
  rapidjson::StringBuffer buffer;
  JsonWriter w(buffer);
  fn(w);
  return {buffer.GetString(), buffer.GetSize()};
}

// Writes `s` as a JSON string. Text a client chose (a User-Agent, a username) may hold
// bytes that are not UTF-8; they become U+FFFD so that the answer stays valid JSON.
inline void Str(JsonWriter& w, std::string_view s) {
  std::string storage;
  std::string_view valid = AsValidUtf8(s, storage);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

}  // namespace medvault::api
