// Crypto-erasure of a patient, shared by `medvault erase` and
// POST /admin/patients/{id}/erase: the write that destroys the patient's data key, every
// stored version of its records, their blind-index rows and its care links, and replaces
// the free text about it that is sealed outside its compartment (alert details and
// resolutions, break-the-glass reasons) with a note saying it was erased. Its audit
// entries stay: they name the patient by id only, and the log must keep verifying.
#pragma once

#include <memory>
#include <string>

#include "crypto/keyring.h"
#include "store/store.h"

namespace medvault::api {

// The text that replaces a note about an erased patient.
inline constexpr std::string_view kErasedNote = "(removed: the patient's records were erased)";

// A write job erasing `patient_id` at `now_ms`; what it removed goes to `counts` once it
// has run. Fails (kNotFound) when there is no such patient.
store::WriteJob ErasePatientJob(const crypto::Keyring& keyring, std::string patient_id,
                                int64_t now_ms, std::shared_ptr<store::ErasureCounts> counts);

// A one-line account of `counts` for the audit entry and the operator (counts only).
std::string DescribeErasure(const store::ErasureCounts& counts);

}  // namespace medvault::api
