// The snooping feature's input: which patients an account reached bear its clinician's
// family name (relatives, an ex-partner's family, the neighbour of the same name).
// Off the request path, on the risk feed's thread: the clinician's Practitioner is
// opened (directory data, through the Policy's one detector decision), its family name
// hashed in memory as the Patient blind index files names (api::FamilyNameAsPatients),
// and compared with the hashes each patient is filed under. No patient is decrypted,
// nothing new is stored, and no hash of the clinician's name leaves the process.
//
// Asked about: patients read or found outside the account's care, and patients the
// account puts into its care itself (starting care is how a clinician would reach a
// relative of the same practice without breaking the glass). Within care a shared name
// is routine (a family sees the same doctor). Secretaries have no Practitioner, so no
// name to compare; addresses are not indexed, so only names are compared.
//
// Not thread-safe: the risk feed calls it under its one-weigher lock.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "access/policy.h"
#include "access/record_vault.h"
#include "common/result.h"
#include "crypto/keyring.h"
#include "detect/detection_event.h"
#include "store/store.h"

namespace medvault::api {

class ClinicianNamesakes {
 public:
  ClinicianNamesakes(store::Store& store, const access::Policy& policy,
                     const access::RecordVault& vault, const crypto::Keyring& keyring)
      : store_(store), policy_(policy), vault_(vault), keyring_(keyring) {}

  // Sets `bears_clinician_name` on the event's patients asked about (above) who bear the
  // account's clinician's family name. On an error (the database unreachable) the event
  // is left as it came and the error returned; the events of the next minute are then
  // left unmarked without asking again, so that a database down neither slows the feed
  // nor floods the log.
  Status Mark(detect::DetectionEvent& event);

 private:
  // An account's clinician's family name, as FamilyNameAsPatients gives it; read again
  // an hour (of the events' time) after it was read, so that a renamed clinician is
  // followed.
  struct Name {
    std::vector<std::vector<int64_t>> alternatives;
    int64_t read_at_ms = 0;
  };
  Result<const Name*> NameOf(const std::string& account_id, int64_t now_ms);
  Result<Name> ReadName(const std::string& account_id, int64_t now_ms);
  Result<std::vector<bool>> Namesakes(const detect::DetectionEvent& event);

  store::Store& store_;
  const access::Policy& policy_;
  const access::RecordVault& vault_;
  const crypto::Keyring& keyring_;
  std::unordered_map<std::string, Name> names_;
  int64_t quiet_until_ms_ = 0;  // after an error
};

}  // namespace medvault::api
