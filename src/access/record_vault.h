// The RecordVault: the only code that turns sealed patient records into plaintext or
// plaintext into sealed records, and only for an allowing AccessDecision whose target
// is the record in hand. It holds the pass-key to the compartments' data keys.
#pragma once

#include <string>
#include <string_view>

#include "access/policy.h"
#include "common/result.h"
#include "crypto/keyring.h"
#include "fhir/search_values.h"
#include "store/records.h"

namespace medvault::access {

class RecordVault {
 public:
  explicit RecordVault(const crypto::Keyring& keyring) : keyring_(keyring) {}

  // A new compartment (a new patient, or the directory at initialization) with a fresh
  // data key. Needs an allowing create decision for that compartment.
  Result<store::CompartmentRow> NewCompartment(const AccessDecision& decision,
                                               int64_t created_at_ms) const;

  // Seals `json` as the body of `row` (type, id, version and compartment must be set).
  // Needs an allowing create or update decision for that type and compartment.
  Result<crypto::Bytes> Seal(const AccessDecision& decision,
                             const store::CompartmentRow& compartment,
                             const store::ResourceRow& row, std::string_view json) const;

  // Opens a stored version and applies the decision's field mask. Needs an allowing
  // read or search decision for that type and compartment.
  Result<std::string> Open(const AccessDecision& decision, const store::CompartmentRow& compartment,
                           const store::ResourceRow& row) const;

  // For a search: the JSON the decision lets the caller see (masked as it says) and the
  // search values of the whole resource, which the search matches on. A directory
  // search limits its criteria to identity, so matching reveals no more than it shows.
  struct Searchable {
    std::string json;
    fhir::SearchValues values;
  };
  Result<Searchable> OpenForSearch(const AccessDecision& decision,
                                   const store::CompartmentRow& compartment,
                                   const store::ResourceRow& row) const;

 private:
  Result<std::string> Decrypt(const AccessDecision& decision,
                              const store::CompartmentRow& compartment,
                              const store::ResourceRow& row) const;
  Status Check(const AccessDecision& decision, const store::CompartmentRow& compartment,
               std::string_view type, bool writing) const;

  const crypto::Keyring& keyring_;
};

}  // namespace medvault::access
