// What the store keeps about keys and erasures: the versions of the key-encryption and
// blind-index keys (never the keys: a fingerprint at most), the data keys as rotation
// sees them, and what erasing a patient removed. Identifiers, counts and times only.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "crypto/encoding.h"

namespace medvault::store {

inline constexpr std::string_view kKekPurpose = "kek";
inline constexpr std::string_view kBlindIndexPurpose = "blind-index";

// One version of a key: derived from the master key, or a random key in a key file of
// its own (DIR/keys/<purpose>-<version>.key).
struct KeyVersionRow {
  std::string purpose;  // kKekPurpose or kBlindIndexPurpose
  int version = 0;
  std::string origin;         // "derived" | "file"
  crypto::Bytes fingerprint;  // crypto::FingerprintOf the file's key; empty when derived
  int64_t created_at_ms = 0;
  // "active": usable; "pending": created by a rotation not finished yet (a blind-index
  // key while its indexes are rebuilt); "retired": no longer used, its file destroyed.
  std::string state = "active";
  int64_t retired_at_ms = 0;
};

// A compartment's wrapped data key, as a rotation re-wraps it.
struct WrappedKeyRow {
  std::string compartment;
  int kek_version = 0;
  crypto::Bytes wrapped_dek;
};

// The free text that may be about a patient and is sealed to an account rather than
// under the patient's key: alert details and break-the-glass reasons naming the patient.
struct PatientNotes {
  struct Alert {
    int64_t id = 0;
    std::string account_id;   // the detail is sealed to it
    std::string resolved_by;  // the resolution note is sealed to it ("" when open)
  };
  struct Grant {
    std::string id;
    std::string account_id;  // the reason is sealed to it
  };
  std::vector<Alert> alerts;
  std::vector<Grant> grants;
};

// Their replacements: a sealed "erased" text for each.
struct PatientNoteRewrites {
  struct Alert {
    int64_t id = 0;
    crypto::Bytes detail;
    crypto::Bytes resolution;  // empty when the alert is open
  };
  struct Grant {
    std::string id;
    crypto::Bytes reason;
  };
  std::vector<Alert> alerts;
  std::vector<Grant> grants;
};

// What erasing a patient removed.
struct ErasureCounts {
  int64_t resources = 0;      // current resources of the compartment
  int64_t versions = 0;       // stored versions (bodies), history included
  int64_t index_entries = 0;  // blind-index rows of those resources
  int64_t care_links = 0;     // care relationships naming the patient
  int64_t notes_blanked = 0;  // alert details and grant reasons replaced
  bool data_key_destroyed = false;
};

}  // namespace medvault::store
