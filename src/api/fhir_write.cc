// create, update and delete. Versions and compartments are decided here, sealed
// through the RecordVault, and written by a job that re-checks, inside the writer's
// transaction, that nothing changed since (else 409).
#include <memory>

#include "api/access_helpers.h"
#include "api/alerts.h"
#include "api/fhir_api.h"
#include "api/responses.h"
#include "api/search_terms.h"
#include "common/random.h"
#include "common/time_format.h"
#include "fhir/resource.h"

namespace medvault::api {
namespace {

Status CheckContentType(const http::Request& request) {
  std::string_view ct = request.HeaderValue("Content-Type");
  if (!IsJsonContentType(ct))
    return Fail(ErrorCode::kUnsupportedMediaType, "send the resource as application/fhir+json");
  return Ok();
}

// Parses If-Match: W/"3" or "3".
Result<std::optional<int64_t>> ExpectedVersion(const http::Request& request) {
  std::string_view v = request.HeaderValue("If-Match");
  if (v.empty()) return std::optional<int64_t>();
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() < 3 || v.front() != '"' || v.back() != '"')
    return Fail(ErrorCode::kInvalid, "If-Match must be an ETag such as W/\"3\"");
  v = v.substr(1, v.size() - 2);
  int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9' || n > 1'000'000'000'000)
      return Fail(ErrorCode::kInvalid, "If-Match must be an ETag such as W/\"3\"");
    n = n * 10 + (c - '0');
  }
  return std::optional<int64_t>(n);
}

// Where a validated resource belongs: a new patient compartment, an existing patient's,
// or the directory.
struct Placement {
  store::CompartmentRow compartment;
  bool new_compartment = false;
};

Result<Placement> PlaceExisting(store::Reader& reader, const fhir::ValidatedResource& resource) {
  if (!fhir::IsPatientData(resource.type)) {
    ASSIGN_OR_RETURN(auto directory, LoadCompartment(reader, store::kDirectoryCompartment));
    return Placement{std::move(directory), false};
  }
  std::string_view element = fhir::CompartmentElementOf(resource.type);
  std::string patient_id = resource.facts.patient_reference;
  ASSIGN_OR_RETURN(auto patient, reader.Current("Patient", patient_id));
  ASSIGN_OR_RETURN(auto compartment, reader.Compartment(patient_id));
  if (!patient || patient->deleted || !compartment)
    return Fail(ErrorCode::kUnprocessable,
                std::string(fhir::NameOf(resource.type)) + "." + std::string(element) +
                    " refers to a patient that does not exist",
                std::string(fhir::NameOf(resource.type)) + "." + std::string(element));
  return Placement{std::move(*compartment), false};
}

std::string OrganizationId(const fhir::ValidatedResource& resource) {
  return IdFromReference(resource.facts.managing_organization, "Organization").value_or("");
}

Outcome Created(const RequestContext& ctx, const store::ResourceRow& row, std::string body) {
  http::Response r = FhirResource(201, std::move(body), row.version, row.last_updated_ms);
  r.headers.push_back({"Location", ctx.base_url + "/fhir/" + row.type + "/" + row.id +
                                       "/_history/" + std::to_string(row.version)});
  return Outcome{std::move(r), {}, nullptr, nullptr, {}};
}

// Whether an update sets, removes or changes a restricted label.
bool ChangesLabel(std::string_view before, std::string_view after) {
  bool was = access::IsRestricted(before), is = access::IsRestricted(after);
  return was != is || (was && before != after);
}

// A denial's outcome, with the alert the attempt raises (if any).
Outcome Refused(Services& s, const RequestContext& ctx, const access::AccessDecision& decision,
                const AuditFacts& facts) {
  Outcome out = FhirErrorOutcome(Denied(decision), facts);
  AddConfidentialityAlert(s.keyring, ctx, decision, facts.interaction, out.alerts);
  return out;
}

bool WantsMinimal(const http::Request& request) {
  return request.HeaderValue("Prefer").find("return=minimal") != std::string_view::npos;
}

}  // namespace

