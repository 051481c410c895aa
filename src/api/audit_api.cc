#include "api/audit_api.h"

#include <charconv>
#include <map>

#include "api/json_fields.h"
#include "api/responses.h"
#include "audit/audit_log.h"
#include "audit/merkle.h"
#include "audit/stored_subtrees.h"
#include "crypto/encoding.h"

namespace medvault::api {
namespace {

// A size that is not stored yet is the client's mistake, not the server's.
audit::StoredSubtrees Subtrees(store::Reader& reader) {
  return audit::StoredSubtrees(reader,
                               {ErrorCode::kInvalid, "the audit log is not that long yet", {}});
}

// The query's parameters, each a non-negative integer, all required, nothing else.
Result<std::map<std::string, uint64_t, std::less<>>> ParseCounts(
    std::string_view query, std::initializer_list<std::string_view> names) {
  std::map<std::string, uint64_t, std::less<>> out;
  std::string expected;
  for (std::string_view n : names) expected += (expected.empty() ? "" : " and ") + std::string(n);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? "" : pair.substr(eq + 1);
    if (std::find(names.begin(), names.end(), name) == names.end() || out.contains(name))
      return Fail(ErrorCode::kInvalid, "expected exactly the parameters " + expected);
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size())
      return Fail(ErrorCode::kInvalid, std::string(name) + " must be a non-negative integer");
    out.emplace(std::string(name), n);
  }
  if (out.size() != names.size())
    return Fail(ErrorCode::kInvalid, "expected exactly the parameters " + expected);
  return out;
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
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr};
}

Outcome AuditApi::Inclusion(const RequestContext& ctx) {
  AuditFacts facts = Facts("audit-proof-inclusion");
  auto params = ParseCounts(ctx.request->query, {"index", "size"});
  if (!params) return JsonErrorOutcome(params.error(), facts);
  uint64_t index = params->at("index"), size = params->at("size");
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
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr};
}

Outcome AuditApi::Consistency(const RequestContext& ctx) {
  AuditFacts facts = Facts("audit-proof-consistency");
  auto params = ParseCounts(ctx.request->query, {"from", "to"});
  if (!params) return JsonErrorOutcome(params.error(), facts);
  audit::StoredSubtrees source = Subtrees(s_.store.reader());
  uint64_t to = params->at("to");
  // The newer size must exist in full: its root must be computable.
  if (to > 0) {
    auto root = audit::RootAt(to, source);
    if (!root) return JsonErrorOutcome(root.error(), facts);
  }
  auto path = audit::ConsistencyProof(params->at("from"), to, source);
  if (!path) return JsonErrorOutcome(path.error(), facts);
  std::string body = WriteJson([&](JsonWriter& w) {
    w.StartObject();
    w.Key("path");
    HexArray(w, *path);
    w.EndObject();
  });
  return Outcome{JsonBody(200, std::move(body)), std::move(facts), nullptr, nullptr};
}

}  // namespace medvault::api
