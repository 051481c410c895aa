#include "api/clinician_namesakes.h"

#include <algorithm>
#include <exception>

#include "api/search_terms.h"
#include "store/records.h"

namespace medvault::api {
namespace {

constexpr int64_t kNameLifetimeMs = 3'600'000;
constexpr int64_t kQuietAfterErrorMs = 60'000;
// Beyond this many accounts the names are all forgotten and read again as needed: a
// bound on memory that costs one read per active account an hour at worst.
constexpr size_t kMaxNames = 100'000;

using Kind = detect::DetectionEvent::Kind;

bool AskedAbout(const detect::DetectionEvent& event, const detect::DetectionEvent::Patient& p) {
  return event.kind == Kind::kStartCare || !p.in_care;
}

}  // namespace

Status ClinicianNamesakes::Mark(detect::DetectionEvent& event) {
  // A directory result is weighed as a search (minimal identity), not as a patient read.
  const bool reached =
      event.kind == Kind::kRead || event.kind == Kind::kSearch || event.kind == Kind::kStartCare;
  if (!reached || event.status < 200 || event.status >= 300 || event.account_id.empty() ||
      event.time_ms < quiet_until_ms_ ||
      std::none_of(event.patients.begin(), event.patients.end(),
                   [&](const auto& p) { return AskedAbout(event, p); }))
    return Ok();
  Result<std::vector<bool>> namesakes;
  try {
    namesakes = Namesakes(event);
  } catch (const std::exception& e) {
    // The store throws when this thread cannot get a read connection at all.
    namesakes = Fail(ErrorCode::kUnavailable, e.what());
  }
  if (!namesakes) {
    quiet_until_ms_ = event.time_ms + kQuietAfterErrorMs;
    return Fail(namesakes.error());
  }
  for (size_t i = 0; i < event.patients.size(); ++i)
    event.patients[i].bears_clinician_name = (*namesakes)[i];
  return Ok();
}

Result<std::vector<bool>> ClinicianNamesakes::Namesakes(const detect::DetectionEvent& event) {
  std::vector<bool> namesakes(event.patients.size(), false);
  ASSIGN_OR_RETURN(const Name* name, NameOf(event.account_id, event.time_ms));
  if (name->alternatives.empty()) return namesakes;
  store::Reader& reader = store_.reader();
  for (size_t i = 0; i < event.patients.size(); ++i) {
    const detect::DetectionEvent::Patient& p = event.patients[i];
    if (!AskedAbout(event, p)) continue;
    ASSIGN_OR_RETURN(std::vector<int64_t> filed, reader.IndexHashesOf("Patient", p.id));
    std::ranges::sort(filed);
    namesakes[i] =
        std::any_of(name->alternatives.begin(), name->alternatives.end(), [&](const auto& hashes) {
          return std::ranges::includes(filed, hashes);  // both sorted
        });
  }
  return namesakes;
}

Result<const ClinicianNamesakes::Name*> ClinicianNamesakes::NameOf(const std::string& account_id,
                                                                   int64_t now_ms) {
  auto known = names_.find(account_id);
  if (known != names_.end() && now_ms >= known->second.read_at_ms &&
      now_ms - known->second.read_at_ms < kNameLifetimeMs)
    return &known->second;
  Result<Name> name = ReadName(account_id, now_ms);
  // A Practitioner that cannot be opened stays so: the account goes without namesakes
  // for the name's lifetime rather than failing on every event. A database out of
  // reach is asked again after the quiet minute.
  if (!name && name.error().code == ErrorCode::kUnavailable) return Fail(name.error());
  if (known == names_.end() && names_.size() >= kMaxNames) names_.clear();
  Name& kept = names_[account_id];
  kept = name ? std::move(*name) : Name{{}, now_ms};
  if (!name) return Fail(name.error());
  return &kept;
}

Result<ClinicianNamesakes::Name> ClinicianNamesakes::ReadName(const std::string& account_id,
                                                              int64_t now_ms) {
  Name name;
  name.read_at_ms = now_ms;
  store::Reader& reader = store_.reader();
  ASSIGN_OR_RETURN(auto account, reader.AccountById(account_id));
  if (!account || account->practitioner_id.empty()) return name;
  ASSIGN_OR_RETURN(auto stored,
                   reader.CurrentWithCompartment("Practitioner", account->practitioner_id));
  if (!stored || stored->row.deleted) return name;
  // Only this account's own Practitioner is asked for: the Policy's detector decision
  // covers any Practitioner, so the restriction is here.
  access::AccessTarget target{fhir::ResourceType::kPractitioner, stored->compartment.id, "", ""};
  access::AccessDecision decision = policy_.DetectorReadsClinician(target);
  ASSIGN_OR_RETURN(access::RecordVault::Searchable practitioner,
                   vault_.OpenForSearch(decision, stored->compartment, stored->row));
  name.alternatives = FamilyNameAsPatients(practitioner.values, keyring_);
  return name;
}

}  // namespace medvault::api
