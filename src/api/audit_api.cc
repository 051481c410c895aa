#include "api/audit_api.h"

#include "api/audit_query.h"
#include "api/json_fields.h"
#include "api/proof_query.h"
#include "api/responses.h"
#include "audit/audit_log.h"
#include "audit/audit_search.h"
#include "audit/fhir_audit_event.h"
#include "audit/merkle.h"
#include "audit/stored_subtrees.h"
#include "crypto/encoding.h"
#include "fhir/bundle.h"

namespace medvault::api {
namespace {

// A size that is not stored yet is the client's mistake, not the server's.
audit::StoredSubtrees Subtrees(store::Reader& reader) {
  return audit::StoredSubtrees(reader,
                               {ErrorCode::kInvalid, "the audit log is not that long yet", {}});
}

void HexArray(JsonWriter& w, const std::vector<audit::Hash>& path) {
  w.StartArray();
  for (const audit::Hash& h : path) Str(w, crypto::ToHex(h));
  w.EndArray();
}

AuditFacts Facts(std::string interaction) {
  AuditFacts facts;
  facts.interaction = std::move(interaction);
  return facts;
}

}  // namespace

Outcome AuditApi::TreeHead(const RequestContext&) {
  AuditFacts facts = Facts("audit-tree-head");
  auto head = s_.store.reader().LatestTreeHead();
  if (!head) return JsonErrorOutcome(head.error(), facts);
  if (!*head) return JsonErrorOutcome({ErrorCode::kNotFound, "no signed tree head yet", {}}, facts);
  const store::TreeHeadRow& h = **head;
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("size");
    w.Int64(h.size);
    w.Key("root");
    Str(w, crypto::ToHex(h.root));
    w.Key("timestamp");
    w.Int64(h.timestamp_ms);
    w.Key("signature");
    Str(w, crypto::ToHex(h.signature));
    w.Key("key_id");
    Str(w, crypto::ToHex(s_.options.audit_public_key));
    w.Key("checkpoint");
    Str(w, audit::TreeHeadText(h.size, h.root, h.timestamp_ms));
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AuditApi::Inclusion(const RequestContext& ctx) {
  AuditFacts facts = Facts("audit-proof-inclusion");
  auto params = ParseInclusionQuery(ctx.request->query);
  if (!params) return JsonErrorOutcome(params.error(), facts);
  uint64_t index = params->index, size = params->size;
  audit::StoredSubtrees source = Subtrees(s_.store.reader());
  auto path = audit::InclusionProof(index, size, source);
  if (!path) return JsonErrorOutcome(path.error(), facts);
  auto leaf = source.Subtree(0, index);
  if (!leaf) return JsonErrorOutcome(leaf.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("leaf_hash");
    Str(w, crypto::ToHex(*leaf));
    w.Key("path");
    HexArray(w, *path);
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AuditApi::Consistency(const RequestContext& ctx) {
  AuditFacts facts = Facts("audit-proof-consistency");
  auto params = ParseConsistencyQuery(ctx.request->query);
  if (!params) return JsonErrorOutcome(params.error(), facts);
  audit::StoredSubtrees source = Subtrees(s_.store.reader());
  uint64_t to = params->to;
  // The newer size must exist in full: its root must be computable.
  if (to > 0) {
    auto root = audit::RootAt(to, source);
    if (!root) return JsonErrorOutcome(root.error(), facts);
  }
  auto path = audit::ConsistencyProof(params->from, to, source);
  if (!path) return JsonErrorOutcome(path.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("path");
    HexArray(w, *path);
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AuditApi::SearchEvents(const RequestContext& ctx) {
  AuditFacts facts = Facts("audit-search");
  facts.resource_type = "AuditEvent";
  auto query = ParseAuditQuery(ctx.request->query);
  if (!query) return FhirErrorOutcome(query.error(), facts);
  audit::AuditCriteria& criteria = query->criteria;
  // Reading a patient's trail is itself recorded against that patient.
  if (criteria.patient) facts.patients.push_back(*criteria.patient);
  store::Reader& reader = s_.store.reader();
  bool unknown_agent = false;
  if (!query->agent_name.empty()) {
    auto account = reader.AccountByUsername(query->agent_name);
    if (!account) return FhirErrorOutcome(account.error(), facts);
    unknown_agent = !*account || (criteria.account_id && *criteria.account_id != (*account)->id);
    if (*account) criteria.account_id = (*account)->id;
  }
  audit::AuditSearchPage page;
  if (!unknown_agent) {
    auto found = audit::SearchAudit(reader, s_.audit, criteria);
    if (!found) return FhirErrorOutcome(found.error(), facts);
    page = std::move(*found);
  }
  std::vector<fhir::SearchEntry> entries;
  std::optional<std::string_view> only;
  if (criteria.patient) only = *criteria.patient;
  for (const audit::FoundEntry& found : page.entries)
    for (audit::FhirAuditEvent& e : audit::ToFhirAuditEvents(found.seq, found.event, only))
      entries.push_back({ctx.base_url + "/fhir/AuditEvent/" + e.id, std::move(e.json), "match"});
  std::string link = ctx.base_url + "/fhir/AuditEvent?" + query->canonical_query +
                     (query->canonical_query.empty() ? "" : "&") +
                     "_count=" + std::to_string(query->count);
  fhir::BundleLinks links;
  links.self = link;
  if (criteria.before_seq != INT64_MAX)
    links.self += "&_cursor=" + std::to_string(criteria.before_seq);
  if (page.next_before) links.next = link + "&_cursor=" + std::to_string(*page.next_before);
  // The total would mean opening every matching entry: left out, the next link pages.
  std::string body = fhir::SearchsetBundle(std::nullopt, entries, links, s_.clock.Now());
  return Outcome{FhirBody(200, std::move(body)), std::move(facts), nullptr, nullptr, {}};
}

Outcome AuditApi::ReadEvent(const RequestContext&, std::string_view id) {
  AuditFacts facts = Facts("audit-read");
  facts.resource_type = "AuditEvent";
  facts.resource_id = id;
  Error missing{ErrorCode::kNotFound, "no AuditEvent with this id", {}};
  auto parsed = audit::ParseFhirAuditEventId(id);
  if (!parsed) return FhirErrorOutcome(missing, facts);
  auto entry = audit::ReadAuditEntry(s_.store.reader(), s_.audit, parsed->seq);
  if (!entry) return FhirErrorOutcome(entry.error(), facts);
  if (!*entry) return FhirErrorOutcome(missing, facts);
  auto event = audit::ToFhirAuditEvent(*parsed, **entry);
  if (!event) return FhirErrorOutcome(missing, facts);
  if (parsed->patient_index > 0) {
    facts.patients.push_back((*entry)->patients[parsed->patient_index - 1]);
  } else if (!(*entry)->patients.empty()) {
    facts.patients.push_back((*entry)->patients.front());
  }
  return Outcome{FhirBody(200, std::move(event->json)), std::move(facts), nullptr, nullptr, {}};
}

}  // namespace medvault::api
