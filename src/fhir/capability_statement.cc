// The CapabilityStatement is generated from the resource type list and the search
// parameter table, so what it advertises is what ParseSearch accepts.
#include "fhir/capability_statement.h"

#include <string>
#include <string_view>

#include "common/time_format.h"
#include "fhir/json_output.h"
#include "fhir/resource_type.h"
#include "fhir/search.h"

namespace medvault::fhir {
namespace {

// The same interactions for every type: the router serves all of them uniformly.
constexpr std::string_view kInteractions[] = {
    "read", "vread", "update", "delete", "history-instance", "create", "search-type",
};

std::string_view SearchParamType(ParamKind kind) {
  switch (kind) {
    case ParamKind::kString: return "string";
    case ParamKind::kToken:
    case ParamKind::kId: return "token";  // R4 defines _id as a token parameter
    case ParamKind::kDate:
    case ParamKind::kLastUpdated: return "date";
    case ParamKind::kReference: return "reference";
  }
  return "special";
}

// What rest.documentation tells clients about the parameters that have no
// SearchParameter definition of their own, and about medvault's strictness.
std::string RestDocumentation() {
  const SearchLimits limits;
  return "Search is strict: an unknown parameter, an unsupported modifier or prefix, or a "
         "malformed value is rejected with 400 and an OperationOutcome, never ignored. "
         "Result parameters: _count (1 to " +
         std::to_string(limits.max_count) + ", default " + std::to_string(limits.default_count) +
         "); _offset (a non-negative integer: the number of matches to skip, used by the "
         "next and previous links); _sort (one key: _lastUpdated or one of the type's date "
         "parameters, '-' for descending); _format=json. Strings match word prefixes after "
         "case and accent folding, or exactly with :exact. Tokens accept code, system|code, "
         "|code and system|. Dates accept the prefixes eq ne gt lt ge le sa eb. References "
         "accept Type/id or a bare id. Commas separate alternatives (OR); a repeated parameter "
         "adds a condition (AND).";
}

void WriteSearchParam(JsonOutput& w, const SearchParamDef& param) {
  w.StartObject();
  JsonMember(w, "name", param.name);
  JsonMember(w, "definition", param.definition);
  JsonMember(w, "type", SearchParamType(param.kind));
  JsonMember(w, "documentation", param.description);
  w.EndObject();
}

void WriteResource(JsonOutput& w, ResourceType type) {
  w.StartObject();
  JsonMember(w, "type", NameOf(type));
  JsonKey(w, "interaction");
  w.StartArray();
  for (std::string_view code : kInteractions) {
    w.StartObject();
    JsonMember(w, "code", code);
    w.EndObject();
  }
  w.EndArray();
  JsonMember(w, "versioning", "versioned-update");
  JsonBoolMember(w, "readHistory", true);
  JsonBoolMember(w, "updateCreate", false);  // ids are minted by the server, never by PUT
  JsonBoolMember(w, "conditionalCreate", false);
  JsonMember(w, "conditionalRead", "not-supported");
  JsonBoolMember(w, "conditionalUpdate", false);
  JsonMember(w, "conditionalDelete", "not-supported");
  JsonKey(w, "searchParam");
  w.StartArray();
  for (const SearchParamDef& param : SearchParamsOf(type)) WriteSearchParam(w, param);
  w.EndArray();
  w.EndObject();
}

// The audit trail, read-only, for the security officer (IHE BALP AuditEvents).
void WriteAuditEventResource(JsonOutput& w) {
  w.StartObject();
  JsonMember(w, "type", "AuditEvent");
  JsonKey(w, "supportedProfile");
  w.StartArray();
  for (std::string_view profile : {"PatientRead", "PatientQuery", "PatientCreate", "PatientUpdate",
                                   "PatientDelete", "Read", "Query", "Create", "Update", "Delete"})
    JsonString(w, "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit." +
                      std::string(profile));
  w.EndArray();
  JsonMember(w, "documentation",
             "The audit trail, security officer only, newest first. One AuditEvent per patient "
             "an entry names; no query strings are kept. Paging follows the next link "
             "(_cursor); Bundle.total is omitted.");
  JsonKey(w, "interaction");
  w.StartArray();
  for (std::string_view code : {"read", "search-type"}) {
    w.StartObject();
    JsonMember(w, "code", code);
    w.EndObject();
  }
  w.EndArray();
  JsonKey(w, "searchParam");
  w.StartArray();
  struct Param {
    std::string_view name, type, definition, documentation;
  };
  const Param params[] = {
      {"patient", "reference", "http://hl7.org/fhir/SearchParameter/AuditEvent-patient",
       "Patient/<id> or <id>: the patient's events"},
      {"agent", "reference", "http://hl7.org/fhir/SearchParameter/AuditEvent-agent",
       "an account id: the events of that account"},
      {"agent-name", "string", "http://hl7.org/fhir/SearchParameter/AuditEvent-agent-name",
       "a username, exactly: the events of that account"},
      {"date", "date", "http://hl7.org/fhir/SearchParameter/AuditEvent-date",
       "when recorded; prefixes eq gt lt ge le sa eb; repeat to bound"},
      {"outcome", "token", "http://hl7.org/fhir/SearchParameter/AuditEvent-outcome",
       "0 success, 4 invalid request, 8 refused, 12 server failure; commas for OR"},
  };
  for (const Param& p : params) {
    w.StartObject();
    JsonMember(w, "name", p.name);
    JsonMember(w, "definition", p.definition);
    JsonMember(w, "type", p.type);
    JsonMember(w, "documentation", p.documentation);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

std::string CapabilityStatementJson(const ServerDescription& server, Time now) {
  rapidjson::StringBuffer buffer;
  JsonOutput w(buffer);
  w.StartObject();
  JsonMember(w, "resourceType", "CapabilityStatement");
  JsonMember(w, "status", "active");
  JsonMember(w, "date", FormatInstant(now));
  JsonMember(w, "kind", "instance");
  JsonKey(w, "software");
  w.StartObject();
  JsonMember(w, "name", "medvault");
  JsonMember(w, "version", server.software_version);
  w.EndObject();
  JsonKey(w, "implementation");
  w.StartObject();
  JsonMember(w, "description", "medvault medical-records server (FHIR R4)");
  JsonMember(w, "url", server.base_url);
  w.EndObject();
  JsonMember(w, "fhirVersion", "4.0.1");
  JsonKey(w, "format");
  w.StartArray();
  JsonString(w, "json");
  w.EndArray();

  JsonKey(w, "rest");
  w.StartArray();
  w.StartObject();
  JsonMember(w, "mode", "server");
  JsonMember(w, "documentation", RestDocumentation());
  JsonKey(w, "security");
  w.StartObject();
  JsonBoolMember(w, "cors", false);
  JsonMember(w, "description",
             "Every request except GET /metadata carries Authorization: Bearer <access_token>, "
             "a session token obtained with POST /auth/login then POST /auth/mfa (TOTP). "
             "Access follows the caller's role and care relationships; every access is "
             "audited.");
  w.EndObject();
  JsonKey(w, "resource");
  w.StartArray();
  for (ResourceType type : kAllResourceTypes) WriteResource(w, type);
  WriteAuditEventResource(w);
  w.EndArray();
  w.EndObject();
  w.EndArray();

  w.EndObject();
  return JsonText(buffer);
}

}  // namespace medvault::fhir
