// Bundles and OperationOutcomes. Resource bodies are trusted (they come from
// ValidateResource or the store) and copied raw; other strings are escaped.
#include "fhir/bundle.h"

#include <string_view>
#include <utility>

#include "common/random.h"
#include "common/time_format.h"
#include "fhir/json_output.h"

namespace medvault::fhir {
namespace {

// Copies a serialized resource; writes nothing for an empty body (a deletion in a
// history has none), which would otherwise make the whole document invalid.
void RawResource(JsonOutput& w, std::string_view json) {
  if (json.empty()) return;
  JsonKey(w, "resource");
  w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
}

// resourceType, id, meta, type, total and link: what both Bundle kinds begin with.
void BundleHeader(JsonOutput& w, std::string_view type, std::optional<int64_t> total,
                  const BundleLinks& links, Time now) {
  JsonMember(w, "resourceType", "Bundle");
  JsonMember(w, "id", NewUuid());
  JsonKey(w, "meta");
  w.StartObject();
  JsonMember(w, "lastUpdated", FormatInstant(now));
  w.EndObject();
  JsonMember(w, "type", type);
  if (total) {
    JsonKey(w, "total");
    w.Int64(*total);
  }
  // FHIR JSON forbids empty arrays: "link" appears only with at least one link.
  const std::pair<std::string_view, const std::string*> relations[] = {
      {"self", &links.self}, {"next", &links.next}, {"previous", &links.previous}};
  bool any = false;
  for (const auto& [relation, url] : relations) {
    if (url->empty()) continue;
    if (!any) {
      JsonKey(w, "link");
      w.StartArray();
      any = true;
    }
    w.StartObject();
    JsonMember(w, "relation", relation);
    JsonMember(w, "url", *url);
    w.EndObject();
  }
  if (any) w.EndArray();
}

// A Bundle of `type`: the header, then one "entry" object per element of `entries`
// whose members `write_entry` writes.
template <typename Entry, typename WriteEntry>
std::string WriteBundle(std::string_view type, std::optional<int64_t> total,
                        const std::vector<Entry>& entries, const BundleLinks& links, Time now,
                        WriteEntry write_entry) {
  rapidjson::StringBuffer buffer;
  JsonOutput w(buffer);
  w.StartObject();
  BundleHeader(w, type, total, links, now);
  if (!entries.empty()) {  // no empty arrays in FHIR JSON
    JsonKey(w, "entry");
    w.StartArray();
    for (const Entry& entry : entries) {
      w.StartObject();
      write_entry(w, entry);
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return JsonText(buffer);
}

std::string_view IssueCode(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid: return "invalid";
    case ErrorCode::kUnauthenticated: return "login";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not-found";
    case ErrorCode::kMethodNotAllowed: return "not-supported";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kGone: return "deleted";
    case ErrorCode::kPreconditionFailed: return "conflict";
    case ErrorCode::kPayloadTooLarge: return "too-long";
    case ErrorCode::kUnsupportedMediaType: return "not-supported";
    case ErrorCode::kUnprocessable: return "processing";
    case ErrorCode::kTooManyRequests: return "throttled";
    case ErrorCode::kUnavailable: return "transient";
    case ErrorCode::kInternal: return "exception";
  }
  return "exception";
}

std::string Outcome(std::string_view severity, std::string_view code, std::string_view message,
                    std::string_view expression) {
  rapidjson::StringBuffer buffer;
  JsonOutput w(buffer);
  w.StartObject();
  JsonMember(w, "resourceType", "OperationOutcome");
  JsonKey(w, "issue");
  w.StartArray();
  w.StartObject();
  JsonMember(w, "severity", severity);
  JsonMember(w, "code", code);
  if (!message.empty()) JsonMember(w, "diagnostics", message);
  if (!expression.empty()) {
    JsonKey(w, "expression");
    w.StartArray();
    JsonString(w, expression);
    w.EndArray();
  }
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return JsonText(buffer);
}

}  // namespace

std::string SearchsetBundle(std::optional<int64_t> total, const std::vector<SearchEntry>& entries,
                            const BundleLinks& links, Time now) {
  return WriteBundle("searchset", total, entries, links, now,
                     [](JsonOutput& w, const SearchEntry& entry) {
                       // An outcome entry is not a resource on the server: no fullUrl.
                       if (!entry.full_url.empty()) JsonMember(w, "fullUrl", entry.full_url);
                       RawResource(w, entry.resource_json);
                       JsonKey(w, "search");
                       w.StartObject();
                       JsonMember(w, "mode", entry.mode);
                       w.EndObject();
                     });
}

std::string HistoryBundle(int64_t total, const std::vector<HistoryEntry>& entries,
                          const BundleLinks& links, Time now) {
  return WriteBundle("history", total, entries, links, now,
                     [](JsonOutput& w, const HistoryEntry& entry) {
                       JsonMember(w, "fullUrl", entry.full_url);
                       RawResource(w, entry.resource_json);
                       JsonKey(w, "request");
                       w.StartObject();
                       JsonMember(w, "method", entry.method);
                       JsonMember(w, "url", entry.url);
                       w.EndObject();
                       JsonKey(w, "response");
                       w.StartObject();
                       JsonMember(w, "status", entry.status);
                       JsonMember(w, "etag", "W/\"" + std::to_string(entry.version_id) + "\"");
                       JsonMember(w, "lastModified", entry.last_updated);
                       w.EndObject();
                     });
}

std::string OperationOutcomeJson(const Error& error) {
  return Outcome("error", IssueCode(error.code), error.message, error.expression);
}

std::string InformationOutcomeJson(std::string_view message) {
  return Outcome("information", "informational", message, {});
}

}  // namespace medvault::fhir
