// Where the Policy learns how a principal relates to a patient: an active CareTeam
// membership of the principal's practitioner, or an unexpired break-the-glass grant of
// the principal's account. The Policy asks; nothing else may answer for it.
#pragma once

#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "identity/principal.h"
#include "store/records.h"
#include "store/store.h"

namespace medvault::access {

class CareRelationships {
 public:
  virtual ~CareRelationships() = default;
  virtual Result<store::CareStanding> Standing(const identity::Principal& principal,
                                               std::string_view patient_id) const = 0;
};

// The store's care links and grants, at the clock's time, read through the calling
// thread's reader (so inside the request's snapshot).
class StoredCareRelationships final : public CareRelationships {
 public:
  StoredCareRelationships(store::Store& store, const Clock& clock) : store_(store), clock_(clock) {}
  Result<store::CareStanding> Standing(const identity::Principal& principal,
                                       std::string_view patient_id) const override;

 private:
  store::Store& store_;
  const Clock& clock_;
};

// For commands that decide only system operations (init, import, export): every
// principal is outside every care relationship.
class NoCareRelationships final : public CareRelationships {
 public:
  Result<store::CareStanding> Standing(const identity::Principal&,
                                       std::string_view) const override {
    return store::CareStanding{};
  }
};

}  // namespace medvault::access