Outcome FhirApi::Create(const RequestContext& ctx, fhir::ResourceType type) {
  AuditFacts facts = FactsFor("create", type, "");
  if (auto ct = CheckContentType(*ctx.request); !ct) return FhirErrorOutcome(ct.error(), facts);
  auto resource = fhir::ValidateResource(ctx.request->body, type);
  if (!resource) return FhirErrorOutcome(resource.error(), facts);

  std::string id = NewUuid();
  facts.resource_id = id;
  int64_t now = ToUnixMillis(s_.clock.Now());
  store::Reader& reader = s_.store.reader();

  Placement placement;
  std::optional<access::AccessDecision> decision;
  if (type == fhir::ResourceType::kPatient) {
    // A new patient is a new compartment with its own data key.
    access::AccessTarget target{type, id, OrganizationId(*resource),
                                resource->facts.confidentiality,
                                access::IsRestricted(resource->facts.confidentiality)};
    decision = s_.policy.Decide(*ctx.principal, access::Action::kCreate, target);
    facts.patients.push_back(id);
    if (!decision->allowed()) return FhirErrorOutcome(Denied(*decision), facts);
    auto compartment = s_.vault.NewCompartment(*decision, now);
    if (!compartment) return FhirErrorOutcome(compartment.error(), facts);
    placement = Placement{std::move(*compartment), true};
  } else {
    auto placed = PlaceExisting(reader, *resource);
    if (!placed) return FhirErrorOutcome(placed.error(), facts);
    placement = std::move(*placed);
    if (std::string patient = PatientOf(placement.compartment); !patient.empty())
      facts.patients.push_back(patient);
    decision = s_.policy.Decide(*ctx.principal, access::Action::kCreate,
                                TargetOf(type, placement.compartment));
    if (!decision->allowed()) return Refused(s_, ctx, *decision, facts);
  }

  store::ResourceRow row{
      std::string(fhir::NameOf(type)), id, 1, placement.compartment.id, now, false, {}};
  std::string body =
      fhir::StampResource(resource->canonical_json, id, 1, FormatInstant(FromUnixMillis(now)));
  auto sealed = s_.vault.Seal(*decision, placement.compartment, row, body);
  if (!sealed) return FhirErrorOutcome(sealed.error(), facts);
  row.body = std::move(*sealed);
  auto hashes = IndexHashes(type, resource->search_values, s_.keyring);
  std::vector<store::CareLinkRow> links;
  if (type == fhir::ResourceType::kCareTeam)
    links = CareLinksOf(resource->facts, id, placement.compartment.id);

  // A physician who registers a patient is in their care team from the start.
  std::optional<store::ResourceRow> team;
  if (type == fhir::ResourceType::kPatient) {
    auto team_decision = s_.policy.RegistrationCareTeam(*ctx.principal, *decision);
    if (team_decision.allowed()) {
      auto team_resource = fhir::ValidateResource(
          CareTeamJson(id, *ctx.principal, "Registration", "", s_.clock.Now()),
          fhir::ResourceType::kCareTeam);
      if (!team_resource) return FhirErrorOutcome(team_resource.error(), facts);
      std::string team_id = NewUuid();
      team = store::ResourceRow{"CareTeam", team_id, 1, id, now, false, {}};
      auto team_sealed = s_.vault.Seal(team_decision, placement.compartment, *team,
                                       fhir::StampResource(team_resource->canonical_json, team_id,
                                                           1, FormatInstant(FromUnixMillis(now))));
      if (!team_sealed) return FhirErrorOutcome(team_sealed.error(), facts);
      team->body = std::move(*team_sealed);
      links = CareLinksOf(team_resource->facts, team_id, id);
      facts.detail = "registration: the registering physician joins the care team";
    }
  }

  Outcome out = Created(ctx, row, WantsMinimal(*ctx.request) ? std::string() : std::move(body));
  out.audit = std::move(facts);
  out.write = [row = std::move(row), placement = std::move(placement), hashes = std::move(hashes),
               team = std::move(team),
               links = std::move(links)](store::Transaction& txn) -> Status {
    if (placement.new_compartment) TRY(txn.InsertCompartment(placement.compartment));
    TRY(txn.PutResourceVersion(row));
    if (!hashes.empty()) TRY(txn.ReplaceIndex(row.type, row.id, hashes));
    if (team) TRY(txn.PutResourceVersion(*team));
    if (row.type == "CareTeam") TRY(txn.ReplaceCareLinks(row.id, links));
    if (team) TRY(txn.ReplaceCareLinks(team->id, links));
    return Ok();
  };
  AddConfidentialityAlert(s_.keyring, ctx, *decision, out.audit.interaction, out.alerts);
  return out;
}

