#include "audit/audit_event.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <simdjson.h>

#include <cstring>
#include <vector>

#include "common/utf8.h"

namespace medvault::audit {
namespace {

// Entries record text that clients chose (a User-Agent, a username, an id from a path).
// HTTP lets such text carry bytes that are not UTF-8; written as they came, the entry
// would not be JSON, and `audit verify` (and every breach report, which verifies first)
// would refuse the whole log from that entry on. Such bytes are written as U+FFFD.
void ValidString(rapidjson::Writer<rapidjson::StringBuffer>& w, const std::string& value) {
  std::string storage;
  std::string_view valid = AsValidUtf8(value, storage);
  w.String(valid.data(), static_cast<rapidjson::SizeType>(valid.size()));
}

void Field(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* name,
           const std::string& value) {
  w.Key(name);
  ValidString(w, value);
}

void StringArray(rapidjson::Writer<rapidjson::StringBuffer>& w, const char* name,
                 const std::vector<std::string>& values) {
  w.Key(name);
  w.StartArray();
  for (const std::string& v : values) ValidString(w, v);
  w.EndArray();
}

std::vector<std::string> GetStrings(const rapidjson::Value& array) {
  std::vector<std::string> out;
  for (const auto& v : array.GetArray())
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  return out;
}

std::string GetString(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::unexpected<Error> NotAnEntry() {
  return Fail(ErrorCode::kInternal, "an audit entry is not valid JSON");
}

}  // namespace

std::string CanonicalJson(const AuditEvent& e) {
  // The buffer keeps its memory from one entry to the next (it would grow twice for
  // each entry from its default 256 bytes).
  thread_local rapidjson::StringBuffer buffer;
  buffer.Clear();
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("time");
  w.Int64(e.time_ms);
  Field(w, "request", e.request_id);
  Field(w, "account", e.account_id);
  Field(w, "username", e.username);
  Field(w, "role", e.role);
  Field(w, "session", e.session_id);
  Field(w, "client", e.client_address);
  Field(w, "agent", e.user_agent);
  Field(w, "interaction", e.interaction);
  Field(w, "type", e.resource_type);
  Field(w, "id", e.resource_id);
  StringArray(w, "patients", e.patients);
  Field(w, "outcome", e.outcome);
  w.Key("status");
  w.Int(e.status);
  Field(w, "detail", e.detail);
  if (e.outside_care) StringArray(w, "outside_care", *e.outside_care);
  if (!e.minimal_identity.empty()) StringArray(w, "minimal", e.minimal_identity);
  if (!e.node.empty()) Field(w, "node", e.node);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

Result<AuditEvent> ParseCanonicalJson(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(json.data(),
                                                                                    json.size());
  if (doc.HasParseError() || !doc.IsObject()) return NotAnEntry();
  AuditEvent e;
  auto time = doc.FindMember("time");
  if (time != doc.MemberEnd() && time->value.IsInt64()) e.time_ms = time->value.GetInt64();
  e.request_id = GetString(doc, "request");
  e.account_id = GetString(doc, "account");
  e.username = GetString(doc, "username");
  e.role = GetString(doc, "role");
  e.session_id = GetString(doc, "session");
  e.client_address = GetString(doc, "client");
  e.user_agent = GetString(doc, "agent");
  e.interaction = GetString(doc, "interaction");
  e.resource_type = GetString(doc, "type");
  e.resource_id = GetString(doc, "id");
  auto patients = doc.FindMember("patients");
  if (patients != doc.MemberEnd() && patients->value.IsArray())
    e.patients = GetStrings(patients->value);
  e.outcome = GetString(doc, "outcome");
  auto status = doc.FindMember("status");
  if (status != doc.MemberEnd() && status->value.IsInt()) e.status = status->value.GetInt();
  e.detail = GetString(doc, "detail");
  auto outside = doc.FindMember("outside_care");
  if (outside != doc.MemberEnd() && outside->value.IsArray())
    e.outside_care = GetStrings(outside->value);
  auto minimal = doc.FindMember("minimal");
  if (minimal != doc.MemberEnd() && minimal->value.IsArray())
    e.minimal_identity = GetStrings(minimal->value);
  e.node = GetString(doc, "node");
  return e;
}

Result<EntryHead> CanonicalJsonHead(std::string_view json) {
  // simdjson's DOM parser validates the whole document (the on-demand one would not).
  // It reads past the end, so the text is copied into a padded buffer; both are kept
  // per thread.
  thread_local simdjson::dom::parser parser;
  thread_local std::vector<char> padded;
  padded.resize(json.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(padded.data(), json.data(), json.size());
  simdjson::dom::object object;
  if (parser.parse(padded.data(), json.size(), false).get(object) != simdjson::SUCCESS)
    return NotAnEntry();
  EntryHead head;
  // The first of duplicated keys counts, as in ParseCanonicalJson's lookups.
  bool time_seen = false, account_seen = false, client_seen = false, type_seen = false;
  auto text = [&head](simdjson::dom::element value, bool& seen, std::string_view& out) {
    if (seen) return;
    seen = true;
    if (value.get_string().get(out) != simdjson::SUCCESS) head.odd = true;
  };
  for (simdjson::dom::key_value_pair field : object) {
    if (field.key == "time" && !time_seen) {
      time_seen = true;
      if (field.value.get_int64().get(head.time_ms) != simdjson::SUCCESS) head.time_ms = 0;
    } else if (field.key == "account") {
      text(field.value, account_seen, head.account_id);
    } else if (field.key == "client") {
      text(field.value, client_seen, head.client_address);
    } else if (field.key == "type") {
      text(field.value, type_seen, head.resource_type);
    }
  }
  return head;
}

}  // namespace medvault::audit
