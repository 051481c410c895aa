// What the scorer learns of one request: built by the request pipeline after the request's
// audit entry commits, and fed to RiskScorer::Observe. Plain data: who, when, from where,
// what kind of act, and which patients' data reached the account or was written.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "identity/role.h"

namespace medvault::detect {

struct DetectionEvent {
  int64_t time_ms = 0;    // the injectable Clock's time of the request
  int64_t audit_seq = 0;  // the audit entry's sequence number (what an explanation points to)
  std::string account_id;
  identity::Role role = identity::Role::kPhysician;
  std::string session_id;
  std::string client_address;
  std::string user_agent;

  enum class Kind {
    kRead,             // read, vread, history of one resource
    kSearch,           // a search within the account's own scope (?patient=, its list)
    kDirectorySearch,  // a search of the directory (minimal identity of any patient)
    kWrite,            // create, update, delete
    kLogin,
    kBreakGlass,  // a break-the-glass grant
    kStartCare,   // the account started a care relationship
    kOther,
  };
  Kind kind = Kind::kOther;
  // A search page of Patient resources (a list of patients: who they are, as the
  // practice's list shows them), as opposed to one or more patients' records.
  bool patient_list = false;
  int status = 200;  // the HTTP status sent

  struct Patient {
    std::string id;             // the Patient id (a random UUID); for counting, never shown
    bool in_care = true;        // within the account's care relationships when it was served
    bool confidential = false;  // carries a confidentiality label
    // Bears the family name of the account's clinician, or lives in the same building.
    bool shares_clinician_name_or_home = false;
  };
  // Whose data reached the account (2xx reads and searches: every patient on a page) or
  // was written (writes), or was granted (break-the-glass).
  std::vector<Patient> patients;
};

}  // namespace medvault::detect
