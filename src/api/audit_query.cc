#include "api/audit_query.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <set>

#include "common/utf8.h"
#include "fhir/primitive_formats.h"
#include "fhir/search.h"
#include "fhir/search_date.h"

namespace medvault::api {
namespace {

constexpr size_t kMaxQueryBytes = 4096;
constexpr size_t kMaxCount = 100;
constexpr std::array<std::string_view, 4> kOutcomeCodes = {"0", "4", "8", "12"};

std::optional<int64_t> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 18 ||
      !std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  int64_t n = 0;
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

// Narrows [from, until) to the instants a date criterion accepts. An entry's time is a
// point (a millisecond), so every prefix but ne is a half-line.
Status ApplyDate(std::string_view value, audit::AuditCriteria& c) {
  fhir::DatePrefix prefix = fhir::DatePrefix::kEq;
  if (value.size() >= 2 && std::isalpha(static_cast<unsigned char>(value[0]))) {
    auto parsed = fhir::ParsePrefixCode(value.substr(0, 2));
    if (!parsed || *parsed == fhir::DatePrefix::kNe)
      return Fail(ErrorCode::kInvalid, "date takes the prefixes eq gt lt ge le sa eb");
    prefix = *parsed;
    value.remove_prefix(2);
  }
  auto range = fhir::ParseDateLiteral(value);
  if (!range)
    return Fail(ErrorCode::kInvalid,
                "date must be a FHIR date or dateTime (e.g. 2026-11-29 or 2026-11-29T10:00:00Z)");
  int64_t from = INT64_MIN, until = INT64_MAX;
  switch (prefix) {
    case fhir::DatePrefix::kEq: from = range->start_ms, until = range->end_ms; break;
    case fhir::DatePrefix::kGt:
    case fhir::DatePrefix::kSa: from = range->end_ms; break;
    case fhir::DatePrefix::kGe: from = range->start_ms; break;
    case fhir::DatePrefix::kLt:
    case fhir::DatePrefix::kEb: until = range->start_ms; break;
    case fhir::DatePrefix::kLe: until = range->end_ms; break;
    case fhir::DatePrefix::kNe: break;
  }
  c.from_ms = std::max(c.from_ms, from);
  c.until_ms = std::min(c.until_ms, until);
  return Ok();
}

void Append(std::string& query, std::string_view name, std::string_view value) {
  if (!query.empty()) query += '&';
  query += std::string(name) + "=" + fhir::PercentEncode(value);
}

}  // namespace

Result<AuditQuery> ParseAuditQuery(std::string_view raw) {
  if (raw.size() > kMaxQueryBytes) return Fail(ErrorCode::kInvalid, "the query is too long");
  AuditQuery q;
  audit::AuditCriteria& c = q.criteria;
  std::set<std::string, std::less<>> seen;
  std::vector<std::string> dates;
  std::set<std::string, std::less<>> requested;  // outcome codes, each once
  while (!raw.empty()) {
    size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view() : raw.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos)
      return Fail(ErrorCode::kInvalid, "every parameter needs a value (name=value)");
    std::string_view name = pair.substr(0, eq);
    ASSIGN_OR_RETURN(std::string value, fhir::PercentDecode(pair.substr(eq + 1), true));
    if (value.empty()) return Fail(ErrorCode::kInvalid, "a parameter has an empty value");
    if (name != "date" && !seen.insert(std::string(name)).second)
      return Fail(ErrorCode::kInvalid, "a parameter is repeated; only date may be");
    if (name == "patient") {
      std::string_view id = value;
      if (id.starts_with("Patient/")) id.remove_prefix(8);
      if (!fhir::IsValidFhirId(id))
        return Fail(ErrorCode::kInvalid, "patient must be Patient/<id> or <id>");
      c.patient = std::string(id);
    } else if (name == "agent") {
      if (!fhir::IsValidFhirId(value))
        return Fail(ErrorCode::kInvalid, "agent must be an account id");
      c.account_id = value;
    } else if (name == "agent-name") {
      if (value.size() > 64) return Fail(ErrorCode::kInvalid, "agent-name is too long");
      q.agent_name = value;
    } else if (name == "date") {
      if (dates.size() == 4) return Fail(ErrorCode::kInvalid, "at most 4 date conditions");
      TRY(ApplyDate(value, c));
      dates.push_back(value);
    } else if (name == "outcome") {
      std::string_view list = value;
      for (size_t start = 0; start <= list.size();) {
        size_t comma = std::min(list.find(',', start), list.size());
        std::string_view code = list.substr(start, comma - start);
        if (std::ranges::find(kOutcomeCodes, code) == kOutcomeCodes.end())
          return Fail(ErrorCode::kInvalid, "outcome takes the codes 0, 4, 8 and 12");
        requested.insert(std::string(code));
        start = comma + 1;
      }
    } else if (name == "_count") {
      auto n = ParseNumber(value);
      if (!n || *n < 1 || *n > static_cast<int64_t>(kMaxCount))
        return Fail(ErrorCode::kInvalid, "_count must be an integer from 1 to 100");
      q.count = static_cast<size_t>(*n);
    } else if (name == "_cursor") {
      auto n = ParseNumber(value);
      if (!n || *n < 1) return Fail(ErrorCode::kInvalid, "_cursor must be a positive integer");
      c.before_seq = *n;
    } else if (name == "_format") {
      if (value != "json" && value != "application/fhir+json")
        return Fail(ErrorCode::kInvalid, "_format must be json");
    } else {
      return Fail(ErrorCode::kInvalid,
                  "unknown AuditEvent search parameter \"" + QuotableName(name) +
                      "\"; supported: patient, agent, agent-name, date, outcome, _count");
    }
  }
  // Each code once, in a fixed order: a list that repeats codes selects the same entries,
  // and the canonical query (hence every next link) stays short whatever was sent.
  for (std::string_view code : kOutcomeCodes)
    if (requested.contains(code)) c.outcomes.emplace_back(code);
  c.max_events = q.count;
  if (c.patient) Append(q.canonical_query, "patient", "Patient/" + *c.patient);
  if (c.account_id) Append(q.canonical_query, "agent", *c.account_id);
  if (!q.agent_name.empty()) Append(q.canonical_query, "agent-name", q.agent_name);
  for (const std::string& d : dates) Append(q.canonical_query, "date", d);
  if (!c.outcomes.empty()) {
    std::string joined;
    for (const std::string& o : c.outcomes) joined += (joined.empty() ? "" : ",") + o;
    Append(q.canonical_query, "outcome", joined);
  }
  return q;
}

}  // namespace medvault::api
