#include "access/care_relationships.h"

namespace medvault::access {

Result<store::CareStanding> StoredCareRelationships::Standing(const identity::Principal& principal,
                                                              std::string_view patient_id) const {
  return store_.reader().Standing(principal.practitioner_id(), principal.account_id(), patient_id,
                                  ToUnixMillis(clock_.Now()));
}

}  // namespace medvault::access