Outcome FhirApi::Update(const RequestContext& ctx, fhir::ResourceType type, std::string_view id) {
  AuditFacts facts = FactsFor("update", type, id);
  if (auto ct = CheckContentType(*ctx.request); !ct) return FhirErrorOutcome(ct.error(), facts);
  auto expected = ExpectedVersion(*ctx.request);
  if (!expected) return FhirErrorOutcome(expected.error(), facts);
  auto resource = fhir::ValidateResource(ctx.request->body, type);
  if (!resource) return FhirErrorOutcome(resource.error(), facts);
  if (resource->id.empty())
    return FhirErrorOutcome({ErrorCode::kInvalid, "the resource must carry its id for an update",
                             std::string(fhir::NameOf(type)) + ".id"},
                            facts);
  if (resource->id != id)
    return FhirErrorOutcome({ErrorCode::kInvalid, "the resource id does not match the URL",
                             std::string(fhir::NameOf(type)) + ".id"},
                            facts);

  store::Reader& reader = s_.store.reader();
  auto current = reader.Current(fhir::NameOf(type), id);
  if (!current) return FhirErrorOutcome(current.error(), facts);
  if (!*current)
    return FhirErrorOutcome(
        {ErrorCode::kNotFound,
         std::string(fhir::NameOf(type)) + " not found (medvault assigns ids: create with POST)",
         {}},
        facts);
  auto compartment = LoadCompartment(reader, (*current)->compartment);
  if (!compartment) return FhirErrorOutcome(compartment.error(), facts);
  if (std::string patient = PatientOf(*compartment); !patient.empty())
    facts.patients.push_back(patient);
  access::AccessTarget target = TargetOf(type, *compartment);
  target.changes_label =
      type == fhir::ResourceType::kPatient &&
      ChangesLabel(compartment->confidentiality, resource->facts.confidentiality);
  auto decision = s_.policy.Decide(*ctx.principal, access::Action::kUpdate, target);
  if (!decision.allowed()) return Refused(s_, ctx, decision, facts);
  std::vector<store::AlertRow> alerts;
  AddConfidentialityAlert(s_.keyring, ctx, decision, facts.interaction, alerts);
  if ((*current)->deleted)
    return FhirErrorOutcome({ErrorCode::kGone, "this resource was deleted", {}}, facts);
  int64_t base_version = (*current)->version;
  if (*expected && **expected != base_version)
    return FhirErrorOutcome({ErrorCode::kPreconditionFailed,
                             "If-Match names version " + std::to_string(**expected) +
                                 " but the current version is " + std::to_string(base_version),
                             {}},
                            facts);
  if (fhir::IsPatientData(type) && type != fhir::ResourceType::kPatient) {
    // The validator gives the compartment reference's id part.
    if (resource->facts.patient_reference != compartment->id)
      return FhirErrorOutcome(
          {ErrorCode::kUnprocessable, "a resource cannot move to another patient",
           std::string(fhir::NameOf(type)) + "." + std::string(fhir::CompartmentElementOf(type))},
          facts);
  }

  int64_t now = ToUnixMillis(s_.clock.Now());
  store::ResourceRow row{std::string(fhir::NameOf(type)),
                         std::string(id),
                         base_version + 1,
                         compartment->id,
                         now,
                         false,
                         {}};
  std::string body = fhir::StampResource(resource->canonical_json, id, row.version,
                                         FormatInstant(FromUnixMillis(now)));
  auto sealed = s_.vault.Seal(decision, *compartment, row, body);
  if (!sealed) return FhirErrorOutcome(sealed.error(), facts);
  row.body = std::move(*sealed);
  auto hashes = IndexHashes(type, resource->search_values, s_.keyring);
  bool patient = type == fhir::ResourceType::kPatient;
  std::string organization = patient ? OrganizationId(*resource) : std::string();
  std::string confidentiality = patient ? resource->facts.confidentiality : std::string();
  std::vector<store::CareLinkRow> links;
  if (type == fhir::ResourceType::kCareTeam)
    links = CareLinksOf(resource->facts, id, compartment->id);

  http::Response response = FhirResource(
      200, WantsMinimal(*ctx.request) ? std::string() : std::move(body), row.version, now);
  Outcome out{std::move(response), std::move(facts), nullptr, nullptr, {}};
  out.alerts = std::move(alerts);
  out.write = [row = std::move(row), hashes = std::move(hashes), base_version, patient,
               organization, confidentiality,
               links = std::move(links)](store::Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(auto head, txn.Head(row.type, row.id));
    if (!head || head->version != base_version || head->deleted)
      return Fail(ErrorCode::kConflict,
                  "the resource changed while this update was in flight; read it and retry");
    TRY(txn.PutResourceVersion(row));
    if (IsIndexedType(*fhir::ParseResourceType(row.type)))
      TRY(txn.ReplaceIndex(row.type, row.id, hashes));
    if (patient) TRY(txn.UpdateCompartmentAttributes(row.id, organization, confidentiality));
    if (row.type == "CareTeam") TRY(txn.ReplaceCareLinks(row.id, links));
    return Ok();
  };
  return out;
}

