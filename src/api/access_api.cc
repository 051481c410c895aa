#include "api/access_api.h"

#include <rapidjson/document.h>

#include <array>

#include "api/access_helpers.h"
#include "api/alerts.h"
#include "api/json_fields.h"
#include "api/responses.h"
#include "api/route.h"
#include "common/random.h"
#include "common/time_format.h"
#include "fhir/resource.h"

namespace medvault::api {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000;
constexpr size_t kMinReason = 10, kMaxReason = 500;

// HL7 v3 PurposeOfUse codes a grant may name.
struct Purpose {
  std::string_view code;
  std::string_view meaning;
};
constexpr std::array kPurposes = {
    Purpose{"ETREAT", "emergency treatment"},
    Purpose{"TREAT", "treatment outside the usual care team (e.g. covering a colleague)"},
    Purpose{"PATRQT", "at the patient's request"},
};

bool KnownPurpose(std::string_view code) {
  for (const Purpose& p : kPurposes)
    if (p.code == code) return true;
  return false;
}

std::string PurposeList() {
  std::string list;
  for (const Purpose& p : kPurposes)
    list += (list.empty() ? "" : ", ") + std::string(p.code) + " (" + std::string(p.meaning) + ")";
  return list;
}

Error Invalid(std::string message) { return Error{ErrorCode::kInvalid, std::move(message), {}}; }

struct BreakGlassRequest {
  std::string patient;
  std::string purpose;
  std::string text;
};

// "Patient/id" or "id".
Result<std::string> PatientId(std::string_view value) {
  if (value.starts_with("Patient/")) value.remove_prefix(8);
  if (!IsFhirId(value)) return Fail(ErrorCode::kInvalid, "patient must be Patient/<id> or <id>");
  return std::string(value);
}

Result<std::string> ReasonText(std::string_view text) {
  size_t first = text.find_first_not_of(" \t\r\n");
  size_t last = text.find_last_not_of(" \t\r\n");
  std::string_view trimmed =
      first == std::string_view::npos ? std::string_view() : text.substr(first, last - first + 1);
  if (trimmed.size() < kMinReason || trimmed.size() > kMaxReason)
    return Fail(ErrorCode::kInvalid, "the reason must say why, in " + std::to_string(kMinReason) +
                                         " to " + std::to_string(kMaxReason) + " characters");
  return std::string(trimmed);
}

Result<BreakGlassRequest> ParseBreakGlass(std::string_view body) {
  const std::string expected =
      R"(send {"patient":"<id>","reason":{"code":"ETREAT|TREAT|PATRQT","text":"why"}})";
  if (body.size() > 4096) return Fail(ErrorCode::kPayloadTooLarge, "the request body is too large");
  rapidjson::Document doc;
  // Iterative: a deeply nested body cannot exhaust the stack.
  doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(body.data(),
                                                                                    body.size());
  if (doc.HasParseError() || !doc.IsObject()) return Fail(ErrorCode::kInvalid, expected);
  for (auto& m : doc.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if (name != "patient" && name != "reason") return Fail(ErrorCode::kInvalid, expected);
  }
  if (!doc.HasMember("patient") || !doc["patient"].IsString() || !doc.HasMember("reason") ||
      !doc["reason"].IsObject())
    return Fail(ErrorCode::kInvalid, expected);
  const auto& reason = doc["reason"];
  for (auto& m : reason.GetObject()) {
    std::string_view name(m.name.GetString(), m.name.GetStringLength());
    if ((name != "code" && name != "text") || !m.value.IsString())
      return Fail(ErrorCode::kInvalid, expected);
  }
  if (!reason.HasMember("code") || !reason.HasMember("text"))
    return Fail(ErrorCode::kInvalid, expected);
  BreakGlassRequest r;
  ASSIGN_OR_RETURN(r.patient,
                   PatientId({doc["patient"].GetString(), doc["patient"].GetStringLength()}));
  r.purpose.assign(reason["code"].GetString(), reason["code"].GetStringLength());
  if (!KnownPurpose(r.purpose))
    return Fail(ErrorCode::kInvalid, "reason.code must be one of " + PurposeList());
  ASSIGN_OR_RETURN(r.text,
                   ReasonText({reason["text"].GetString(), reason["text"].GetStringLength()}));
  return r;
}

void WriteGrant(JsonWriter& w, const store::GrantRow& g, std::string_view reason) {
  w.StartObject();
  w.Key("id");
  Str(w, g.id);
  w.Key("patient");
  Str(w, g.patient_id);
  w.Key("purpose");
  Str(w, g.purpose);
  w.Key("reason");
  Str(w, reason);
  w.Key("created_at");
  Str(w, FormatInstant(FromUnixMillis(g.created_at_ms)));
  w.Key("expires_at");
  Str(w, FormatInstant(FromUnixMillis(g.expires_at_ms)));
  w.EndObject();
}

std::string GrantPurpose(std::string_view grant_id) {
  return "grant-reason:" + std::string(grant_id);
}

// The patient's compartment, when the patient exists and is not deleted.
Result<store::CompartmentRow> ExistingPatient(store::Reader& reader, std::string_view id) {
  ASSIGN_OR_RETURN(auto patient, reader.Current("Patient", id));
  ASSIGN_OR_RETURN(auto compartment, reader.Compartment(id));
  if (!patient || patient->deleted || !compartment)
    return Fail(ErrorCode::kNotFound, "no such patient");
  return std::move(*compartment);
}

}  // namespace

