// The snooping feature's input: which patients an account reached share its
// clinician's family name or home (relatives, an ex-partner's family, the neighbours).
// Off the request path, on the risk feed's thread: the clinician's Practitioner is
// opened (directory data, through the Policy's one detector decision), its family name
// and home addresses hashed in memory as the Patient blind index files names and homes
// (api::FamilyNameAsPatients, api::HomesAsPatients), and compared with the hashes each
// patient is filed under. No patient is decrypted, nothing new is stored, and no hash
// of the clinician's name or home leaves the process.
//
// Asked about: patients read or found outside the account's care, and patients the
// account puts into its care itself (starting care is how a clinician would reach a
// relative of the same practice without breaking the glass). Within care a shared name
// or street is routine (a family sees the same doctor, a village its only one).
// Secretaries have no Practitioner, so nothing to compare.
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

class ClinicianKin {
 public:
  ClinicianKin(store::Store& store, const access::Policy& policy, const access::RecordVault& vault,
               const crypto::Keyring& keyring)
      : store_(store), policy_(policy), vault_(vault), keyring_(keyring) {}

  // Sets `shares_clinician_name_or_home` on the event's patients asked about (above)
  // who bear the account's clinician's family name or live in one of its homes. On an
  // error (the database unreachable) the event
  // is left as it came and the error returned; the events of the next minute are then
  // left unmarked without asking again, so that a database down neither slows the feed
  // nor floods the log.
  Status Mark(detect::DetectionEvent& event);

 private:
  // What a patient's index hashes are compared with: an account's clinician's family
  // name (FamilyNameAsPatients) and homes (HomesAsPatients, each a one-hash
  // alternative). Read again an hour (of the events' time) after it was read, so that a
  // renamed or moved clinician is followed.
  struct Clinician {
    std::vector<std::vector<int64_t>> alternatives;  // each sorted; one is a match
    int64_t read_at_ms = 0;
  };
  Result<const Clinician*> ClinicianOf(const std::string& account_id, int64_t now_ms);
  Result<Clinician> ReadClinician(const std::string& account_id, int64_t now_ms);
  Result<std::vector<bool>> Kin(const detect::DetectionEvent& event);

  store::Store& store_;
  const access::Policy& policy_;
  const access::RecordVault& vault_;
  const crypto::Keyring& keyring_;
  std::unordered_map<std::string, Clinician> clinicians_;
  int64_t quiet_until_ms_ = 0;  // after an error
};

}  // namespace medvault::api
