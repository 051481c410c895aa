#include "fhir/search_extraction.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <span>

#include "fhir/fhir_datetime.h"
#include "fhir/literal_reference.h"
#include "fhir/resource.h"
#include "fhir/resource_parse.h"
#include "fhir/text_normalize.h"

namespace medvault::fhir {
namespace {

// What a path leads to and how it becomes a search value.
enum class ValueKind : uint8_t {
  kString,            // string → StringValue
  kCode,              // code → token without system
  kCodings,           // CodeableConcept → one token per Coding (system|code)
  kIdentifier,        // Identifier → token system|value
  kDate,              // date, dateTime, instant or Period → DateRange
  kReference,         // Reference → "Type/id"
  kPatientReference,  // Reference → "Patient/id", only when it points to a Patient
};

struct SearchPath {
  std::string_view param;
  ValueKind kind;
  std::string_view path;  // element names joined by '.', arrays followed item by item
};

using enum ValueKind;

constexpr SearchPath kPatientPaths[] = {
    {"family", kString, "name.family"},
    {"given", kString, "name.given"},
    {"name", kString, "name.family"},
    {"name", kString, "name.given"},
    {"name", kString, "name.prefix"},
    {"name", kString, "name.suffix"},
    {"name", kString, "name.text"},
    {"birthdate", kDate, "birthDate"},
    {"gender", kCode, "gender"},
    {"identifier", kIdentifier, "identifier"},
    {"organization", kReference, "managingOrganization"},
};

constexpr SearchPath kPractitionerPaths[] = {
    {"name", kString, "name.family"}, {"name", kString, "name.given"},
    {"name", kString, "name.prefix"}, {"name", kString, "name.suffix"},
    {"name", kString, "name.text"},   {"family", kString, "name.family"},
    {"given", kString, "name.given"}, {"identifier", kIdentifier, "identifier"},
};

constexpr SearchPath kOrganizationPaths[] = {
    {"name", kString, "name"},
    {"name", kString, "alias"},
    {"identifier", kIdentifier, "identifier"},
};

constexpr SearchPath kCareTeamPaths[] = {
    {"patient", kPatientReference, "subject"},
    {"subject", kReference, "subject"},
    {"status", kCode, "status"},
    {"date", kDate, "period"},
};

constexpr SearchPath kEncounterPaths[] = {
    {"patient", kPatientReference, "subject"},
    {"subject", kReference, "subject"},
    {"date", kDate, "period"},
    {"status", kCode, "status"},
};

constexpr SearchPath kObservationPaths[] = {
    {"patient", kPatientReference, "subject"},
    {"subject", kReference, "subject"},
    {"date", kDate, "effectiveDateTime"},
    {"date", kDate, "effectivePeriod"},
    {"date", kDate, "effectiveInstant"},
    {"code", kCodings, "code"},
    {"status", kCode, "status"},
};

constexpr SearchPath kConditionPaths[] = {
    {"patient", kPatientReference, "subject"},
    {"subject", kReference, "subject"},
    {"code", kCodings, "code"},
    {"clinical-status", kCodings, "clinicalStatus"},
    {"onset-date", kDate, "onsetDateTime"},
    {"onset-date", kDate, "onsetPeriod"},
    {"recorded-date", kDate, "recordedDate"},
};

constexpr SearchPath kAllergyIntolerancePaths[] = {
    {"patient", kPatientReference, "patient"},
    {"code", kCodings, "code"},
    {"clinical-status", kCodings, "clinicalStatus"},
    {"date", kDate, "recordedDate"},
};

constexpr SearchPath kMedicationRequestPaths[] = {
    {"patient", kPatientReference, "subject"},
    {"subject", kReference, "subject"},
    {"code", kCodings, "medicationCodeableConcept"},
    {"status", kCode, "status"},
    {"authoredon", kDate, "authoredOn"},
};

constexpr SearchPath kDocumentReferencePaths[] = {
    {"patient", kPatientReference, "subject"},
    {"subject", kReference, "subject"},
    {"date", kDate, "date"},
    {"type", kCodings, "type"},
    {"status", kCode, "status"},
};

std::span<const SearchPath> PathsOf(ResourceType type) {
  switch (type) {
    case ResourceType::kPatient: return kPatientPaths;
    case ResourceType::kPractitioner: return kPractitionerPaths;
    case ResourceType::kOrganization: return kOrganizationPaths;
    case ResourceType::kCareTeam: return kCareTeamPaths;
    case ResourceType::kEncounter: return kEncounterPaths;
    case ResourceType::kObservation: return kObservationPaths;
    case ResourceType::kCondition: return kConditionPaths;
    case ResourceType::kAllergyIntolerance: return kAllergyIntolerancePaths;
    case ResourceType::kMedicationRequest: return kMedicationRequestPaths;
    case ResourceType::kDocumentReference: return kDocumentReferencePaths;
  }
  return {};
}

class Extractor {
 public:
  explicit Extractor(const JsonTree& tree) : tree_(tree) {}

  void Extract(const SearchPath& path) { Follow(tree_.root(), path.path, path); }

