// Blind-index terms: which keyed hashes a resource is filed under, and which hashes a
// search criterion looks up. Both sides build terms the same way, from the same
// normalized values, so that candidates are found without decrypting anything; every
// candidate is then checked exactly after decryption.
//
// Strings: each word is filed whole ("w:dupont") and under each of its prefixes of 3
// characters or more ("p:dup", "p:dupo", …). A query word of 3+ characters looks up
// its prefix term; a shorter one matches whole words only.
// Dates (birthdate): the written date and its year and year-month ("1970",
// "1970-05", "1970-05-12"); only eq queries use the index.
// Tokens: "system|code" and "|code" (any system); references: "Type/id".
// Homes (Patient only, not searchable): the building of each home address, whole.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/keyring.h"
#include "fhir/resource_type.h"
#include "fhir/search.h"
#include "fhir/search_values.h"

namespace medvault::api {

// Whether resources of this type are found through blind indexes (Patient,
// Practitioner, Organization). Other types are searched within one patient's
// compartment.
bool IsIndexedType(fhir::ResourceType type);

// The hashes a resource is filed under.
std::vector<int64_t> IndexHashes(fhir::ResourceType type, const fhir::SearchValues& values,
                                 const crypto::Keyring& keyring);

// A clinician's family name as the blind index of Patient family names files it: what
// the snooping feature looks for among the hashes of patients the clinician reads. Each
// alternative is a set of hashes a patient must all be filed under. Particles (le, de,
// da, van, saint, …) make no namesake alone; every other word of three letters or more
// does ("Le Gall": "gall"; "Roy" also finds "Le Roy"); a name whose other words are all
// shorter needs every one of its words ("Le Bo"); a name of particles only ("Le", "Van")
// gives none. Computed in memory, never stored nor sent to the database: clinicians'
// names are public, so such a hash beside the patients' would tell who bears the name.
std::vector<std::vector<int64_t>> FamilyNameAsPatients(const fhir::SearchValues& practitioner,
                                                       const crypto::Keyring& keyring);

// A clinician's home addresses as the blind index files patients' homes (the same
// building, however written): one hash per home, each enough for a match. Like the
// name, computed in memory only.
std::vector<int64_t> HomesAsPatients(const fhir::SearchValues& practitioner,
                                     const crypto::Keyring& keyring);

// The hashes whose union holds every resource matching `criterion` (one per OR'ed
// value), or nullopt when the criterion cannot use the index (e.g. a date range).
std::optional<std::vector<int64_t>> CriterionHashes(fhir::ResourceType type,
                                                    const fhir::Criterion& criterion,
                                                    const crypto::Keyring& keyring);

}  // namespace medvault::api