Result<int64_t> BreakGlassLeft(Services& services, const identity::Principal& principal) {
  if (!access::Policy::MayBreakGlass(principal.role())) return 0;
  int64_t now = ToUnixMillis(services.clock.Now());
  ASSIGN_OR_RETURN(auto recent,
                   services.store.reader().GrantsSince(principal.account_id(), now - kDayMs + 1));
  return std::max<int64_t>(
      0, services.options.break_glass_per_day - static_cast<int64_t>(recent.size()));
}

Outcome AccessApi::BreakGlass(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "break-glass";
  facts.resource_type = "Patient";
  const identity::Principal& who = *ctx.principal;
  if (!access::Policy::MayBreakGlass(who.role()))
    return JsonErrorOutcome(
        {ErrorCode::kForbidden, "only physicians and nurses may break the glass", {}}, facts);
  if (!IsJsonContentType(ctx.request->HeaderValue("Content-Type")))
    return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send application/json", {}}, facts);
  auto request = ParseBreakGlass(ctx.request->body);
  if (!request) return JsonErrorOutcome(request.error(), facts);
  facts.resource_id = request->patient;
  facts.patients.push_back(request->patient);
  facts.detail = "purpose " + request->purpose;

  store::Reader& reader = s_.store.reader();
  auto compartment = ExistingPatient(reader, request->patient);
  if (!compartment) return JsonErrorOutcome(compartment.error(), facts);
  int64_t now = ToUnixMillis(s_.clock.Now());
  auto standing = reader.Standing(who.practitioner_id(), who.account_id(), request->patient, now);
  if (!standing) return JsonErrorOutcome(standing.error(), facts);
  if (standing->care_team)
    return JsonErrorOutcome({ErrorCode::kConflict, "this patient is already in your care", {}},
                            facts);
  if (standing->break_glass)
    return JsonErrorOutcome(
        {ErrorCode::kConflict, "you already hold an unexpired grant for this patient", {}}, facts);

  // The daily limit, checked here for a clean answer and again in the writer, where
  // concurrent requests are serialized.
  const int64_t limit = s_.options.break_glass_per_day;
  auto recent = reader.GrantsSince(who.account_id(), now - kDayMs + 1);
  if (!recent) return JsonErrorOutcome(recent.error(), facts);
  if (static_cast<int64_t>(recent->size()) >= limit) {
    int64_t oldest = recent->empty() ? now : recent->back().created_at_ms;
    Outcome out = JsonErrorOutcome(
        {ErrorCode::kTooManyRequests,
         "you have used your " + std::to_string(limit) +
             " break-the-glass grants of the last 24 hours; call the security officer",
         {}},
        facts);
    out.response.headers.push_back(
        {"Retry-After", std::to_string(std::max<int64_t>(1, (oldest + kDayMs - now) / 1000))});
    return out;
  }

  store::GrantRow grant;
  grant.id = NewUuid();
  grant.account_id = who.account_id();
  grant.patient_id = request->patient;
  grant.purpose = request->purpose;
  grant.reason = s_.keyring.SealAccountSecret(who.account_id(), GrantPurpose(grant.id),
                                              crypto::AsBytes(request->text));
  grant.created_at_ms = now;
  grant.expires_at_ms =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(s_.options.break_glass_duration)
                .count();
  bool restricted = access::IsRestricted(compartment->confidentiality);
  store::AlertRow alert = NewAlert(s_.keyring, who.account_id(), restricted ? "high" : "medium",
                                   "break-glass", request->patient,
                                   std::string(identity::NameOf(who.role())) + " broke the glass" +
                                       (restricted ? " on a restricted patient" : "") +
                                       ", purpose " + request->purpose + ": " + request->text,
                                   now);

  std::string body = WriteJson([&](JsonWriter& w) { WriteGrant(w, grant, request->text); });
  Outcome out{JsonBody(201, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.alerts.push_back(std::move(alert));
  out.write = [grant = std::move(grant), limit](store::Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(int64_t taken,
                     txn.CountGrantsSince(grant.account_id, grant.created_at_ms - kDayMs + 1));
    if (taken >= limit)
      return Fail(ErrorCode::kTooManyRequests,
                  "the break-the-glass limit of the last 24 hours is reached");
    return txn.InsertGrant(grant);
  };
  return out;
}

Outcome AccessApi::Grants(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "grant-list";
  const identity::Principal& who = *ctx.principal;
  int64_t now = ToUnixMillis(s_.clock.Now());
  // Grants last at most a day (the setting's maximum), so the last day holds every
  // unexpired one.
  auto recent = s_.store.reader().GrantsSince(who.account_id(), now - kDayMs + 1);
  if (!recent) return JsonErrorOutcome(recent.error(), facts);
  std::vector<std::pair<const store::GrantRow*, std::string>> active;
  for (const store::GrantRow& g : *recent) {
    if (g.expires_at_ms <= now) continue;
    auto reason = s_.keyring.OpenAccountSecret(who.account_id(), GrantPurpose(g.id), g.reason);
    if (!reason) return JsonErrorOutcome(reason.error(), facts);
    active.emplace_back(&g, std::string(crypto::AsText(*reason)));
    facts.patients.push_back(g.patient_id);
  }
  auto remaining = BreakGlassLeft(s_, who);
  if (!remaining) return JsonErrorOutcome(remaining.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("grants");
    w.StartArray();
    for (const auto& [g, reason] : active) WriteGrant(w, *g, reason);
    w.EndArray();
    w.Key("remaining_today");
    w.Int64(*remaining);
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AccessApi::StartCare(const RequestContext& ctx) {
  AuditFacts facts;
  facts.interaction = "start-care";
  facts.resource_type = "CareTeam";
  const identity::Principal& who = *ctx.principal;
  if (!access::Policy::MayStartCare(who.role()))
    return JsonErrorOutcome({ErrorCode::kForbidden, "only physicians start care relationships", {}},
                            facts);
  if (!IsJsonContentType(ctx.request->HeaderValue("Content-Type")))
    return JsonErrorOutcome({ErrorCode::kUnsupportedMediaType, "send application/json", {}}, facts);
  auto fields = ParseStringFields(ctx.request->body, {"patient", "reason"});
  if (!fields) return JsonErrorOutcome(fields.error(), facts);
  if (!fields->contains("patient") || !fields->contains("reason"))
    return JsonErrorOutcome(Invalid(R"(send {"patient":"<id>","reason":"why"})"), facts);
  auto patient = PatientId((*fields)["patient"]);
  if (!patient) return JsonErrorOutcome(patient.error(), facts);
  auto reason = ReasonText((*fields)["reason"]);
  if (!reason) return JsonErrorOutcome(reason.error(), facts);
  facts.patients.push_back(*patient);

  store::Reader& reader = s_.store.reader();
  auto compartment = ExistingPatient(reader, *patient);
  if (!compartment) return JsonErrorOutcome(compartment.error(), facts);
  int64_t now = ToUnixMillis(s_.clock.Now());
  auto standing = reader.Standing(who.practitioner_id(), who.account_id(), *patient, now);
  if (!standing) return JsonErrorOutcome(standing.error(), facts);
  if (standing->care_team)
    return JsonErrorOutcome({ErrorCode::kConflict, "this patient is already in your care", {}},
                            facts);
  access::AccessTarget target = TargetOf(fhir::ResourceType::kCareTeam, *compartment);
  auto decision = s_.policy.StartCare(who, target);
  if (!decision.allowed()) return JsonErrorOutcome(Denied(decision), facts);

  std::string team_id = NewUuid();
  facts.resource_id = team_id;
  auto team = fhir::ValidateResource(
      CareTeamJson(*patient, who, "Care relationship", *reason, s_.clock.Now()),
      fhir::ResourceType::kCareTeam);
  if (!team) return JsonErrorOutcome(team.error(), facts);
  store::ResourceRow row{"CareTeam", team_id, 1, *patient, now, false, {}};
  auto sealed = s_.vault.Seal(
      decision, *compartment, row,
      fhir::StampResource(team->canonical_json, team_id, 1, FormatInstant(FromUnixMillis(now))));
  if (!sealed) return JsonErrorOutcome(sealed.error(), facts);
  row.body = std::move(*sealed);
  auto links = CareLinksOf(team->facts, team_id, *patient);
  std::vector<store::AlertRow> alerts;
  if (compartment->organization_id != who.organization_id())
    alerts.push_back(NewAlert(s_.keyring, who.account_id(), "low",
                              "care-started-outside-organization", *patient,
                              "care relationship started with a patient of another "
                              "organization: " +
                                  *reason,
                              now));

  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("careteam");
    Str(w, team_id);
    w.Key("patient");
    Str(w, *patient);
    w.EndObject();
  });
  Outcome out{JsonBody(201, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.alerts = std::move(alerts);
  out.write = [row = std::move(row), links = std::move(links)](store::Transaction& txn) -> Status {
    TRY(txn.PutResourceVersion(row));
    return txn.ReplaceCareLinks(row.id, links);
  };
  return out;
}

}  // namespace medvault::api