  void ExtractHomes() {
    const JsonNode* addresses = tree_.Member(tree_.root(), "address");
    if (addresses == nullptr || !addresses->IsArray()) return;
    for (const JsonNode& address : tree_.ChildrenOf(*addresses)) {
      const std::string_view use = Text(address, "use");
      if (use == "work" || use == "billing" || use == "old") continue;
      const JsonNode* lines = tree_.Member(address, "line");
      if (lines == nullptr || !lines->IsArray()) continue;
      const auto line = tree_.ChildrenOf(*lines);
      if (line.begin() == line.end() || !line.begin()->IsString()) continue;
      std::string building = NormalizeForSearch(line.begin()->text);
      std::string place = NormalizeForSearch(Text(address, "postalCode"));
      std::erase(place, ' ');  // "29 200" is "29200"
      if (place.empty()) place = NormalizeForSearch(Text(address, "city"));
      if (building.empty() || place.empty()) continue;
      values_.homes.push_back(building + "|" + place);
    }
  }
  SearchValues Take() { return std::move(values_); }

 private:
  // Follows `rest` from `node`, fanning out over arrays, and reads each value reached.
  void Follow(const JsonNode& node, std::string_view rest, const SearchPath& path) {
    const size_t dot = rest.find('.');
    const JsonNode* member = tree_.Member(node, rest.substr(0, dot));
    if (member == nullptr) return;
    const std::string_view next =
        dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    auto visit = [&](const JsonNode& value) {
      if (next.empty()) {
        Read(value, path);
      } else {
        Follow(value, next, path);
      }
    };
    if (member->IsArray()) {
      for (const JsonNode& item : tree_.ChildrenOf(*member)) visit(item);
    } else {
      visit(*member);
    }
  }

  std::string_view Text(const JsonNode& object, std::string_view key) const {
    const JsonNode* member = tree_.Member(object, key);
    return member != nullptr && member->IsString() ? member->text : std::string_view();
  }

  void AddToken(const SearchPath& path, std::string_view system, std::string_view code) {
    if (code.empty()) return;
    values_.tokens.push_back({std::string(path.param), {std::string(system), std::string(code)}});
  }

  void Read(const JsonNode& value, const SearchPath& path) {
    switch (path.kind) {
      case kString:
        if (value.IsString() && !value.text.empty()) {
          values_.strings.push_back(
              {std::string(path.param), NormalizeForSearch(value.text), std::string(value.text)});
        }
        return;
      case kCode:
        if (value.IsString()) AddToken(path, {}, value.text);
        return;
      case kCodings: ReadCodings(value, path); return;
      case kIdentifier: AddToken(path, Text(value, "system"), Text(value, "value")); return;
      case kDate: ReadDate(value, path); return;
      case kReference:
      case kPatientReference: ReadReference(value, path); return;
    }
  }

  void ReadCodings(const JsonNode& codeable_concept, const SearchPath& path) {
    const JsonNode* codings = tree_.Member(codeable_concept, "coding");
    if (codings == nullptr || !codings->IsArray()) return;
    for (const JsonNode& coding : tree_.ChildrenOf(*codings)) {
      AddToken(path, Text(coding, "system"), Text(coding, "code"));
    }
  }

  // A date, dateTime or instant; or a Period, whose missing bounds are open.
  void ReadDate(const JsonNode& value, const SearchPath& path) {
    if (value.IsString()) {
      if (auto range = DateRangeOf(value.text)) {
        values_.dates.push_back({std::string(path.param), *range, std::string(value.text)});
      }
      return;
    }
    const std::string_view start = Text(value, "start");
    const std::string_view end = Text(value, "end");
    std::optional<DateRange> from = start.empty() ? std::nullopt : DateRangeOf(start);
    std::optional<DateRange> to = end.empty() ? std::nullopt : DateRangeOf(end);
    if ((!start.empty() && !from) || (!end.empty() && !to) || (!from && !to)) return;
    DateRange range{from ? from->start_ms : std::numeric_limits<int64_t>::min(),
                    to ? to->end_ms : std::numeric_limits<int64_t>::max()};
    // A Period has no single date as written; ISO 8601 writes an interval start/end.
    std::string text;
    text.append(start).append("/").append(end);
    values_.dates.push_back({std::string(path.param), range, std::move(text)});
  }

  // Only relative references become search values; a urn:uuid is rewritten to one
  // when its Bundle is stored, and the values are extracted again then.
  void ReadReference(const JsonNode& value, const SearchPath& path) {
    auto literal = ParseLiteralReference(Text(value, "reference"));
    if (!literal || literal->is_urn_uuid()) return;
    if (path.kind == kPatientReference && literal->type != "Patient") return;
    values_.references.push_back({std::string(path.param), literal->Target()});
  }

  const JsonTree& tree_;
  SearchValues values_;
};

}  // namespace

SearchValues ExtractFromTree(const JsonTree& tree, ResourceType type) {
  Extractor extractor(tree);
  for (const SearchPath& path : PathsOf(type)) extractor.Extract(path);
  if (type == ResourceType::kPatient || type == ResourceType::kPractitioner)
    extractor.ExtractHomes();
  return extractor.Take();
}

Result<SearchValues> ExtractSearchValues(ResourceType type, std::string_view json) {
  ASSIGN_OR_RETURN(JsonTree tree, ParseStoredResource(json, type));
  return ExtractFromTree(tree, type);
}

}  // namespace medvault::fhir
