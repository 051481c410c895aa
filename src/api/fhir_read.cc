// read, vread and history.
#include <charconv>

#include "api/access_helpers.h"
#include "api/alerts.h"
#include "api/fhir_api.h"
#include "api/responses.h"
#include "common/time_format.h"
#include "fhir/bundle.h"

namespace medvault::api {
namespace {

Error NotFound(fhir::ResourceType type) {
  return Error{ErrorCode::kNotFound, std::string(fhir::NameOf(type)) + " not found", {}};
}

Error Gone(fhir::ResourceType type) {
  return Error{ErrorCode::kGone,
               std::string("this ") + std::string(fhir::NameOf(type)) + " was deleted",
               {}};
}

// Not found, or an erased patient (crypto-erasure): 410, saying so, rather than a bare
// 404. Nothing of the patient is left to serve to anyone.
Outcome NotFoundOrErased(Services& s, fhir::ResourceType type, std::string_view id,
                         AuditFacts facts) {
  if (type == fhir::ResourceType::kPatient) {
    auto erased_at = s.store.reader().ErasedAt(id);
    if (!erased_at) return FhirErrorOutcome(erased_at.error(), std::move(facts));
    if (*erased_at) {
      facts.detail = "erased patient";
      return FhirErrorOutcome(
          {ErrorCode::kGone,
           "this patient's records were erased on " + FormatInstant(FromUnixMillis(**erased_at)) +
               " (crypto-erasure); nothing of them can be read",
           {}},
          std::move(facts));
    }
  }
  return FhirErrorOutcome(NotFound(type), std::move(facts));
}

std::optional<int64_t> ParseVersion(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 1) return std::nullopt;
  return v;
}

// What the detector weighs beyond the count: a patient reached through a grant rather
// than care, or labelled restricted.
void NoteGrounds(const access::AccessDecision& decision, AuditFacts& facts) {
  if (!decision.allowed() || facts.patients.empty()) return;
  if (decision.basis() == access::Basis::kBreakGlass)
    facts.patients_outside_care.push_back(facts.patients.front());
  if (access::IsRestricted(decision.target().confidentiality))
    facts.restricted_patients.push_back(facts.patients.front());
}

// Serves one stored version (current or historical) of a resource, if the Policy
// allows the caller to read it. Deletion is revealed only to allowed callers.
Outcome Serve(Services& s, const RequestContext& ctx, fhir::ResourceType type,
              const store::ResourceRow& row, const store::CompartmentRow& compartment,
              AuditFacts facts) {
  if (std::string patient = PatientOf(compartment); !patient.empty())
    facts.patients.push_back(patient);
  auto decision =
      s.policy.Decide(*ctx.principal, access::Action::kRead, TargetOf(type, compartment));
  std::vector<store::AlertRow> alerts;
  AddConfidentialityAlert(s.keyring, ctx, decision, facts.interaction, alerts);
  NoteGrounds(decision, facts);
  auto answer = [&]() -> Outcome {
    if (!decision.allowed()) return FhirErrorOutcome(Denied(decision), facts);
    if (row.deleted) return FhirErrorOutcome(Gone(type), facts);
    auto json = s.vault.Open(decision, compartment, row);
    if (!json) return FhirErrorOutcome(json.error(), facts);
    return Outcome{FhirResource(200, std::move(*json), row.version, row.last_updated_ms),
                   std::move(facts),
                   nullptr,
                   nullptr,
                   {}};
  };
  Outcome out = answer();
  out.alerts = std::move(alerts);
  return out;
}

}  // namespace

Outcome FhirApi::Read(const RequestContext& ctx, fhir::ResourceType type, std::string_view id) {
  AuditFacts facts = FactsFor("read", type, id);
  // The hot path: the row and its compartment's key in one query.
  auto found = s_.store.reader().CurrentWithCompartment(fhir::NameOf(type), id);
  if (!found) return FhirErrorOutcome(found.error(), facts);
  if (!*found) return NotFoundOrErased(s_, type, id, std::move(facts));
  return Serve(s_, ctx, type, (*found)->row, (*found)->compartment, std::move(facts));
}

Outcome FhirApi::VRead(const RequestContext& ctx, fhir::ResourceType type, std::string_view id,
                       std::string_view version_text) {
  AuditFacts facts = FactsFor("vread", type, id);
  auto version = ParseVersion(version_text);
  if (!version) return FhirErrorOutcome({ErrorCode::kNotFound, "no such version", {}}, facts);
  store::Reader& reader = s_.store.reader();
  auto row = reader.Version(fhir::NameOf(type), id, *version);
  if (!row) return FhirErrorOutcome(row.error(), facts);
  if (!*row) return NotFoundOrErased(s_, type, id, std::move(facts));
  auto compartment = LoadCompartment(reader, (*row)->compartment);
  if (!compartment) return FhirErrorOutcome(compartment.error(), facts);
  return Serve(s_, ctx, type, **row, *compartment, std::move(facts));
}

Outcome FhirApi::History(const RequestContext& ctx, fhir::ResourceType type, std::string_view id) {
  AuditFacts facts = FactsFor("history", type, id);
  if (!ctx.request->query.empty())
    return FhirErrorOutcome(
        {ErrorCode::kInvalid, "the history interaction takes no parameters here", {}}, facts);
  store::Reader& reader = s_.store.reader();
  auto rows = reader.History(fhir::NameOf(type), id);
  if (!rows) return FhirErrorOutcome(rows.error(), facts);
  if (rows->empty()) return NotFoundOrErased(s_, type, id, std::move(facts));
  auto compartment = LoadCompartment(reader, rows->front().compartment);
  if (!compartment) return FhirErrorOutcome(compartment.error(), facts);
  if (std::string patient = PatientOf(*compartment); !patient.empty())
    facts.patients.push_back(patient);
  auto decision =
      s_.policy.Decide(*ctx.principal, access::Action::kRead, TargetOf(type, *compartment));
  std::vector<store::AlertRow> alerts;
  AddConfidentialityAlert(s_.keyring, ctx, decision, facts.interaction, alerts);
  NoteGrounds(decision, facts);
  if (!decision.allowed()) {
    Outcome denied = FhirErrorOutcome(Denied(decision), facts);
    denied.alerts = std::move(alerts);
    return denied;
  }

  std::string type_name(fhir::NameOf(type));
  std::string url = type_name + "/" + std::string(id);
  std::vector<fhir::HistoryEntry> entries;
  for (const store::ResourceRow& row : *rows) {
    fhir::HistoryEntry e;
    e.full_url = ctx.base_url + "/fhir/" + url;
    e.version_id = row.version;
    e.last_updated = FormatInstant(FromUnixMillis(row.last_updated_ms));
    e.url = url;
    if (row.deleted) {
      e.method = "DELETE";
      e.status = "204 No Content";
    } else {
      auto json = s_.vault.Open(decision, *compartment, row);
      if (!json) return FhirErrorOutcome(json.error(), facts);
      e.resource_json = std::move(*json);
      e.method = row.version == 1 ? "POST" : "PUT";
      e.url = row.version == 1 ? type_name : url;
      e.status = row.version == 1 ? "201 Created" : "200 OK";
    }
    entries.push_back(std::move(e));
  }
  fhir::BundleLinks links;
  links.self = ctx.base_url + "/fhir/" + url + "/_history";
  std::string body =
      fhir::HistoryBundle(static_cast<int64_t>(entries.size()), entries, links, s_.clock.Now());
  Outcome out{FhirBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.alerts = std::move(alerts);
  return out;
}

}  // namespace medvault::api
