// A deterministic synthetic French general-practice population (docs: DRILL.md, "The
// population"): practices with their physicians, nurses and secretaries, and patients
// with identity, care relationships and years of clinical history, as FHIR R4 resources
// that medvault's validator accepts. The same options always give the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/resource_type.h"

namespace medvault::sim {

// Patient.extension carrying the administrative free-text comment of the patient file
// (valueString), the field that leaked in 2025.
inline constexpr std::string_view kAdministrativeCommentExtension =
    "https://medvault.example/fhir/StructureDefinition/administrative-comment";

struct PopulationOptions {
  uint64_t seed = 1;
  // Total patients, spread over practices of about 10,000 patients each (at least one
  // practice), or over `practices` practices when that is set.
  int64_t patients = 5000;
  // The number of practices (each of 1 to 6 physicians, about 3 on average); 0 draws one
  // practice per ~10,000 patients. With fewer than ~10,000 patients a practice, each
  // physician's current patients shrink with it (at most 85 % of the practice's).
  int64_t practices = 0;
  // "Today" for ages and history, in Unix milliseconds; 0 stands for
  // 2026-01-01T00:00:00Z so that the default stays deterministic.
  int64_t now_ms = 0;
  // Multiplies the clinical history volume (encounters and what hangs off them); 0 gives
  // Patients and CareTeams only.
  double history_scale = 1.0;
};

// One medvault account per person working in a practice; the caller creates it.
struct SimAccount {
  std::string username;         // unique, ASCII lowercase [a-z0-9.-], e.g. "dr.martin.claire"
  std::string role;             // "physician" | "nurse" | "secretary"
  std::string organization_id;  // the Organization resource id
  std::string practitioner_id;  // the Practitioner resource id; "" for secretaries
  std::string display_name;
};

// Receives the population in dependency order: a resource is emitted after every
// resource it references.
class ResourceSink {
 public:
  virtual ~ResourceSink() = default;
  // `id` is the resource's id (also inside the JSON as "id"); references are "Type/id".
  virtual void Emit(fhir::ResourceType type, const std::string& id, std::string json) = 0;
  virtual void Account(const SimAccount& account) = 0;
  // Called every 1000 patients and at the end, so that callers can show progress.
  virtual void Progress(int64_t /*patients_done*/, int64_t /*patients_total*/) {}
};

// Emits everything: per practice, the Organization, its Practitioners (each followed by
// its account; secretaries have an account only), then patient by patient: Patient,
// CareTeam, then the clinical history. Same options => byte-identical output.
void GeneratePopulation(const PopulationOptions& options, ResourceSink& sink);

}  // namespace medvault::sim
