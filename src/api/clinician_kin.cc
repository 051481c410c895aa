#include "api/clinician_kin.h"

#include <algorithm>
#include <exception>

#include "api/search_terms.h"
#include "store/records.h"

namespace medvault::api {
namespace {

constexpr int64_t kClinicianLifetimeMs = 3'600'000;
constexpr int64_t kQuietAfterErrorMs = 60'000;
// Beyond this many accounts the clinicians are all forgotten and read again as needed: a
// bound on memory that costs one read per active account an hour at worst.
constexpr size_t kMaxClinicians = 100'000;

using Kind = detect::DetectionEvent::Kind;

bool AskedAbout(const detect::DetectionEvent& event, const detect::DetectionEvent::Patient& p) {
  return event.kind == Kind::kStartCare || !p.in_care;
}

}  // namespace

Status ClinicianKin::Mark(detect::DetectionEvent& event) {
  // A directory result is weighed as a search (minimal identity), not as a patient read.
  const bool reached =
      event.kind == Kind::kRead || event.kind == Kind::kSearch || event.kind == Kind::kStartCare;
  if (!reached || event.status < 200 || event.status >= 300 || event.account_id.empty() ||
      event.time_ms < quiet_until_ms_ ||
      std::none_of(event.patients.begin(), event.patients.end(),
                   [&](const auto& p) { return AskedAbout(event, p); }))
    return Ok();
  Result<std::vector<bool>> kin;
  try {
    kin = Kin(event);
  } catch (const std::exception& e) {
    // The store throws when this thread cannot get a read connection at all.
    kin = Fail(ErrorCode::kUnavailable, e.what());
  }
  if (!kin) {
    quiet_until_ms_ = event.time_ms + kQuietAfterErrorMs;
    return Fail(kin.error());
  }
  for (size_t i = 0; i < event.patients.size(); ++i)
    event.patients[i].shares_clinician_name_or_home = (*kin)[i];
  return Ok();
}

Result<std::vector<bool>> ClinicianKin::Kin(const detect::DetectionEvent& event) {
  std::vector<bool> kin(event.patients.size(), false);
  ASSIGN_OR_RETURN(const Clinician* clinician, ClinicianOf(event.account_id, event.time_ms));
  if (clinician->alternatives.empty()) return kin;
  store::Reader& reader = store_.reader();
  for (size_t i = 0; i < event.patients.size(); ++i) {
    const detect::DetectionEvent::Patient& p = event.patients[i];
    if (!AskedAbout(event, p)) continue;
    ASSIGN_OR_RETURN(std::vector<int64_t> filed, reader.IndexHashesOf("Patient", p.id));
    std::ranges::sort(filed);
    kin[i] = std::ranges::any_of(clinician->alternatives, [&](const auto& hashes) {
      return std::ranges::includes(filed, hashes);  // both sorted
    });
  }
  return kin;
}

Result<const ClinicianKin::Clinician*> ClinicianKin::ClinicianOf(const std::string& account_id,
                                                                 int64_t now_ms) {
  auto known = clinicians_.find(account_id);
  if (known != clinicians_.end() && now_ms >= known->second.read_at_ms &&
      now_ms - known->second.read_at_ms < kClinicianLifetimeMs)
    return &known->second;
  Result<Clinician> clinician = ReadClinician(account_id, now_ms);
  // A Practitioner that cannot be opened stays so: the account goes without kin for
  // the clinician's lifetime rather than failing on every event. A database out of
  // reach is asked again after the quiet minute.
  if (!clinician && clinician.error().code == ErrorCode::kUnavailable)
    return Fail(clinician.error());
  if (known == clinicians_.end() && clinicians_.size() >= kMaxClinicians) clinicians_.clear();
  Clinician& kept = clinicians_[account_id];
  kept = clinician ? std::move(*clinician) : Clinician{{}, now_ms};
  if (!clinician) return Fail(clinician.error());
  return &kept;
}

Result<ClinicianKin::Clinician> ClinicianKin::ReadClinician(const std::string& account_id,
                                                            int64_t now_ms) {
  Clinician clinician;
  clinician.read_at_ms = now_ms;
  store::Reader& reader = store_.reader();
  ASSIGN_OR_RETURN(auto account, reader.AccountById(account_id));
  if (!account || account->practitioner_id.empty()) return clinician;
  ASSIGN_OR_RETURN(auto stored,
                   reader.CurrentWithCompartment("Practitioner", account->practitioner_id));
  if (!stored || stored->row.deleted) return clinician;
  // Only this account's own Practitioner is asked for: the Policy's detector decision
  // covers any Practitioner, so the restriction is here.
  access::AccessTarget target{fhir::ResourceType::kPractitioner, stored->compartment.id, "", ""};
  access::AccessDecision decision = policy_.DetectorReadsClinician(target);
  ASSIGN_OR_RETURN(access::RecordVault::Searchable practitioner,
                   vault_.OpenForSearch(decision, stored->compartment, stored->row));
  clinician.alternatives = FamilyNameAsPatients(practitioner.values, keyring_);
  for (int64_t home : HomesAsPatients(practitioner.values, keyring_))
    clinician.alternatives.push_back({home});
  return clinician;
}

}  // namespace medvault::api
