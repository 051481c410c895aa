#include "audit/fhir_audit_event.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>

#include "common/clock.h"
#include "common/time_format.h"

namespace medvault::audit {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::string_view kBalp = "https://profiles.ihe.net/ITI/BALP/StructureDefinition/";
constexpr std::string_view kDicom = "http://dicom.nema.org/resources/ontology/DCM";
constexpr std::string_view kRestful = "http://hl7.org/fhir/restful-interaction";
constexpr std::string_view kEntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
constexpr std::string_view kObjectRole = "http://terminology.hl7.org/CodeSystem/object-role";
constexpr std::string_view kInteractionSystem = "urn:medvault:interaction";
constexpr std::string_view kAccountSystem = "urn:medvault:account";

struct Coding {
  std::string_view system;
  std::string_view code;
  std::string_view display;
};

// What an entry's interaction is in BALP and DICOM terms.
struct EventKind {
  Coding type;
  std::optional<Coding> subtype;  // the standard subtype, when there is one
  std::string_view action;        // C R U D E
  std::string_view profile;       // BALP profile without the "Patient" prefix, or empty
  Coding user_type;               // how the user took part
};

constexpr Coding kRest{"http://terminology.hl7.org/CodeSystem/audit-event-type", "rest",
                       "Restful Operation"};
constexpr Coding kUserAuthentication{kDicom, "110114", "User Authentication"};
constexpr Coding kSecurityAlert{kDicom, "110113", "Security Alert"};
constexpr Coding kRecipient{"http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP",
                            "information recipient"};
constexpr Coding kAgent{"http://terminology.hl7.org/CodeSystem/v3-RoleClass", "AGNT", "agent"};
constexpr Coding kHumanUser{"http://terminology.hl7.org/CodeSystem/extra-security-role-type",
                            "humanuser", "human user"};

EventKind KindOf(std::string_view interaction) {
  auto rest = [](std::string_view code, std::string_view action, std::string_view profile,
                 Coding user) {
    return EventKind{kRest, Coding{kRestful, code, code}, action, profile, user};
  };
  if (interaction == "read") return rest("read", "R", "Read", kRecipient);
  if (interaction == "vread") return rest("vread", "R", "Read", kRecipient);
  if (interaction == "history") return rest("history-instance", "R", "Read", kRecipient);
  if (interaction == "search") return rest("search-type", "E", "Query", kRecipient);
  if (interaction == "create") return rest("create", "C", "Create", kAgent);
  if (interaction == "update") return rest("update", "U", "Update", kAgent);
  if (interaction == "delete") return rest("delete", "D", "Delete", kAgent);
  if (interaction == "login" || interaction == "mfa" || interaction == "step-up")
    return {kUserAuthentication, Coding{kDicom, "110122", "Login"}, "E", "", kHumanUser};
  if (interaction == "logout" || interaction == "session-revoke")
    return {kUserAuthentication, Coding{kDicom, "110123", "Logout"}, "E", "", kHumanUser};
  if (interaction == "break-glass")
    return {kSecurityAlert, Coding{kDicom, "110127", "Emergency Override Started"}, "E", "",
            kHumanUser};
  if (interaction == "password-change" || interaction.starts_with("account-"))
    return {kSecurityAlert, Coding{kDicom, "110137", "User Security Attributes Changed"}, "E", "",
            kHumanUser};
  return {kRest, std::nullopt, "E", "", kHumanUser};
}

void Str(Writer& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Member(Writer& w, const char* key, std::string_view value) {
  w.Key(key);
  Str(w, value);
}

void WriteCoding(Writer& w, const Coding& c) {
  w.StartObject();
  Member(w, "system", c.system);
  Member(w, "code", c.code);
  if (!c.display.empty()) Member(w, "display", c.display);
  w.EndObject();
}

void CodeableConcept(Writer& w, const char* key, const Coding& c) {
  w.Key(key);
  w.StartObject();
  w.Key("coding");
  w.StartArray();
  WriteCoding(w, c);
  w.EndArray();
  w.EndObject();
}

void Agents(Writer& w, const AuditEvent& e, const EventKind& kind) {
  w.Key("agent");
  w.StartArray();
  // The person (or the name tried, for a failed login): the requestor.
  w.StartObject();
  CodeableConcept(w, "type", kind.user_type);
  if (!e.role.empty()) {
    w.Key("role");
    w.StartArray();
    w.StartObject();
    w.Key("coding");
    w.StartArray();
    WriteCoding(w, {"urn:medvault:role", e.role, ""});
    w.EndArray();
    w.EndObject();
    w.EndArray();
  }
  w.Key("who");
  w.StartObject();
  if (!e.account_id.empty()) {
    w.Key("identifier");
    w.StartObject();
    Member(w, "system", kAccountSystem);
    Member(w, "value", e.account_id);
    w.EndObject();
  }
  Member(w, "display", e.username.empty() ? std::string_view("(not authenticated)") : e.username);
  w.EndObject();
  w.Key("requestor");
  w.Bool(true);
  if (!e.session_id.empty()) {
    w.Key("policy");  // BALP carries the token that authorized the request here
    w.StartArray();
    Str(w, "urn:medvault:session:" + e.session_id);
    w.EndArray();
  }
  w.EndObject();
  // The client (Source Role ID) and the server (Destination Role ID), as in DICOM.
  w.StartObject();
  CodeableConcept(w, "type", {kDicom, "110153", "Source Role ID"});
  w.Key("who");
  w.StartObject();
  Member(w, "display", e.user_agent.empty() ? std::string_view("(no user agent)") : e.user_agent);
  w.EndObject();
  w.Key("requestor");
  w.Bool(false);
  if (!e.client_address.empty()) {
    w.Key("network");
    w.StartObject();
    Member(w, "address", e.client_address);
    Member(w, "type", "2");  // IP address
    w.EndObject();
  }
  w.EndObject();
  w.StartObject();
  CodeableConcept(w, "type", {kDicom, "110152", "Destination Role ID"});
  w.Key("who");
  w.StartObject();
  Member(w, "display", "medvault");
  w.EndObject();
  w.Key("requestor");
  w.Bool(false);
  w.EndObject();
  w.EndArray();
}

void Entity(Writer& w, const Coding& type, const Coding& role, std::string_view reference,
            std::string_view identifier) {
  w.StartObject();
  w.Key("what");
  w.StartObject();
  if (!reference.empty()) Member(w, "reference", reference);
  if (!identifier.empty()) {
    w.Key("identifier");
    w.StartObject();
    Member(w, "value", identifier);
    w.EndObject();
  }
  w.EndObject();
  w.Key("type");
  WriteCoding(w, type);
  if (!role.system.empty()) {
    w.Key("role");
    WriteCoding(w, role);
  }
  w.EndObject();
}

std::string Render(std::string_view id, const AuditEvent& e, const std::string* patient) {
  const EventKind kind = KindOf(e.interaction);
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  Member(w, "resourceType", "AuditEvent");
  Member(w, "id", id);
  if (!kind.profile.empty()) {
    w.Key("meta");
    w.StartObject();
    w.Key("profile");
    w.StartArray();
    Str(w, std::string(kBalp) + "IHE.BasicAudit." + (patient ? "Patient" : "") +
               std::string(kind.profile));
    w.EndArray();
    w.EndObject();
  }
  w.Key("type");
  WriteCoding(w, kind.type);
  w.Key("subtype");
  w.StartArray();
  if (kind.subtype) WriteCoding(w, *kind.subtype);
  WriteCoding(w, {kInteractionSystem, e.interaction, ""});
  w.EndArray();
  Member(w, "action", kind.action);
  Member(w, "recorded", FormatInstant(FromUnixMillis(e.time_ms)));
  Member(w, "outcome", FhirOutcomeCode(e.outcome));
  std::string desc = e.outcome + " (HTTP " + std::to_string(e.status) + ")";
  if (!e.detail.empty()) desc += ": " + e.detail;
  Member(w, "outcomeDesc", desc);
  Agents(w, e, kind);
  w.Key("source");
  w.StartObject();
  Member(w, "site", "medvault");
  w.Key("observer");
  w.StartObject();
  // Several nodes on one database: which of them recorded the entry.
  Member(w, "display", e.node.empty() ? std::string("medvault") : "medvault node " + e.node);
  w.EndObject();
  w.Key("type");
  w.StartArray();
  WriteCoding(
      w, {"http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"});
  w.EndArray();
  w.EndObject();
  w.Key("entity");
  w.StartArray();
  Entity(w,
         {"https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType", "XrequestId",
          "X-Request-Id"},
         {}, "", e.request_id);
  if (patient)
    Entity(w, {kEntityType, "1", "Person"}, {kObjectRole, "1", "Patient"}, "Patient/" + *patient,
           "");
  if (!e.resource_type.empty() && !e.resource_id.empty() &&
      !(patient && e.resource_type == "Patient" && e.resource_id == *patient))
    Entity(w, {kEntityType, "2", "System Object"}, {kObjectRole, "4", "Domain Resource"},
           e.resource_type + "/" + e.resource_id, "");
  else if (e.interaction == "search" && !e.resource_type.empty())
    Entity(w, {kEntityType, "2", "System Object"}, {kObjectRole, "24", "Query"}, e.resource_type,
           "");
  w.EndArray();
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string IdOf(int64_t seq, const AuditEvent& e, size_t patient_index) {
  if (e.patients.size() <= 1) return std::to_string(seq);
  return std::to_string(seq) + "." + std::to_string(patient_index);
}

std::optional<int64_t> ParsePositive(std::string_view text) {
  if (text.empty() || text.size() > 18 || text.front() < '1' || text.front() > '9')
    return std::nullopt;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

std::string_view FhirOutcomeCode(std::string_view outcome) {
  if (outcome == "success") return "0";
  if (outcome == "invalid") return "4";
  if (outcome == "denied" || outcome == "unauthenticated") return "8";
  return "12";
}

std::optional<FhirAuditEventId> ParseFhirAuditEventId(std::string_view id) {
  size_t dot = id.find('.');
  auto seq = ParsePositive(id.substr(0, dot));
  if (!seq) return std::nullopt;
  if (dot == std::string_view::npos) return FhirAuditEventId{*seq, 0};
  auto index = ParsePositive(id.substr(dot + 1));
  if (!index) return std::nullopt;
  return FhirAuditEventId{*seq, static_cast<size_t>(*index)};
}

std::vector<FhirAuditEvent> ToFhirAuditEvents(int64_t seq, const AuditEvent& event,
                                              std::optional<std::string_view> patient) {
  std::vector<FhirAuditEvent> out;
  if (event.patients.empty()) {
    if (!patient) out.push_back({IdOf(seq, event, 0), Render(IdOf(seq, event, 0), event, nullptr)});
    return out;
  }
  for (size_t i = 0; i < event.patients.size(); ++i) {
    if (patient && event.patients[i] != *patient) continue;
    std::string id = IdOf(seq, event, i + 1);
    out.push_back({id, Render(id, event, &event.patients[i])});
  }
  return out;
}

std::optional<FhirAuditEvent> ToFhirAuditEvent(const FhirAuditEventId& id,
                                               const AuditEvent& event) {
  if (id.patient_index == 0) {
    if (event.patients.size() > 1) return std::nullopt;
    std::string text = std::to_string(id.seq);
    return FhirAuditEvent{
        text, Render(text, event, event.patients.empty() ? nullptr : &event.patients[0])};
  }
  if (event.patients.size() < 2 || id.patient_index > event.patients.size()) return std::nullopt;
  std::string text = IdOf(id.seq, event, id.patient_index);
  return FhirAuditEvent{text, Render(text, event, &event.patients[id.patient_index - 1])};
}

}  // namespace medvault::audit
