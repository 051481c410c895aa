#include "fhir/resource_facts.h"

#include <algorithm>
#include <string>
#include <utility>

#include "fhir/fhir_datetime.h"
#include "fhir/literal_reference.h"

namespace medvault::fhir {
namespace {

constexpr std::string_view kConfidentialitySystem =
    "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";

// The order of the v3 Confidentiality codes, least restricted first. U, L and M are
// looser than N; the Policy does not tell them apart from N, so they report as N.
int ConfidentialityRank(std::string_view code) {
  if (code == "U" || code == "L" || code == "M" || code == "N") return 1;
  if (code == "R") return 2;
  if (code == "V") return 3;
  return -1;
}

std::string_view TextOf(const JsonNode* node) {
  return node != nullptr && node->IsString() ? node->text : std::string_view();
}

// The compartment element selects the data key that seals the resource, so medvault
// requires it to be a literal reference to a Patient even where R4 allows more.
Result<std::string> CompartmentPatient(const JsonTree& tree, ResourceType type) {
  const std::string_view element = CompartmentElementOf(type);
  const std::string expression = std::string(NameOf(type)) + "." + std::string(element);
  auto refuse = [&] {
    return Fail(ErrorCode::kUnprocessable,
                "medvault needs " + std::string(element) +
                    " to reference a Patient (\"Patient/id\") to place the resource in the "
                    "patient's compartment",
                expression);
  };
  const JsonNode* reference = tree.Member(tree.root(), element);
  if (reference == nullptr) return refuse();
  std::optional<LiteralReference> literal =
      ParseLiteralReference(TextOf(tree.Member(*reference, "reference")));
  if (!literal) return refuse();
  std::string_view declared = TextOf(tree.Member(*reference, "type"));
  if (literal->is_urn_uuid()) {
    // The Bundle that defines the urn says what it is; a declared type must agree.
    if (!declared.empty() && declared != "Patient") return refuse();
    return std::string(literal->id);
  }
  if (literal->type != "Patient") return refuse();
  return std::string(literal->id);
}

Status CollectConfidentiality(const JsonTree& tree, ResourceType type,
                              std::string& confidentiality) {
  const JsonNode* meta = tree.Member(tree.root(), "meta");
  const JsonNode* security = meta != nullptr ? tree.Member(*meta, "security") : nullptr;
  if (security == nullptr || !security->IsArray()) return Ok();
  int highest = 0;
  uint32_t index = 0;
  for (const JsonNode& coding : tree.ChildrenOf(*security)) {
    std::string_view code = TextOf(tree.Member(coding, "code"));
    if (TextOf(tree.Member(coding, "system")) == kConfidentialitySystem && !code.empty()) {
      int rank = ConfidentialityRank(code);
      if (rank < 0) {
        return Fail(
            ErrorCode::kUnprocessable, "must be one of: U, L, M, N, R, V",
            std::string(NameOf(type)) + ".meta.security[" + std::to_string(index) + "].code");
      }
      highest = std::max(highest, rank);
    }
    ++index;
  }
  static constexpr std::string_view kCodes[] = {"", "N", "R", "V"};
  confidentiality = kCodes[highest];
  return Ok();
}

// The interval a Period covers; its bounds were checked by the schema walk. A start
// counts from its first instant and an end to its last ("2024-05-01" ends at midnight
// after that day), so that a team ending today still holds today.
std::pair<int64_t, int64_t> PeriodBounds(const JsonTree& tree, const JsonNode* period) {
  int64_t start = INT64_MIN, end = INT64_MAX;
  if (period == nullptr) return {start, end};
  if (auto s = DateRangeOf(TextOf(tree.Member(*period, "start")))) start = s->start_ms;
  if (auto e = DateRangeOf(TextOf(tree.Member(*period, "end")))) end = e->end_ms;
  return {start, end};
}

void CollectCareMembers(const JsonTree& tree, std::vector<CareMembership>& members) {
  const JsonNode& root = tree.root();
  if (TextOf(tree.Member(root, "status")) != "active") return;
  auto [team_start, team_end] = PeriodBounds(tree, tree.Member(root, "period"));
  const JsonNode* participants = tree.Member(root, "participant");
  if (participants == nullptr || !participants->IsArray()) return;
  for (const JsonNode& participant : tree.ChildrenOf(*participants)) {
    const JsonNode* member = tree.Member(participant, "member");
    if (member == nullptr) continue;
    auto literal = ParseLiteralReference(TextOf(tree.Member(*member, "reference")));
    // Only literal Practitioner references make a care relationship (a Bundle's
    // urn:uuid references are rewritten to literal ones before validation).
    if (!literal || literal->type != "Practitioner") continue;
    auto [start, end] = PeriodBounds(tree, tree.Member(participant, "period"));
    start = std::max(start, team_start);
    end = std::min(end, team_end);
    if (start < end) members.push_back({std::string(literal->id), start, end});
  }
}

}  // namespace

Status CollectResourceFacts(const JsonTree& tree, ResourceType type, ResourceFacts& facts) {
  const JsonNode& root = tree.root();
  if (type == ResourceType::kPatient) {
    facts.patient_reference = TextOf(tree.Member(root, "id"));
    if (const JsonNode* organization = tree.Member(root, "managingOrganization")) {
      auto literal = ParseLiteralReference(TextOf(tree.Member(*organization, "reference")));
      // A urn:uuid (Bundle) is reported as written, like the compartment reference.
      if (literal) facts.managing_organization = literal->Target();
    }
  } else if (!CompartmentElementOf(type).empty()) {
    ASSIGN_OR_RETURN(facts.patient_reference, CompartmentPatient(tree, type));
  }
  if (type == ResourceType::kCareTeam) CollectCareMembers(tree, facts.care_members);
  return CollectConfidentiality(tree, type, facts.confidentiality);
}

}  // namespace medvault::fhir
