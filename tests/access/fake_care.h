// A CareRelationships the test sets by hand: which accounts stand how to which patients.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "access/care_relationships.h"

namespace medvault::access {

class FakeCare final : public CareRelationships {
 public:
  void InCare(const std::string& account, const std::string& patient) {
    standing_[{account, patient}].care_team = true;
  }
  void Grant(const std::string& account, const std::string& patient) {
    standing_[{account, patient}].break_glass = true;
  }
  void Fail() { fail_ = true; }

  Result<store::CareStanding> Standing(const identity::Principal& principal,
                                       std::string_view patient) const override {
    if (fail_) return medvault::Fail(ErrorCode::kUnavailable, "the store is unavailable");
    auto it = standing_.find({principal.account_id(), std::string(patient)});
    return it == standing_.end() ? store::CareStanding{} : it->second;
  }

 private:
  std::map<std::pair<std::string, std::string>, store::CareStanding> standing_;
  bool fail_ = false;
};

}  // namespace medvault::access