Outcome FhirApi::Delete(const RequestContext& ctx, fhir::ResourceType type, std::string_view id) {
  AuditFacts facts = FactsFor("delete", type, id);
  store::Reader& reader = s_.store.reader();
  auto current = reader.Current(fhir::NameOf(type), id);
  if (!current) return FhirErrorOutcome(current.error(), facts);
  if (!*current)
    return FhirErrorOutcome(
        {ErrorCode::kNotFound, std::string(fhir::NameOf(type)) + " not found", {}}, facts);
  auto compartment = LoadCompartment(reader, (*current)->compartment);
  if (!compartment) return FhirErrorOutcome(compartment.error(), facts);
  if (std::string patient = PatientOf(*compartment); !patient.empty())
    facts.patients.push_back(patient);
  auto decision =
      s_.policy.Decide(*ctx.principal, access::Action::kDelete, TargetOf(type, *compartment));
  if (!decision.allowed()) return Refused(s_, ctx, decision, facts);
  std::vector<store::AlertRow> alerts;
  AddConfidentialityAlert(s_.keyring, ctx, decision, facts.interaction, alerts);
  http::Response response;
  response.status = 204;
  if ((*current)->deleted) {
    Outcome done{std::move(response), std::move(facts), nullptr, nullptr, {}};
    done.alerts = std::move(alerts);
    return done;
  }

  int64_t base_version = (*current)->version;
  store::ResourceRow row{std::string(fhir::NameOf(type)),
                         std::string(id),
                         base_version + 1,
                         compartment->id,
                         ToUnixMillis(s_.clock.Now()),
                         true,
                         {}};
  response.headers.push_back({"ETag", "W/\"" + std::to_string(row.version) + "\""});
  Outcome out{std::move(response), std::move(facts), nullptr, nullptr, {}};
  out.alerts = std::move(alerts);
  out.write = [row = std::move(row), base_version](store::Transaction& txn) -> Status {
    ASSIGN_OR_RETURN(auto head, txn.Head(row.type, row.id));
    if (!head || head->version != base_version)
      return Fail(ErrorCode::kConflict,
                  "the resource changed while this delete was in flight; retry");
    TRY(txn.PutResourceVersion(row));
    TRY(txn.ReplaceIndex(row.type, row.id, {}));
    // A deleted CareTeam holds no one in care.
    if (row.type == "CareTeam") TRY(txn.ReplaceCareLinks(row.id, {}));
    return Ok();
  };
  return out;
}

}  // namespace medvault::api
