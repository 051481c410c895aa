// search: find candidates without decrypting (blind indexes, or one patient's
// compartment), ask the Policy about each, decrypt the allowed ones, match them
// exactly, sort, page. `total` and the pages count only what the caller may see.
#include <algorithm>
#include <set>
#include <unordered_map>

#include "api/access_helpers.h"
#include "api/alerts.h"
#include "api/fhir_api.h"
#include "api/responses.h"
#include "api/search_terms.h"
#include "fhir/bundle.h"
#include "fhir/resource.h"
#include "fhir/search.h"

namespace medvault::api {
namespace {

struct Match {
  std::string id;
  std::string patient;
  std::string json;
  std::optional<int64_t> sort_value;
  int64_t last_updated_ms = 0;
  bool redacted = false;      // a directory result: minimal identity, outside the care scope
  bool outside_care = false;  // redacted, or reached through a break-the-glass grant
  bool restricted = false;    // labelled R or V
};

// Directory search (Patient only): out-of-scope matches appear as minimal identity when
// the query carries at least two identity criteria, each specific enough (a name word
// of 3 characters or more), and never more than this many of them.
constexpr size_t kMaxDirectoryResults = 20;

bool IsIdentityParam(std::string_view name) {
  return name == "family" || name == "given" || name == "name" || name == "birthdate" ||
         name == "identifier";
}

// Every criterion must be about identity (gender too, which the result shows anyway):
// a criterion on a hidden element (address, phone) would reveal it by matching.
bool IsDirectoryQuery(const fhir::SearchQuery& query) {
  if (query.type != fhir::ResourceType::kPatient) return false;
  std::set<std::string_view> identity;
  for (const fhir::Criterion& c : query.criteria) {
    if (c.param->name == "gender") continue;
    if (!IsIdentityParam(c.param->name)) return false;
    for (const fhir::CriterionValue& v : c.values) {
      bool name = c.param->kind == fhir::ParamKind::kString;
      if (name && v.normalized.size() < 3) return false;  // no sweeps by initial
    }
    identity.insert(c.param->name);
  }
  return identity.size() >= 2;
}

Error TooBroad() {
  return Error{ErrorCode::kInvalid,
               "this search is too broad: add criteria (for example family and birthdate)",
               {}};
}

// Criteria are ANDed: each one narrows the candidates found so far.
void Intersect(std::optional<std::set<std::string>>& result, std::set<std::string> ids) {
  if (!result) {
    result = std::move(ids);
    return;
  }
  std::set<std::string> both;
  std::set_intersection(result->begin(), result->end(), ids.begin(), ids.end(),
                        std::inserter(both, both.end()));
  *result = std::move(both);
}

// A criterion with at most this many candidates drives the others: each of its
// candidates is looked up under their hashes (one index descent each), instead of
// reading every other criterion's candidates. A common name in a million patients has
// tens of thousands; a birth date, a few dozen.
constexpr int64_t kDrivingCandidates = 64;

// Puts into `ids` those filed under any of `hashes`; false (and stops) once there are
// more than `limit` (negative: no limit). Each hash is read up to `limit` + 1 rows, so
// that one whose rows are partly in `ids` already (OR'ed values a patient has both of)
// cannot pass for complete when it was cut.
Result<bool> IdsFiledUnder(store::Reader& reader, std::string_view type,
                           const std::vector<int64_t>& hashes, int64_t limit,
                           std::set<std::string>& ids) {
  for (int64_t h : hashes) {
    ASSIGN_OR_RETURN(auto found, reader.IdsWithIndex(type, h, limit < 0 ? -1 : limit + 1));
    if (limit >= 0 && static_cast<int64_t>(found.size()) > limit) return false;
    ids.insert(found.begin(), found.end());
    if (limit >= 0 && static_cast<int64_t>(ids.size()) > limit) return false;
  }
  return true;
}

// Candidates of an index-searched type: the intersection, over criteria that can use
// the index, of the union of each criterion's hashes. When one criterion has few
// candidates, the others are checked on those alone, so that a search by a common name
// and a birth date costs the same in ten thousand patients as in a million.
Result<std::optional<std::set<std::string>>> IndexedCandidates(const fhir::SearchQuery& query,
                                                               store::Reader& reader,
                                                               const crypto::Keyring& keyring) {
  const std::string_view type = fhir::NameOf(query.type);
  std::optional<std::set<std::string>> result;
  std::vector<std::vector<int64_t>> indexed;  // each criterion's hashes
  for (const fhir::Criterion& c : query.criteria) {
    if (c.param->kind == fhir::ParamKind::kId) {
      std::set<std::string> ids;
      for (const auto& v : c.values) ids.insert(v.reference);
      Intersect(result, std::move(ids));
    } else if (auto hashes = CriterionHashes(query.type, c, keyring)) {
      indexed.push_back(std::move(*hashes));
    }
  }
  if (indexed.empty()) return result;
  // The driver: the first criterion with few candidates, if any.
  std::optional<size_t> driver;
  std::set<std::string> driving;
  if (indexed.size() > 1 || result) {
    for (size_t i = 0; i < indexed.size() && !driver; ++i) {
      driving.clear();
      ASSIGN_OR_RETURN(bool few,
                       IdsFiledUnder(reader, type, indexed[i], kDrivingCandidates, driving));
      if (few) driver = i;
    }
  }
  if (!driver) {
    for (const auto& hashes : indexed) {
      std::set<std::string> ids;
      TRY(IdsFiledUnder(reader, type, hashes, -1, ids));
      Intersect(result, std::move(ids));
    }
    return result;
  }
  Intersect(result, std::move(driving));
  std::set<std::string> kept;
  for (const std::string& id : *result) {
    bool all = true;
    for (size_t i = 0; i < indexed.size() && all; ++i) {
      if (i == *driver) continue;
      bool any = false;
      for (size_t k = 0; k < indexed[i].size() && !any; ++k) {
        ASSIGN_OR_RETURN(any, reader.IsFiledUnder(type, id, indexed[i][k]));
      }
      all = any;
    }
    if (all) kept.insert(id);
  }
  return kept;
}

// Candidates of a compartment-searched type: the resources of the patients named by
// the patient/subject criteria, or the ids named by _id.
Result<std::optional<std::set<std::string>>> CompartmentCandidates(const fhir::SearchQuery& query,
                                                                   store::Reader& reader) {
  std::optional<std::set<std::string>> result;
  for (const fhir::Criterion& c : query.criteria) {
    std::set<std::string> ids;
    if (c.param->kind == fhir::ParamKind::kId) {
      for (const auto& v : c.values) ids.insert(v.reference);
    } else if (c.param->kind == fhir::ParamKind::kReference &&
               (c.param->name == "patient" || c.param->name == "subject")) {
      for (const auto& v : c.values) {
        auto patient = IdFromReference(v.reference, "Patient");
        if (!patient) continue;
        ASSIGN_OR_RETURN(auto found, reader.IdsInCompartment(fhir::NameOf(query.type), *patient));
        ids.insert(found.begin(), found.end());
      }
    } else {
      continue;
    }
    Intersect(result, std::move(ids));
  }
  return result;
}

std::string PageLink(const RequestContext& ctx, const fhir::SearchQuery& q, int offset) {
  std::string link = ctx.base_url + "/fhir/" + std::string(fhir::NameOf(q.type)) + "?";
  if (!q.canonical_query.empty()) link += q.canonical_query + "&";
  link += "_count=" + std::to_string(q.count) + "&_offset=" + std::to_string(offset);
  return link;
}

}  // namespace

Outcome FhirApi::Search(const RequestContext& ctx, fhir::ResourceType type) {
  AuditFacts facts;
  facts.interaction = "search";
  facts.resource_type = fhir::NameOf(type);
  auto query = fhir::ParseSearch(type, ctx.request->query);
  if (!query) return FhirErrorOutcome(query.error(), facts);
  if (!s_.policy.MaySearch(*ctx.principal, type))
    return FhirErrorOutcome(
        {ErrorCode::kForbidden,
         "access denied: the " + std::string(identity::NameOf(ctx.principal->role())) +
             " role may not search " + std::string(fhir::NameOf(type)) + " resources",
         {}},
        facts);

  store::Reader& reader = s_.store.reader();
  std::string type_name(fhir::NameOf(type));
  Result<std::optional<std::set<std::string>>> found =
      IsIndexedType(type) ? IndexedCandidates(*query, reader, s_.keyring)
                          : CompartmentCandidates(*query, reader);
  if (!found) return FhirErrorOutcome(found.error(), facts);
  bool directory = IsDirectoryQuery(*query);
  facts.directory_search = directory;
  // The caller's own patients: those in their care (or under a grant), or a secretary's
  // organization. Beyond the candidate limit, nullopt (the decisions still filter).
  auto own_scope = [&]() -> Result<std::optional<std::set<std::string>>> {
    const identity::Principal& who = *ctx.principal;
    size_t limit = s_.options.max_search_candidates + 1;
    auto own = who.role() == identity::Role::kSecretary
                   ? reader.PatientsOfOrganization(who.organization_id(), limit)
                   : reader.PatientsInCare(who.practitioner_id(), who.account_id(),
                                           ToUnixMillis(s_.clock.Now()), limit);
    if (!own) return std::unexpected(own.error());
    if (own->size() >= limit) return std::optional<std::set<std::string>>();
    return std::optional<std::set<std::string>>(std::set<std::string>(own->begin(), own->end()));
  };
  std::set<std::string> candidates;
  if (*found) {
    // Outside directory mode a Patient search stays within the caller's own scope, so a
    // common name does not make a GP's search of their own patients too broad.
    if (type == fhir::ResourceType::kPatient && !directory) {
      auto own = own_scope();
      if (!own) return FhirErrorOutcome(own.error(), facts);
      if (*own) Intersect(*found, std::move(**own));
    }
    candidates = std::move(**found);
  } else if (!fhir::IsPatientData(type)) {
    auto all = reader.IdsOfType(type_name, s_.options.max_search_candidates + 1);
    if (!all) return FhirErrorOutcome(all.error(), facts);
    candidates.insert(all->begin(), all->end());
  } else if (type == fhir::ResourceType::kPatient) {
    // No criterion narrows the index: the caller's own scope is the candidate set.
    auto own = own_scope();
    if (!own) return FhirErrorOutcome(own.error(), facts);
    if (!*own) return FhirErrorOutcome(TooBroad(), facts);
    candidates = std::move(**own);
  } else {
    return FhirErrorOutcome(
        {ErrorCode::kInvalid,
         type_name + " searches need a patient (or subject) parameter: medvault answers "
                     "clinical searches one patient at a time",
         {}},
        facts);
  }
  if (candidates.size() > s_.options.max_search_candidates)
    return FhirErrorOutcome(TooBroad(), facts);

  // One decision per compartment: a patient's resources share their standing.
  struct Opened {
    store::CompartmentRow compartment;
    std::optional<access::AccessDecision> decision;
  };
  std::vector<Match> matches;
  std::unordered_map<std::string, Opened> compartments;
  std::set<std::string> alerted;
  std::vector<store::AlertRow> alerts;
  for (const std::string& id : candidates) {
    auto row = reader.Current(type_name, id);
    if (!row) return FhirErrorOutcome(row.error(), facts);
    if (!*row || (*row)->deleted) continue;
    auto it = compartments.find((*row)->compartment);
    if (it == compartments.end()) {
      auto loaded = LoadCompartment(reader, (*row)->compartment);
      if (!loaded) return FhirErrorOutcome(loaded.error(), facts);
      access::AccessTarget target = TargetOf(type, *loaded);
      auto decision = s_.policy.Decide(*ctx.principal, access::Action::kSearch, target);
      if (!decision.allowed() && directory)
        decision = s_.policy.Decide(*ctx.principal, access::Action::kDirectoryLookup, target);
      it = compartments.emplace((*row)->compartment, Opened{std::move(*loaded), decision}).first;
    }
    const access::AccessDecision& decision = *it->second.decision;
    const store::CompartmentRow& compartment = it->second.compartment;
    // Filtered: never counted, never revealed. A candidate comes from the server's
    // index, not from the caller naming the patient, so a refusal here raises nothing.
    if (!decision.allowed()) continue;
    auto opened = s_.vault.OpenForSearch(decision, compartment, **row);
    if (!opened) return FhirErrorOutcome(opened.error(), facts);
    Time updated = FromUnixMillis((*row)->last_updated_ms);
    if (!fhir::Matches(*query, opened->values, id, updated)) continue;
    if (alerted.insert(compartment.id).second)
      AddConfidentialityAlert(s_.keyring, ctx, decision, facts.interaction, alerts);
    bool redacted = decision.mask() == access::FieldMask::kMinimalIdentity;
    matches.push_back(Match{id, PatientOf(compartment), std::move(opened->json),
                            fhir::SortValue(query->sort, opened->values, updated),
                            (*row)->last_updated_ms, redacted,
                            redacted || decision.basis() == access::Basis::kBreakGlass,
                            access::IsRestricted(decision.target().confidentiality)});
  }
  // More directory matches than the limit: show none of them and say why, rather than
  // an arbitrary few (which would invite paging through criteria).
  std::optional<std::string> outcome;
  size_t outside =
      std::count_if(matches.begin(), matches.end(), [](const Match& m) { return m.redacted; });
  if (outside > kMaxDirectoryResults) {
    std::erase_if(matches, [](const Match& m) { return m.redacted; });
    outcome = fhir::InformationOutcomeJson(
        "more than " + std::to_string(kMaxDirectoryResults) +
        " patients outside your care match: add criteria (full birth date, given name)");
  }

  const fhir::SortOrder& sort = query->sort;
  std::sort(matches.begin(), matches.end(), [&](const Match& a, const Match& b) {
    if (sort.key != fhir::SortKey::kNone && a.sort_value != b.sort_value) {
      // Resources without the sort value come last in either direction.
      if (!a.sort_value) return false;
      if (!b.sort_value) return true;
      return sort.descending ? *a.sort_value > *b.sort_value : *a.sort_value < *b.sort_value;
    }
    return a.id < b.id;
  });

  size_t total = matches.size();
  size_t begin = std::min(total, static_cast<size_t>(query->offset));
  size_t end = std::min(total, begin + static_cast<size_t>(query->count));
  std::vector<fhir::SearchEntry> entries;
  std::set<std::string> patients, outside_care, restricted, minimal;
  for (size_t i = begin; i < end; ++i) {
    Match& m = matches[i];
    if (!m.patient.empty()) {
      patients.insert(m.patient);
      if (m.outside_care) outside_care.insert(m.patient);
      if (m.restricted) restricted.insert(m.patient);
      if (m.redacted) minimal.insert(m.patient);
    }
    entries.push_back(
        {ctx.base_url + "/fhir/" + type_name + "/" + m.id, std::move(m.json), "match"});
  }
  if (outcome) entries.push_back({"", std::move(*outcome), "outcome"});
  facts.patients.assign(patients.begin(), patients.end());
  facts.patients_outside_care.assign(outside_care.begin(), outside_care.end());
  facts.restricted_patients.assign(restricted.begin(), restricted.end());
  facts.minimal_identity_patients.assign(minimal.begin(), minimal.end());
  fhir::BundleLinks links;
  links.self = PageLink(ctx, *query, query->offset);
  if (end < total) links.next = PageLink(ctx, *query, static_cast<int>(end));
  if (begin > 0) links.previous = PageLink(ctx, *query, std::max(0, query->offset - query->count));
  std::string body =
      fhir::SearchsetBundle(static_cast<int64_t>(total), entries, links, s_.clock.Now());
  Outcome out{FhirBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
  out.alerts = std::move(alerts);
  return out;
}

}  // namespace medvault::api
