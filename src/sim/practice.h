// A general practice: its Organization, the Practitioners who work there and one
// account per person (physicians, nurses, secretaries).
#pragma once

#include <string>
#include <unordered_set>
#include <vector>

#include "sim/population.h"
#include "sim/resource_ids.h"
#include "sim/sim_random.h"
#include "sim/vocabulary.h"

namespace medvault::sim {

struct Clinician {
  std::string practitioner_id;
  std::string display_name;  // "Dr Claire Martin", "Sophie Girard"
};

struct Practice {
  std::string organization_id;
  std::string name;
  const Town* town = nullptr;
  std::vector<Clinician> physicians;  // 1 to 6
  std::vector<Clinician> nurses;      // often none
};

// Account names already given, across practices, so that each one stays unique.
using UsernameRegistry = std::unordered_set<std::string>;

// Draws a practice of `physician_count` physicians, 1 or 2 secretaries and sometimes
// nurses (always at least one with `with_nurse`: the first practice has one, so that a
// demo shows every role), and emits its Organization, then each Practitioner followed
// by its account (secretaries: an account only).
Practice EmitPractice(SimRandom& rng, ResourceIds& ids, UsernameRegistry& usernames,
                      int physician_count, bool with_nurse, ResourceSink& sink);

}  // namespace medvault::sim
